import type { Command, SessionInfo, StaleDetails } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../domain/format';
import { editRefusedCommand, isEditable } from '../features/edit-refused';
import {
  clearSentItems,
  discardItem,
  isFinalRefusal,
  keepMineItem,
  retryItem,
  shownStatus,
  waitingNote,
  type OutboxItem,
} from '../outbox';
import { useOutbox, userItems } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { errorText } from './error-text';
import { Modal } from './Modal';
import { registerTranslations } from '../i18n/register';
import { commandTypeEn } from '../outbox/i18n-en';
import { commandTypeSv } from '../outbox/i18n-sv';
import { incidentViewsEn } from '../features/i18n-en';
import { incidentViewsSv } from '../features/i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(incidentViewsSv, incidentViewsEn);
registerTranslations(commandTypeSv, commandTypeEn);

/** What the command is about, in a few words: the incident's title, a log line's start. */
function useSubject(command: Command): string {
  const incidents = usePicture((s) => s.state.incidents);
  const offers = usePicture((s) => s.state.offers);
  const payload: Record<string, unknown> = command.payload;
  if (command.type === 'logEntry.add') return command.payload.text.slice(0, 80);
  if (command.type === 'offer.make') return command.payload.what;
  if (command.type === 'offer.answer') return offers[command.payload.offerId]?.what ?? '';
  if (command.type === 'incident.request' || command.type === 'incident.activate')
    return command.payload.title;
  const incidentId = typeof payload.incidentId === 'string' ? payload.incidentId : null;
  return incidentId ? (incidents[incidentId]?.title ?? '') : '';
}

/** One changed text, the newer one beside the person's own. */
function Compared({ label, newer, mine }: { label: string; newer: string; mine: string }) {
  const { t } = useTranslation();
  return (
    <div className="stale-choice__field">
      <p className="outbox-item__label">{label}</p>
      <p data-testid="stale-newer">
        <span className="outbox-item__label">{t('outbox.stale.newer')}:</span> {newer || '–'}
      </p>
      <p data-testid="stale-mine">
        <span className="outbox-item__label">{t('outbox.stale.mine')}:</span> {mine || '–'}
      </p>
    </div>
  );
}

/**
 * A change refused because someone changed the item first: the newer text beside the
 * person's own, and the choice between sending theirs on the newer version or keeping the
 * newer one and dropping theirs. Never resolved without them.
 */
function StaleChoice({ item, stale }: { item: OutboxItem; stale: StaleDetails }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string | null | undefined) => (iso ? formatTime(iso, i18n.language) : '');
  const { command } = item;
  let compared: { label: string; newer: string; mine: string }[] = [];
  if (command.type === 'incident.update' && stale.item === 'incident') {
    const p = command.payload;
    compared = [
      ...(p.description !== undefined
        ? [{ label: t('outbox.stale.description'), newer: stale.incident.description, mine: p.description }]
        : []),
      ...(p.nextConferenceAt !== undefined
        ? [
            {
              label: t('outbox.stale.nextConference'),
              newer: time(stale.incident.nextConferenceAt),
              mine: time(p.nextConferenceAt),
            },
          ]
        : []),
    ];
  } else if (command.type === 'report.submit' && stale.item === 'report') {
    compared = [
      { label: t('reportForm.happened'), newer: stale.report.happened, mine: command.payload.happened },
      { label: t('reportForm.assessment'), newer: stale.report.assessment, mine: command.payload.assessment },
    ];
  }
  const by =
    stale.item === 'report'
      ? t('outbox.stale.reportBy', { name: stale.report.by.userName, time: time(stale.report.at) })
      : null;
  return (
    <div
      className="stale-choice"
      role="group"
      aria-label={t('outbox.stale.title')}
      data-testid="stale-choice"
    >
      <p>
        <strong>
          {t(stale.item === 'report' ? 'outbox.stale.reportChanged' : 'outbox.stale.incidentChanged')}
        </strong>
        {by && <> {by}</>}
      </p>
      {compared.map((c) => (
        <Compared key={c.label} {...c} />
      ))}
      <div className="outbox-item__actions">
        <button type="button" className="button button--small" onClick={() => void keepMineItem(item.id)}>
          {t('outbox.stale.keepMine')}
        </button>
        <button type="button" className="button button--small" onClick={() => void discardItem(item.id)}>
          {t('outbox.stale.takeNewer')}
        </button>
      </div>
    </div>
  );
}

function OutboxRow({ item, session }: { item: OutboxItem; session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const shown = shownStatus(item);
  const waiting = waitingNote(item);
  const subject = useSubject(item.command);
  const close = () => useView.getState().setOutboxOpen(false);
  // A stale refusal the client can offer a choice for; any other is shown as refused.
  const stale =
    item.status === 'failed' && item.error?.code === 'stale' && item.error.stale && canChoose(item.command)
      ? item.error.stale
      : undefined;
  return (
    <li className={`outbox-item outbox-item--${shown}`} data-testid="outbox-item" data-status={shown}>
      <div className="outbox-item__head">
        <strong>{t(`commandType.${item.command.type}`)}</strong>
        <span className={`chip chip--${shown}`}>{t(`outbox.status.${shown}`)}</span>
      </div>
      {subject && <p className="outbox-item__subject">{subject}</p>}
      <p className="outbox-item__meta">
        <time dateTime={new Date(item.createdAt).toISOString()}>
          {formatTime(new Date(item.createdAt).toISOString(), i18n.language)}
        </time>
        {waiting && <> · {t(waiting)}</>}
      </p>
      {shown === 'unconfirmed' && (
        <p className="outbox-item__reason" role="note">
          {t('outbox.unconfirmedHint')}
        </p>
      )}
      {item.status === 'failed' && item.error && (
        <p className="outbox-item__reason" role="note">
          <span className="outbox-item__label">{t('outbox.reason')}:</span> {errorText(t, item.error)}
        </p>
      )}
      {stale && <StaleChoice item={item} stale={stale} />}
      {/* One the hub may already have cannot be dropped: that would not take it off the picture. */}
      {(item.status === 'failed' || shown === 'queued') && !stale && (
        <div className="outbox-item__actions">
          {item.status === 'failed' && !isFinalRefusal(item) && (
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

/** Commands whose stale refusal the person can resolve by choosing (see stale-choice.ts). */
const canChoose = (command: Command): boolean =>
  command.type === 'incident.update' || command.type === 'report.submit';

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
