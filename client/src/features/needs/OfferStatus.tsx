import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../../components/CommandStatus';
import { useOutbox } from '../../stores/outbox';

/** The newer need the hub named when it refused an offer as stale, if it named one. */
export type NewerNeed = { reportId: string; seq: number; needs: string };

/**
 * What became of an offer. Refused as stale, the need changed after the person read it:
 * that is said plainly, with the newer need, and they can read it again and resend.
 */
export function OfferStatus({
  itemId,
  onLookAgain,
}: {
  itemId: string | null;
  onLookAgain: (newer: NewerNeed | null) => void;
}) {
  const { t } = useTranslation();
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  if (item?.status !== 'failed' || item.error?.code !== 'stale') return <CommandStatus itemId={itemId} />;
  const stale = item.error.stale;
  const newer =
    stale?.item === 'report'
      ? { reportId: stale.report.id, seq: stale.report.seq, needs: stale.report.needs }
      : null;
  return (
    <div className="form__error" role="alert" data-testid="offer-stale">
      <p>{t('offers.staleRefused')}</p>
      {newer && (
        <p className="form__error-detail prewrap">{t('offers.newerNeed', { needs: newer.needs || '–' })}</p>
      )}
      <button type="button" className="button button--small" onClick={() => onLookAgain(newer)}>
        {t('offers.lookAgain')}
      </button>
    </div>
  );
}
