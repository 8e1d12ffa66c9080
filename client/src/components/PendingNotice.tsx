import { useTranslation } from 'react-i18next';
import { isPending } from '../outbox';
import { useOutbox } from '../stores/outbox';

/**
 * Before the session is known: reassurance that nothing written offline is lost, and what
 * it waits for: the server (`hub`, when it cannot be reached) or the person (`signIn`, on
 * the sign-in page after a session ran out).
 */
export function PendingNotice({ waitingFor = 'hub' }: { waitingFor?: 'hub' | 'signIn' }) {
  const { t } = useTranslation();
  const count = useOutbox((s) => Object.values(s.items).filter(isPending).length);
  if (count === 0) return null;
  return (
    <p className="notice" data-testid="pending-notice">
      {t(waitingFor === 'signIn' ? 'app.pendingUntilSignIn' : 'app.pendingCommands', { count })}
    </p>
  );
}
