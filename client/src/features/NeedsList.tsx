import type { SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePicture } from '../stores/picture';
import { NeedItem } from './needs/NeedItem';
import { needRows } from './needs/need-rows';

/**
 * What the actors ask of each other, from their latest reports, with who offered what and
 * how far each need is covered: "dela resurser och kompetens".
 */
export function NeedsList({ session, incidentId }: { session: SessionInfo; incidentId: string }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const incident = state.incidents[incidentId];
  const rows = useMemo(
    () => needRows(state, incidentId, session.region),
    [state, incidentId, session.region],
  );
  return (
    <section aria-labelledby="needs-heading" className="section">
      <h3 id="needs-heading">{t('needs.title')}</h3>
      {rows.length === 0 || !incident ? (
        <p className="empty">{t('needs.empty')}</p>
      ) : (
        <ul className="needs-list" data-testid="needs">
          {/* Keyed by actor: a newer report of the same actor keeps an offer being written. */}
          {rows.map((row) => (
            <NeedItem key={row.actorId} session={session} incident={incident} row={row} />
          ))}
        </ul>
      )}
    </section>
  );
}
