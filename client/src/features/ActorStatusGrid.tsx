import type { Incident, SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusChip } from '../components/StatusChip';
import { Time } from '../components/Time';
import { actorStatuses } from '../domain/picture';
import { usePicture } from '../stores/picture';

/**
 * The summoned actors' statuses from their latest reports, the most severe first. Actors
 * without a report share one line, so forty actors fit beside the map.
 */
export function ActorStatusGrid({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const entries = useMemo(
    () => actorStatuses(state, incident, session.region),
    [state, incident, session.region],
  );
  const reported = entries.filter((e) => e.status !== null);
  const silent = entries.filter((e) => e.status === null);
  return (
    <section aria-labelledby="status-heading" className="section">
      <h3 id="status-heading">{t('actorStatus.title')}</h3>
      {reported.length > 0 && (
        <ul className="status-grid" data-testid="actor-status">
          {reported.map((entry) => (
            <li key={entry.actorId} className={`status-tile status-tile--${entry.status ?? 'none'}`}>
              <span className="status-tile__name">{entry.actorName}</span>
              <StatusChip status={entry.status} />
              {entry.at && (
                <span className="status-tile__time">
                  <Time iso={entry.at} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {silent.length > 0 && (
        <p className="status-silent" data-testid="actors-without-report">
          <StatusChip status={null} />{' '}
          <span>
            {t('actorStatus.withoutReport', { count: silent.length })}:{' '}
            {silent.map((e) => e.actorName).join(', ')}
          </span>
        </p>
      )}
    </section>
  );
}
