import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { useConnection } from '../stores/connection';
import { staleness, withHubContact } from './staleness';
import { formatDuration, formatTimeOfDay } from './wall-format';
import { useWall } from './wall-store';

/**
 * Across the top of the wall while its data may be outdated: the link is down, or the hub
 * it is connected to cannot reach its log. Since when, and how old the data may be. The
 * rest of the wall is dimmed by CSS while this is shown, so nobody reads an outdated
 * picture as a live one.
 */
export function StaleBanner() {
  const { t, i18n } = useTranslation();
  const link = useWall((s) => s.link);
  const hubStaleSince = useConnection((s) => s.staleSince);
  const now = useNow(1_000);
  const stale = withHubContact(staleness(link, now), hubStaleSince, now);
  if (stale.kind !== 'stale' && stale.kind !== 'hubStale') return null;
  const detail = stale.kind === 'stale' ? 'wall.staleDetail' : 'wall.staleHubDetail';
  return (
    <div
      className="wall-stale"
      role="alert"
      data-testid="stale-warning"
      data-cause={stale.kind === 'stale' ? 'link' : 'hub'}
      data-age-ms={stale.ageMs}
    >
      <strong className="wall-stale__heading">{t('wall.staleHeading')}</strong>
      <span className="wall-stale__detail">
        {t(detail, {
          time: formatTimeOfDay(stale.since, i18n.language),
          age: formatDuration(stale.ageMs, i18n.language),
        })}
      </span>
    </div>
  );
}
