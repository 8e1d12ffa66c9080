import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { staleness } from './staleness';
import { formatDuration, formatTimeOfDay } from './wall-format';
import { useWall } from './wall-store';

/**
 * Across the top of the wall while the link is down: since when, and how old the data is.
 * The rest of the wall is dimmed by CSS while this is shown, so nobody reads an outdated
 * picture as a live one.
 */
export function StaleBanner() {
  const { t, i18n } = useTranslation();
  const link = useWall((s) => s.link);
  const now = useNow(1_000);
  const stale = staleness(link, now);
  if (stale.kind !== 'stale') return null;
  return (
    <div className="wall-stale" role="alert" data-testid="stale-warning" data-age-ms={stale.ageMs}>
      <strong className="wall-stale__heading">{t('wall.staleHeading')}</strong>
      <span className="wall-stale__detail">
        {t('wall.staleDetail', {
          time: formatTimeOfDay(stale.since, i18n.language),
          age: formatDuration(stale.ageMs, i18n.language),
        })}
      </span>
    </div>
  );
}
