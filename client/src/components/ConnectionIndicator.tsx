import { useTranslation } from 'react-i18next';
import { formatAge, formatClock } from '../domain/format';
import { useNow } from '../hooks/use-now';
import { useConnection, type ConnectionStatus } from '../stores/connection';

/** What the indicator says, from the link's status and what the hub said about its log. */
type Shown = ConnectionStatus | 'cannotStore' | 'stale' | 'noDatabase';

/** Whether the picture is live, and how old the newest news is. */
export function ConnectionIndicator() {
  const { t, i18n } = useTranslation();
  const status = useConnection((s) => s.status);
  const canStore = useConnection((s) => s.canStore);
  const staleSince = useConnection((s) => s.staleSince);
  const refusedFor = useConnection((s) => s.lastProblem?.code);
  const lastEventAt = useConnection((s) => s.lastEventAt);
  const now = useNow(1_000);
  const shown: Shown =
    status === 'online'
      ? // Connected, but the hub is cut off from its log: other hubs' news may not be
        // arriving, so the picture may be older than it looks.
        staleSince !== null
        ? 'stale'
        : // Connected but unable to store: the picture is live, what the user sends waits.
          !canStore
          ? 'cannotStore'
          : 'online'
      : // No network here is the first thing to fix, whatever a hub said before it went.
        status === 'offline'
        ? 'offline'
        : // The hub refused the connection because it cannot reach its log (sessions live there).
          refusedFor === 'log_unavailable'
          ? 'noDatabase'
          : status;
  const text =
    shown === 'stale' && staleSince !== null
      ? t('connection.stale', { time: formatClock(staleSince, i18n.language) })
      : t(`connection.${shown}`);

  return (
    <p className={`connection connection--${shown}`} data-testid="connection" data-can-store={canStore}>
      <span className="connection__dot" aria-hidden="true" />
      {/* A live region of its own, so a change of the link is read out, not the age ticking. */}
      <span className="connection__status" role="status" aria-live="polite" data-shown={shown}>
        {text}
        {shown === 'stale' && <span className="visually-hidden">. {t('connection.staleDetail')}</span>}
      </span>
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
