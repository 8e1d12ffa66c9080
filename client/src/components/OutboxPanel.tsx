import type { Command, SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../domain/format';
import { editRefusedCommand, isEditable } from '../features/edit-refused';
import { clearSentItems, discardItem, retryItem, type OutboxItem } from '../outbox';
import { useOutbox, userItems } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { errorText } from './error-text';
import { Modal } from './Modal';

/** What the command is about, in a few words: the incident's title, a log line's start. */
function useSubject(command: Command): string {
  const incidents = usePicture((s) => s.state.incidents);
  const payload: Record<string, unknown> = command.payload;
  if (command.type === 'logEntry.add') return command.payload.text.slice(0, 80);
  if (command.type === 'incident.request' || command.type === 'incident.activate')
    return command.payload.title;
  const incidentId = typeof payload.incidentId === 'string' ? payload.incidentId : null;
  return incidentId ? (incidents[incidentId]?.title ?? '') : '';
}

function OutboxRow({ item, session }: { item: OutboxItem; session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const subject = useSubject(item.command);
  const close = () => useView.getState().setOutboxOpen(false);
  return (
    <li
      className={`outbox-item outbox-item--${item.status}`}
      data-testid="outbox-item"
      data-status={item.status}
    >
      <div className="outbox-item__head">
        <strong>{t(`commandType.${item.command.type}`)}</strong>
        <span className={`chip chip--${item.status}`}>{t(`outbox.status.${item.status}`)}</span>
      </div>
      {subject && <p className="outbox-item__subject">{subject}</p>}
      <p className="outbox-item__meta">
        <time dateTime={new Date(item.createdAt).toISOString()}>
          {formatTime(new Date(item.createdAt).toISOString(), i18n.language)}
        </time>
        {item.status === 'queued' && item.error && <> · {t('outbox.waiting')}</>}
      </p>
      {item.status === 'failed' && item.error && (
        <p className="outbox-item__reason" role="note">
          <span className="outbox-item__label">{t('outbox.reason')}:</span> {errorText(t, item.error)}
        </p>
      )}
      {(item.status === 'failed' || item.status === 'queued') && (
        <div className="outbox-item__actions">
          {item.status === 'failed' && (
            <button type="button" className="button button--small" onClick={() => void retryItem(item.id)}>
              {t('outbox.retry')}
            </button>
          )}
          {item.status === 'failed' && isEditable(item.command) && (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                void editRefusedCommand(session, item);
                close();
              }}
            >
              {t('outbox.edit')}
            </button>
          )}
          <button
            type="button"
            className="button button--small button--danger"
            onClick={() => void discardItem(item.id)}
          >
            {t('outbox.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

/** Every command of this user that is on its way, refused or recently sent. */
export function OutboxPanel({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const all = useOutbox((s) => s.items);
  const items = useMemo(() => userItems(all, session.user.id).reverse(), [all, session.user.id]);
  const hasSent = items.some((i) => i.status === 'sent');

  return (
    <Modal title={t('outbox.title')} onClose={() => useView.getState().setOutboxOpen(false)} testId="outbox">
      <p className="hint">{t('outbox.intro')}</p>
      {items.length === 0 ? (
        <p className="empty">{t('outbox.empty')}</p>
      ) : (
        <ul className="outbox-list">
          {items.map((item) => (
            <OutboxRow key={item.id} item={item} session={session} />
          ))}
        </ul>
      )}
      {hasSent && (
        <button
          type="button"
          className="button button--small"
          onClick={() => void clearSentItems(session.user.id)}
        >
          {t('outbox.clearSent')}
        </button>
      )}
    </Modal>
  );
}
