import type { SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusChip } from '../components/StatusChip';
import { Time } from '../components/Time';
import { needsAcrossActors } from '../domain/picture';
import { usePicture } from '../stores/picture';

/** What the actors ask of each other, from their latest reports. */
export function NeedsList({ session, incidentId }: { session: SessionInfo; incidentId: string }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const needs = useMemo(
    () => needsAcrossActors(state, incidentId, session.region),
    [state, incidentId, session.region],
  );
  return (
    <section aria-labelledby="needs-heading" className="section">
      <h3 id="needs-heading">{t('needs.title')}</h3>
      {needs.length === 0 ? (
        <p className="empty">{t('needs.empty')}</p>
      ) : (
        <ul className="needs-list" data-testid="needs">
          {needs.map((need) => (
            <li key={need.reportId} className="needs-list__item">
              <p className="needs-list__head">
                <strong>{need.actorName}</strong> <StatusChip status={need.status} /> <Time iso={need.at} />
              </p>
              <p className="prewrap">{need.needs}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
