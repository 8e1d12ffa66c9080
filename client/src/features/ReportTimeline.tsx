import { sinceLastConferenceSeq, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { byName } from '../domain/actors';
import { fromLocalInput, toLocalInput } from '../domain/format';
import { timelineItems } from '../domain/picture';
import { usePicture } from '../stores/picture';
import { FieldReportCard } from './FieldReportCard';
import { ReportCard } from './ReportCard';

type Since = 'all' | 'conference' | 'chosen';

/**
 * The incident's situation reports and field reports, newest first. Narrow it to one actor
 * for that actor's history, or to what changed since the last coordination conference (or
 * any chosen time).
 */
export function ReportTimeline({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const [actorId, setActorId] = useState<string | null>(null);
  const [since, setSince] = useState<Since>('all');
  const [chosen, setChosen] = useState(() => toLocalInput(incident.activatedAt));
  const actorFieldId = useId();
  const sinceName = useId();
  const chosenId = useId();

  // "Since the last conference" is read from the log: from the opening of the last closed
  // conference, the same on every screen (shared `sinceLastConferenceSeq`).
  const sinceSeq = since === 'conference' ? sinceLastConferenceSeq(state, incident.id) : 0;
  const lastConference = useMemo(
    () =>
      Object.values(state.conferences).find((c) => c.incidentId === incident.id && c.openedSeq === sinceSeq),
    [state.conferences, incident.id, sinceSeq],
  );
  const sinceAt =
    since === 'conference'
      ? (lastConference?.openedAt ?? null)
      : since === 'chosen'
        ? fromLocalInput(chosen)
        : null;
  const reports = useMemo(
    () =>
      timelineItems(state, incident.id, { actorId, since: since === 'chosen' ? sinceAt : null }).filter(
        (item) => item.seq > sinceSeq,
      ),
    [state, incident.id, actorId, since, sinceAt, sinceSeq],
  );
  const actors = useMemo(() => [...session.region.actors].sort(byName), [session.region.actors]);

  return (
    <section aria-labelledby="timeline-heading" className="section">
      <h3 id="timeline-heading">{t('timeline.title')}</h3>
      <div className="filters filters--row">
        <div className="form__field">
          <label htmlFor={actorFieldId}>{t('timeline.actor')}</label>
          <select
            id={actorFieldId}
            value={actorId ?? ''}
            onChange={(e) => setActorId(e.target.value === '' ? null : e.target.value)}
          >
            <option value="">{t('timeline.allActors')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="choice-group">
          <legend>{t('timeline.show')}</legend>
          {(['all', 'conference', 'chosen'] as const).map((option) => (
            <label key={option} className="choice">
              <input
                type="radio"
                name={sinceName}
                checked={since === option}
                onChange={() => setSince(option)}
              />{' '}
              {t(`timeline.since.${option}`)}
            </label>
          ))}
        </fieldset>
        {since === 'chosen' && (
          <div className="form__field">
            <label htmlFor={chosenId}>{t('timeline.chosenTime')}</label>
            <input
              id={chosenId}
              type="datetime-local"
              value={chosen}
              onChange={(e) => setChosen(e.target.value)}
            />
          </div>
        )}
      </div>
      <p className="summary-line" aria-live="polite" data-testid="timeline-summary">
        {since === 'conference' && sinceSeq === 0 ? (
          t('conference.noneHeldYet', { count: reports.length })
        ) : sinceAt ? (
          <>
            {t('timeline.countSince', { count: reports.length })} <Time iso={sinceAt} />
          </>
        ) : (
          t('timeline.count', { count: reports.length })
        )}
      </p>
      {reports.length === 0 ? (
        <p className="empty">{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {reports.map((item) => (
            <li key={item.id}>
              {item.kind === 'report' ? (
                <ReportCard session={session} report={item.report} />
              ) : (
                <FieldReportCard session={session} fieldReport={item.fieldReport} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
