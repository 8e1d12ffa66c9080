import { useTranslation } from 'react-i18next';
import { formatAge } from '../domain/format';
import { useNow } from '../hooks/use-now';
import { useConnection } from '../stores/connection';
import type { WallDisplay } from './wall-store';

/** Small print at the bottom: which display this is, the link, and the last event's age. */
export function WallStatusLine({ display }: { display: WallDisplay }) {
  const { t, i18n } = useTranslation();
  const status = useConnection((s) => s.status);
  const lastEventAt = useConnection((s) => s.lastEventAt);
  const now = useNow(10_000);
  return (
    <p className={`wall-status wall-status--${status}`} data-testid="wall-connection" data-status={status}>
      <span>{t('wall.display', { name: display.identity.name })}</span>
      <span>{t(`connection.${status}`)}</span>
      <span>
        {lastEventAt === null
          ? t('connection.noEvents')
          : t('connection.lastEvent', { age: formatAge(now - lastEventAt, i18n.language) })}
      </span>
    </p>
  );
}
