import { CONFERENCE_STEPS, type Conference, type Incident, type RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { rollCallCells, rollCallCounts, stepIndex, type RollCallCell } from './wall-conference';

type WallConferenceProps = {
  conference: Conference;
  /** The conference's incident; null for an ordinary-mode conference. */
  incident: Incident | null;
  region: RegionConfig;
};

/**
 * A running coordination conference as the room reads it: the current step large, the
 * agenda with the current step marked, and the roll call. It replaces the acknowledgement
 * matrix while the conference runs: the roll call says as much and more.
 */
export function WallConference({ conference, incident, region }: WallConferenceProps) {
  return (
    <div className="wall-conf" data-testid="wall-conference" data-conference-id={conference.id}>
      <ConferenceSteps conference={conference} />
      <RollCall conference={conference} incident={incident} region={region} />
    </div>
  );
}

/** The current step in large type, and the seven as a row of numbers with the current one marked. */
function ConferenceSteps({ conference }: { conference: Conference }) {
  const { t } = useTranslation();
  const step = conference.step ?? 'rollCall';
  const current = stepIndex(step);
  return (
    <section className="wall-conf__steps" aria-labelledby="wall-conf-heading">
      <h2 id="wall-conf-heading" className="wall-heading">
        {t('wall.conference.running')}
        {conference.incidentId === null && <span className="wall-conf__title"> · {conference.title}</span>}
      </h2>
      {/* Polite: a new step is read out without cutting into anything else. */}
      <p
        className="wall-conf__current"
        aria-live="polite"
        data-testid="wall-conference-step"
        data-step={step}
      >
        <span className="wall-conf__number">
          {t('wall.conference.stepOf', { index: current + 1, count: CONFERENCE_STEPS.length })}
        </span>{' '}
        <span className="wall-conf__name">{t(`conference.steps.${step}`)}</span>
      </p>
      <ol className="wall-conf__agenda" aria-label={t('wall.conference.agenda')}>
        {CONFERENCE_STEPS.map((s, i) => {
          const when = i < current ? 'done' : i === current ? 'current' : 'later';
          return (
            <li
              key={s}
              className={`wall-conf__agenda-step wall-conf__agenda-step--${when}`}
              aria-current={when === 'current' ? 'step' : undefined}
            >
              <span className="wall-conf__agenda-number">{i + 1}</span>
              {/* One line across the room: only the current step spelled out; all of them for screen readers. */}
              <span className={when === 'current' ? undefined : 'visually-hidden'}>
                {' '}
                {t(`conference.steps.${s}`)}
              </span>
              {when !== 'later' && <span className="visually-hidden"> ({t(`wall.conference.${when}`)})</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const MARKS: Record<RollCallCell['state'], string> = {
  present: '✓',
  represented: '↪',
  absentAcknowledged: '✗',
  absentUnacknowledged: '✗',
  notCalled: '…',
};

/** Every summoned actor as a cell that changes colour, never place, as the roll call fills in. */
function RollCall({ conference, incident, region }: WallConferenceProps) {
  const { t } = useTranslation();
  const cells = useMemo(() => rollCallCells(conference, incident, region), [conference, incident, region]);
  const counts = rollCallCounts(cells);
  const anyUnacked = cells.some((c) => c.state === 'notCalled' && !c.acknowledged);
  return (
    <section className="wall-rollcall" aria-labelledby="wall-rollcall-heading" data-testid="wall-roll-call">
      <h2 id="wall-rollcall-heading" className="wall-heading">
        {t('wall.conference.rollCall')}{' '}
        <span className="wall-rollcall__count" data-testid="wall-roll-call-count">
          {t('wall.conference.rollCallCounts', {
            present: counts.present,
            represented: counts.represented,
            absent: counts.absentAcknowledged + counts.absentUnacknowledged,
            notCalled: counts.notCalled,
          })}
          {/* The mark's key, for the eye; screen readers hear it in each cell. */}
          {anyUnacked && <span aria-hidden="true"> ({t('wall.conference.unackedMark')})</span>}
        </span>
      </h2>
      <ul className="wall-rollcall__grid">
        {cells.map((cell) => (
          <li
            key={cell.actorId}
            className={`wall-roll wall-roll--${cell.state}`}
            data-testid={`wall-roll-${cell.actorId}`}
            data-state={cell.state}
          >
            <span className="wall-roll__mark" aria-hidden="true">
              {MARKS[cell.state]}
            </span>
            <span className="wall-roll__name">{cell.name}</span>
            {cell.representedBy !== null && (
              <span className="wall-roll__by" aria-hidden="true">
                {cell.representedBy}
              </span>
            )}
            {/* Not reached yet and not acknowledged either: the room should know before calling. */}
            {cell.state === 'notCalled' && !cell.acknowledged && (
              <span className="wall-roll__unacked" aria-hidden="true">
                !
              </span>
            )}
            <span className="visually-hidden">
              {' '}
              {t(`wall.conference.presence.${cell.state}`, { actor: cell.representedBy ?? '' })}
              {cell.state === 'notCalled' &&
                !cell.acknowledged &&
                `, ${t('wall.conference.notAcknowledged')}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
