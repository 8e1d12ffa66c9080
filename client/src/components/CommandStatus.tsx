import { useTranslation } from 'react-i18next';
import { shownStatus } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';
import { useView } from '../stores/view';
import { errorText } from './error-text';

/** What became of a command the user just sent, read live from the outbox. */
export function CommandStatus({ itemId }: { itemId: string | null }) {
  const { t } = useTranslation();
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  if (!item) return null;
  const shown = shownStatus(item);
  return (
    <p className={`command-status command-status--${shown}`} role="status" data-testid="command-status">
      {item.status === 'failed' && item.error
        ? t('commandStatus.failed', { reason: errorText(t, item.error) })
        : t(`commandStatus.${shown}`)}
      {/* Someone changed it first: the outbox shows the newer text and lets the person choose.
          A stale refusal without the newer item (a directive's draft or version) offers no
          choice there: the view the person is in shows the newer state. */}
      {item.status === 'failed' && item.error?.code === 'stale' && item.error.stale && (
        <>
          {' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => useView.getState().setOutboxOpen(true)}
          >
            {t('commandStatus.chooseVersion')}
          </button>
        </>
      )}
    </p>
  );
}
