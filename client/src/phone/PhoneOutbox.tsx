import type { SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/error-text';
import { formatTime } from '../domain/format';
import {
  clearSentItems,
  discardItem,
  isFinalRefusal,
  retryItem,
  shownStatus,
  waitingNote,
  type OutboxItem,
} from '../outbox';
import { useOutbox, userItems } from '../stores/outbox';

/** One command: what it is, where it stands as the person sees it, and what it waits for. */
function PhoneOutboxRow({ item }: { item: OutboxItem }) {
  const { t, i18n } = useTranslation();
  const shown = shownStatus(item);
  const waiting = waitingNote(item);
  return (
    <li
      className={`phone-outbox__item phone-outbox__item--${shown}`}
      data-testid="outbox-item"
      data-status={shown}
      data-type={item.command.type}
    >
      <p className="phone-outbox__head">
        <strong>{t(`commandType.${item.command.type}`)}</strong>
        <span className={`chip chip--${shown}`}>{t(`outbox.status.${shown}`)}</span>
      </p>
      <p className="hint">
        <time dateTime={new Date(item.createdAt).toISOString()}>
          {formatTime(new Date(item.createdAt).toISOString(), i18n.language)}
        </time>
        {waiting && <> · {t(waiting)}</>}
      </p>
      {shown === 'unconfirmed' && <p className="hint">{t('outbox.unconfirmedHint')}</p>}
      {item.status === 'failed' && item.error && (
        <p className="phone-notice">
          {t('outbox.reason')}: {errorText(t, item.error)}
        </p>
      )}
      {/* Not one the hub may already have: dropping it would not take it off the picture. */}
      {(item.status === 'failed' || shown === 'queued') && (
        <div className="phone-actions">
          {item.status === 'failed' && !isFinalRefusal(item) && (
            <button type="button" className="button" onClick={() => void retryItem(item.id)}>
              {t('outbox.retry')}
            </button>
          )}
          <button type="button" className="button" onClick={() => void discardItem(item.id)}>
            {t('outbox.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * The phone's outbox: everything the person sent, newest first, each visibly queued,
 * sending, sent or refused, with the hub's reason and a way to try again or drop it.
 */
export function PhoneOutbox({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const all = useOutbox((s) => s.items);
  const items = useMemo(() => userItems(all, session.user.id).reverse(), [all, session.user.id]);
  return (
    <section className="phone-section" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">{t('outbox.title')}</h2>
      <p className="hint">{t('outbox.intro')}</p>
      {items.length === 0 ? (
        <p className="empty">{t('outbox.empty')}</p>
      ) : (
        <ul className="phone-outbox" data-testid="phone-outbox">
          {items.map((item) => (
            <PhoneOutboxRow key={item.id} item={item} />
          ))}
        </ul>
      )}
      {items.some((i) => i.status === 'sent') && (
        <button type="button" className="button" onClick={() => void clearSentItems(session.user.id)}>
          {t('outbox.clearSent')}
        </button>
      )}
    </section>
  );
}
