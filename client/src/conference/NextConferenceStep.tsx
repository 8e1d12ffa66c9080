import type { Conference, SessionInfo } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { Time } from '../components/Time';
import { fromLocalInput, toLocalInput } from '../domain/format';
import { newId } from '../domain/ids';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { chairRuns } from './conference-rights';

/**
 * The chair sets when the next conference is held. The field follows the time set from any
 * screen until the chair starts editing it; once the hub has the chair's time, it follows
 * again.
 */
function SetNextForm({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const id = useId();
  const [edited, setEdited] = useState<string | null>(null);
  const value = edited ?? toLocalInput(conference.nextConferenceAt);
  const [invalid, setInvalid] = useState(false);
  const sending = useSend();
  useOnSent(sending.itemId, () => setEdited(null));
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const at = value === '' ? null : fromLocalInput(value);
    if (value !== '' && at === null) return setInvalid(true);
    setInvalid(false);
    void sending.send(() =>
      submit(session, 'conference.setNext', { conferenceId: conference.id, nextConferenceAt: at }),
    );
  };
  return (
    <form className="form__inline" onSubmit={handleSubmit} noValidate>
      <label htmlFor={id}>{t('conference.next.time')}</label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        aria-invalid={invalid || undefined}
        onChange={(e) => setEdited(e.target.value)}
      />
      <button type="submit" className="button button--small" disabled={sending.pending}>
        {t('conference.next.set')}
      </button>
      {invalid && <span className="field-error">{t('conference.next.badTime')}</span>}
      <CommandStatus itemId={sending.itemId} />
    </form>
  );
}

/** What closing will do about the next conference, said before the chair confirms. */
function closeConsequence(conference: Conference): 'closeSchedules' | 'closeRecurs' | 'closeNoNext' {
  if (conference.nextConferenceAt) return 'closeSchedules';
  return conference.recurrence ? 'closeRecurs' : 'closeNoNext';
}

/**
 * Closing, in two steps: the first click says what closing does (whether the next
 * conference will be called, and when), the second closes. The next conference's id is
 * made once here, so a retried close schedules the same one, not a second.
 */
function CloseConference({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [nextConferenceId] = useState(newId);
  const questionId = useId();
  const sending = useSend();
  const close = () =>
    void sending.send(() =>
      submit(session, 'conference.close', { conferenceId: conference.id, nextConferenceId }),
    );
  const consequence = closeConsequence(conference);
  return (
    <div className="conference-close">
      {!confirming ? (
        <button
          type="button"
          className="button button--danger"
          onClick={() => setConfirming(true)}
          data-testid="conference-close"
        >
          {t('conference.next.close')}
        </button>
      ) : (
        <div className="conference-close__confirm" role="group" aria-labelledby={questionId}>
          <p id={questionId} data-testid="conference-close-consequence">
            <strong>{t('conference.next.closeQuestion')}</strong>{' '}
            {consequence === 'closeSchedules' && conference.nextConferenceAt ? (
              <>
                {t('conference.next.closeSchedules')}{' '}
                <strong>
                  <Time iso={conference.nextConferenceAt} />
                </strong>
                .
              </>
            ) : (
              t(`conference.next.${consequence}`)
            )}
          </p>
          <div className="form__inline">
            <button
              type="button"
              className="button button--danger"
              disabled={sending.pending}
              onClick={close}
              data-testid="conference-close-confirm"
            >
              {t('conference.next.closeConfirm')}
            </button>
            <button
              type="button"
              className="button"
              disabled={sending.pending}
              onClick={() => setConfirming(false)}
            >
              {t('conference.next.closeCancel')}
            </button>
          </div>
        </div>
      )}
      <CommandStatus itemId={sending.itemId} />
    </div>
  );
}

/** The last step: the time of the next conference, then closing. */
export function NextConferenceStep({
  session,
  conference,
}: {
  session: SessionInfo;
  conference: Conference;
}) {
  const { t } = useTranslation();
  return (
    <div className="conference-step-body" data-testid="conference-next">
      <p>
        {conference.nextConferenceAt ? (
          <>
            {t('conference.next.current')}{' '}
            <strong>
              <Time iso={conference.nextConferenceAt} />
            </strong>
          </>
        ) : (
          t('conference.next.notSet')
        )}
      </p>
      {/* Once closed, the next conference is its own: moved with conference.reschedule. */}
      {chairRuns(session, conference, 'conference.setNext') && (
        <SetNextForm session={session} conference={conference} />
      )}
      {chairRuns(session, conference, 'conference.close') && (
        <CloseConference session={session} conference={conference} />
      )}
    </div>
  );
}
