import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PendingNotice } from './components/PendingNotice';
import { DashboardPage } from './pages/DashboardPage';
import { SignInPage } from './pages/SignInPage';
import { restoreSession } from './session-flow';
import { useConnection } from './stores/connection';
import { useSession } from './stores/session';

/** How long a signed-in page waits for its first picture before it draws what it has. */
const FIRST_PICTURE_WAIT_MS = 3_000;

/**
 * Whether the dashboard may be drawn: once the first picture has arrived, the link has
 * failed, or the wait is over. Drawn earlier, the mode banner and the panels would jump
 * when the picture lands (a layout shift a user sees as the page moving under the finger).
 */
function useFirstPicture(signedIn: boolean): boolean {
  const arrived = useConnection(
    (s) => s.lastEventAt !== null || s.status === 'offline' || s.status === 'reconnecting',
  );
  const [waitedOut, setWaitedOut] = useState(false);
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => setWaitedOut(true), FIRST_PICTURE_WAIT_MS);
    return () => clearTimeout(timer);
  }, [signedIn]);
  return arrived || waitedOut;
}

/** Chooses the page from the session; there is nothing to route to before sign-in. */
export function App() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const session = useSession((s) => s.session);
  const pictureReady = useFirstPicture(status === 'signedIn');

  if (status === 'signedIn' && session && pictureReady) return <DashboardPage session={session} />;
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
