import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHook } from './debug-hook';
import { initI18n } from './i18n/i18n';
import { loadOutbox } from './outbox';
import { rememberSessionForOffline } from './phone/offline-session';
import { registerServiceWorker } from './phone/pwa/register-service-worker';
import { loadPreferences } from './preferences';
import { restoreSession } from './session-flow';
import './styles.css';
import { pageKindOf } from './page-kind';

// The wall and the phone pages load only where they are opened, which keeps the operator's
// first load small.
const WallApp = lazy(() => import('./wall/WallApp').then((m) => ({ default: m.WallApp })));
const PhoneApp = lazy(() => import('./phone/PhoneApp').then((m) => ({ default: m.PhoneApp })));

initI18n();
installDebugHook(window);
registerServiceWorker();
// The wall display is paired as a device and has its own way in; every other page is a person's.
const page = pageKindOf(window.location.pathname);
// Outside React, so StrictMode's double effects in development do not sign in twice.
if (page === 'wall') {
  void import('./wall/wall-flow').then((wall) => wall.startWall());
} else {
  rememberSessionForOffline();
  loadPreferences(page);
  // Commands earlier pages left unsent are shown (and later sent) even before sign-in.
  void loadOutbox();
  void restoreSession();
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Suspense fallback={null}>
        {page === 'wall' ? <WallApp /> : page === 'phone' ? <PhoneApp /> : <App />}
      </Suspense>
    </StrictMode>,
  );
}
