import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/use-now';
import { formatClock, formatDate } from './wall-format';

/** The time and date, large: a room looks here first during a conference. */
export function WallClock() {
  const { t, i18n } = useTranslation();
  const now = useNow(1_000);
  return (
    <p className="wall-clock" aria-label={t('wall.clock')}>
      <time className="wall-clock__time" dateTime={new Date(now).toISOString()} data-testid="wall-clock">
        {formatClock(now, i18n.language)}
      </time>
      <span className="wall-clock__date">{formatDate(now, i18n.language)}</span>
    </p>
  );
}
