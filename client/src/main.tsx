import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHook } from './debug-hook';
import { initI18n } from './i18n/i18n';
import { loadOutbox } from './outbox';
import { rememberSessionForOffline } from './phone/offline-session';
import { isPhonePath, PhoneApp } from './phone/PhoneApp';
import { registerServiceWorker } from './phone/pwa/register-service-worker';
import { loadPreferences } from './preferences';
import { restoreSession } from './session-flow';
import './styles.css';
import { WallApp } from './wall/WallApp';
import { isWallPath, startWall } from './wall/wall-flow';

initI18n();
installDebugHook(window);
registerServiceWorker();
// The wall display is paired as a device and has its own way in; every other page is a person's.
const page = isWallPath(window.location.pathname)
  ? 'wall'
  : isPhonePath(window.location.pathname)
    ? 'phone'
    : 'app';
// Outside React, so StrictMode's double effects in development do not sign in twice.
if (page === 'wall') {
  void startWall();
} else {
  rememberSessionForOffline();
  loadPreferences();
  // Commands earlier pages left unsent are shown (and later sent) even before sign-in.
  void loadOutbox();
  void restoreSession();
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>{page === 'wall' ? <WallApp /> : page === 'phone' ? <PhoneApp /> : <App />}</StrictMode>,
  );
}
