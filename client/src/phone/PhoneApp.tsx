import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInPage } from '../pages/SignInPage';
import { restoreSession } from '../session-flow';
import { useSession } from '../stores/session';
import { offlineSession } from './offline-session';
import { PhonePage } from './PhonePage';
import { registerTranslations } from '../i18n/register';
import { commandTypeEn } from '../outbox/i18n-en';
import { commandTypeSv } from '../outbox/i18n-sv';
import { phoneEn } from './phone-en';
import { phoneSv } from './phone-sv';

// The phone pages' texts load with them; the operators' first page carries none of them.
registerTranslations({ phone: phoneSv }, { phone: phoneEn });
registerTranslations(commandTypeSv, commandTypeEn);

/**
 * `/phone`: the field pages once signed in. While the hub cannot be reached, the session
 * remembered on this phone opens them anyway, so work goes into the outbox.
 */
export function PhoneApp() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const session = useSession((s) => s.session);
  const remembered = useMemo(
    () => (status === 'loading' || status === 'unreachable' ? offlineSession() : null),
    [status],
  );

  if (status === 'signedIn' && session) return <PhonePage session={session} live />;
  // While the hub is being asked the page opens at once; it says "offline" only once it is.
  if (remembered) return <PhonePage session={remembered} live={status === 'loading'} />;
  if (status === 'signedOut') return <SignInPage />;
  if (status === 'unreachable') {
    return (
      <main className="centered" id="main">
        <p role="alert">{t('session.unreachable')}</p>
        <button type="button" className="button button--primary" onClick={() => void restoreSession()}>
          {t('session.retry')}
        </button>
      </main>
    );
  }
  return (
    <main className="centered" id="main" aria-busy="true">
      <p>{t('app.loading')}</p>
    </main>
  );
}
