import { LIMITS, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { fromLocalInput, toLocalInput } from '../domain/format';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';

type RescheduleProblem = 'badTime' | 'unchanged';

/**
 * What a change of a scheduled conference sends: only what changed, or why nothing can be
 * sent. The hub refuses a change with neither field, so an unchanged form is said here.
 */
export function reschedulePayload(
  conference: Pick<Conference, 'id' | 'scheduledAt'>,
  currentDialIn: string,
  time: string,
  dialIn: string,
):
  | { ok: true; payload: { conferenceId: string; scheduledAt?: string; dialIn?: string } }
  | { ok: false; problem: RescheduleProblem } {
  const scheduledAt = fromLocalInput(time);
  if (scheduledAt === null) return { ok: false, problem: 'badTime' };
  const timeChanged = Date.parse(scheduledAt) !== Date.parse(conference.scheduledAt);
  const dialInChanged = dialIn.trim() !== currentDialIn.trim();
  if (!timeChanged && !dialInChanged) return { ok: false, problem: 'unchanged' };
  return {
    ok: true,
    payload: {
      conferenceId: conference.id,
      ...(timeChanged ? { scheduledAt } : {}),
      ...(dialInChanged ? { dialIn: dialIn.trim() } : {}),
    },
  };
}

/**
 * The chair moves a scheduled conference or changes how to join it. The form stays until
 * the hub has accepted the change, so a refusal is read beside what was written.
 */
export function RescheduleForm({
  session,
  conference,
  dialIn,
  onDone,
}: {
  session: SessionInfo;
  conference: Conference;
  /** The dial-in as this screen knows it (only the summoned are sent it). */
  dialIn: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const timeId = useId();
  const [time, setTime] = useState(() => toLocalInput(conference.scheduledAt));
  const [newDialIn, setNewDialIn] = useState(dialIn);
  const [problem, setProblem] = useState<RescheduleProblem | null>(null);
  const sending = useSend();
  useOnSent(sending.itemId, onDone);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = reschedulePayload(conference, dialIn, time, newDialIn);
    if (!checked.ok) return setProblem(checked.problem);
    setProblem(null);
    void sending.send(() => submit(session, 'conference.reschedule', checked.payload));
  };

  return (
    <form
      className="form conference-reschedule"
      onSubmit={handleSubmit}
      noValidate
      data-testid="conference-reschedule"
    >
      <div className="form__field">
        <label htmlFor={timeId}>{t('conference.reschedule.time')}</label>
        <input
          id={timeId}
          type="datetime-local"
          value={time}
          aria-invalid={problem === 'badTime' ? true : undefined}
          onChange={(e) => setTime(e.target.value)}
        />
      </div>
      <TextField
        label={t('conference.schedule.dialIn')}
        hint={t('conference.schedule.dialInHint')}
        value={newDialIn}
        onChange={setNewDialIn}
        maxLength={LIMITS.maxDialInLength}
        multiline
        rows={2}
      />
      {problem && (
        <p className="field-error" role="alert">
          {t(`conference.reschedule.${problem}`)}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={sending.pending}>
          {t('conference.reschedule.save')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('conference.reschedule.cancel')}
        </button>
      </div>
      <CommandStatus itemId={sending.itemId} />
    </form>
  );
}
