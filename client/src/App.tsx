import { useTranslation } from 'react-i18next';
import { PendingNotice } from './components/PendingNotice';
import { DashboardPage } from './pages/DashboardPage';
import { SignInPage } from './pages/SignInPage';
import { restoreSession } from './session-flow';
import { useSession } from './stores/session';

/** Chooses the page from the session; there is nothing to route to before sign-in. */
export function App() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const session = useSession((s) => s.session);

  if (status === 'signedIn' && session) return <DashboardPage session={session} />;
  if (status === 'signedOut') return <SignInPage />;
  if (status === 'unreachable') {
    return (
      <main className="centered" id="main">
        <p role="alert">{t('session.unreachable')}</p>
        <PendingNotice />
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
