import type { SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { unconfirmedCount, unsentCount, useOutbox } from '../stores/outbox';
import { useView } from '../stores/view';

/** The outbox's door: how many commands have not reached the hub, and whether any was refused. */
export function OutboxButton({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const count = useOutbox((s) => unsentCount(s.items, session.user.id));
  const unconfirmed = useOutbox((s) => unconfirmedCount(s.items, session.user.id));
  const notSent = count - unconfirmed;
  // "Not sent" is false for one the hub may already have: those are counted by their own name.
  const label = [
    ...(notSent > 0 || unconfirmed === 0 ? [t('outbox.unsent', { count: notSent })] : []),
    ...(unconfirmed > 0 ? [t('outbox.unconfirmedCount', { count: unconfirmed })] : []),
  ].join(', ');
  const failed = useOutbox((s) =>
    Object.values(s.items).some((i) => i.userId === session.user.id && i.status === 'failed'),
  );
  return (
    <button
      type="button"
      className={`button button--secondary outbox-button${failed ? ' outbox-button--failed' : ''}`}
      onClick={() => useView.getState().setOutboxOpen(true)}
      data-testid="outbox-button"
      data-unsent={count}
    >
      {t('outbox.title')}
      <span className="badge" aria-hidden={count === 0}>
        {count}
      </span>
      <span className="visually-hidden">
        {failed ? t('outbox.hasFailed') : ''} {label}
      </span>
    </button>
  );
}
