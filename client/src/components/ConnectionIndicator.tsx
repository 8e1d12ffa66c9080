import { useTranslation } from 'react-i18next';
import { formatAge } from '../domain/format';
import { useNow } from '../hooks/use-now';
import { useConnection } from '../stores/connection';

/** Whether the picture is live, and how old the newest news is. */
export function ConnectionIndicator() {
  const { t, i18n } = useTranslation();
  const status = useConnection((s) => s.status);
  const canStore = useConnection((s) => s.canStore);
  const lastEventAt = useConnection((s) => s.lastEventAt);
  const now = useNow(1_000);
  // Connected but unable to store: the picture is live, what the user sends waits.
  const shown = status === 'online' && !canStore ? 'cannotStore' : status;

  return (
    <p className={`connection connection--${shown}`} data-testid="connection" data-can-store={canStore}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__status">{t(`connection.${shown}`)}</span>
      {/* The gap is drawn by CSS; a screen reader needs the pause in words. */}
      <span className="visually-hidden">, </span>
      <span className="connection__age">
        {lastEventAt === null
          ? t('connection.noEvents')
          : t('connection.lastEvent', { age: formatAge(now - lastEventAt, i18n.language) })}
      </span>
    </p>
  );
}
