import { useTranslation } from 'react-i18next';
import { isPending } from '../outbox';
import { useOutbox } from '../stores/outbox';

/** Before the session is known: reassurance that nothing written offline is lost. */
export function PendingNotice() {
  const { t } = useTranslation();
  const count = useOutbox((s) => Object.values(s.items).filter(isPending).length);
  if (count === 0) return null;
  return (
    <p className="notice" data-testid="pending-notice">
      {t('app.pendingCommands', { count })}
    </p>
  );
}
