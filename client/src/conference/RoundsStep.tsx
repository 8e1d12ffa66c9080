import { LIMITS, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CommandStatus } from '../components/CommandStatus';
import { StatusChip } from '../components/StatusChip';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { usePicture } from '../stores/picture';
import { conferenceDraftKey, useConferenceDraft } from './conference-drafts';
import { chairRuns } from './conference-rights';
import { roundRows, type RoundRow } from './conference-view';

const RoundNote = z.object({ note: z.string() });

/**
 * The chair's mark on one round: reported or not, with a short note. The note is kept as a
 * draft until the hub has it. Every control names the actor: a screen reader's list of
 * buttons reads "Markera rapporterat: Nacka", not the same words once per actor.
 */
function RoundMark({
  session,
  conference,
  row,
}: {
  session: SessionInfo;
  conference: Conference;
  row: RoundRow;
}) {
  const { t } = useTranslation();
  const noteId = useId();
  const actor = actorLabel(session.region, row.actorId);
  const { draft, change, discard } = useConferenceDraft(
    conferenceDraftKey('round', session.user.id, conference.id, row.actorId),
    RoundNote,
    () => ({ note: row.round?.note ?? '' }),
  );
  const sending = useSend();
  useOnSent(sending.itemId, () => discard());
  const send = (reported: boolean) =>
    void sending.send(() =>
      submit(session, 'conference.round', {
        conferenceId: conference.id,
        actorId: row.actorId,
        reported,
        note: draft.note.trim(),
      }),
    );
  const reported = row.round?.reported ?? false;
  const named = <span className="visually-hidden">: {actor}</span>;
  return (
    <div className="round__mark">
      <div className="form__field">
        <label htmlFor={noteId}>{t('conference.rounds.noteFor', { actor })}</label>
        <input
          id={noteId}
          type="text"
          value={draft.note}
          maxLength={LIMITS.maxTextLength}
          onChange={(e) => change({ note: e.target.value })}
        />
      </div>
      <div className="form__inline">
        {reported ? (
          <>
            <button
              type="button"
              className="button button--small button--primary"
              disabled={sending.pending}
              onClick={() => send(true)}
            >
              {t('conference.rounds.saveNote')}
              {named}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={sending.pending}
              onClick={() => send(false)}
            >
              {t('conference.rounds.unmark')}
              {named}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={sending.pending}
            onClick={() => send(true)}
          >
            {t('conference.rounds.mark')}
            {named}
          </button>
        )}
        <CommandStatus itemId={sending.itemId} />
      </div>
    </div>
  );
}

/** One actor's round: its newest report, what is new since the last conference, and the chair's mark. */
function Round({
  session,
  conference,
  row,
}: {
  session: SessionInfo;
  conference: Conference;
  row: RoundRow;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const chair = chairRuns(session, conference, 'conference.round');
  const { report } = row;
  return (
    <li
      className={`round${row.newSince > 0 ? ' round--changed' : ''}`}
      data-testid={`round-${row.actorId}`}
      data-reported={row.round?.reported ?? false}
      aria-labelledby={headingId}
    >
      <h5 id={headingId} className="round__actor">
        {actorLabel(session.region, row.actorId)} <StatusChip status={report?.status ?? null} />
      </h5>
      {conference.incidentId !== null && (
        <p className="round__since" data-testid="round-since">
          {row.newSince > 0
            ? t('conference.rounds.changed', { count: row.newSince })
            : t('conference.rounds.unchanged')}
        </p>
      )}
      {report ? (
        <dl className="round__report">
          <div>
            <dt>{t('reportForm.consequences')}</dt>
            <dd className="prewrap">{report.consequences || '–'}</dd>
          </div>
          <div>
            <dt>{t('reportForm.measures')}</dt>
            <dd className="prewrap">{report.measures || '–'}</dd>
          </div>
          <div>
            <dt>{t('conference.rounds.needs')}</dt>
            <dd className="prewrap">{report.needs.trim() || t('conference.rounds.noNeeds')}</dd>
          </div>
          <div>
            <dt>{t('conference.rounds.submitted')}</dt>
            <dd>
              <Time iso={report.at} /> · {t('conference.rounds.features', { count: report.features.length })}
            </dd>
          </div>
        </dl>
      ) : (
        conference.incidentId !== null && <p className="empty">{t('conference.rounds.noReport')}</p>
      )}
      <p className="round__status" data-testid="round-status">
        <strong>
          {row.round?.reported ? t('conference.rounds.reported') : t('conference.rounds.notReported')}
        </strong>
        {row.round?.note && <> – {row.round.note}</>}
      </p>
      {chair && <RoundMark key={row.round?.seq ?? 0} session={session} conference={conference} row={row} />}
    </li>
  );
}

/** The rounds, in the region's round order: each actor's consequences, measures and needs. */
export function RoundsStep({
  session,
  conference,
  sinceSeq,
}: {
  session: SessionInfo;
  conference: Conference;
  sinceSeq: number;
}) {
  const { t } = useTranslation();
  const reports = usePicture((s) => s.state.reports);
  const rows = useMemo(
    () => roundRows({ reports }, conference, session.region, sinceSeq),
    [reports, conference, session.region, sinceSeq],
  );
  return (
    <div className="conference-step-body">
      {conference.incidentId === null && <p className="notice">{t('conference.rounds.ordinary')}</p>}
      <ol className="rounds">
        {rows.map((row) => (
          <Round key={row.actorId} session={session} conference={conference} row={row} />
        ))}
      </ol>
    </div>
  );
}
