import type { RegionConfig } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { usePicture } from '../stores/picture';
import { formatTimeOfDay, formatWhen } from './wall-format';

/**
 * A new activation fills the whole screen at once: the word AKTIVERING, what, and who is
 * summoned. It gives way to the normal view by itself; nobody needs to touch the wall.
 */
export function ActivationTakeover({ incidentId, region }: { incidentId: string; region: RegionConfig }) {
  const { t, i18n } = useTranslation();
  const incident = usePicture((s) => s.state.incidents[incidentId]);
  const now = useNow(60_000);
  if (!incident || incident.status !== 'active') return null;
  const summoned = incident.summonedActorIds.length;
  return (
    <div className="wall-takeover" role="alert" data-testid="wall-takeover">
      <p className="wall-takeover__heading">{t('wall.takeoverHeading')}</p>
      <h1 className="wall-takeover__title">{incident.title}</h1>
      <p className="wall-takeover__facts">
        <span>{t(`incidentKind.${incident.kind}`)}</span>
        {incident.activatedAt && <span>{formatTimeOfDay(incident.activatedAt, i18n.language)}</span>}
      </p>
      <p className="wall-takeover__summoned">
        {summoned === 0 || summoned === region.actors.length
          ? t('wall.summonedAll')
          : t('wall.summonedCount', { count: summoned })}
      </p>
      {incident.nextConferenceAt && (
        <p className="wall-takeover__conference">
          {t('wall.nextConference')} {formatWhen(incident.nextConferenceAt, now, i18n.language)}
        </p>
      )}
    </div>
  );
}
