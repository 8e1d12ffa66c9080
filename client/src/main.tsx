import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installDebugHook } from './debug-hook';
import { initI18n } from './i18n/i18n';
import { restoreSession } from './session-flow';
import './styles.css';

initI18n();
installDebugHook(window);
// Outside React, so StrictMode's double effects in development do not sign in twice.
void restoreSession();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
