/**
 * Registers `/sw.js`, which lets the app open with no network. Only in a production build:
 * the development server has no worker, and a stale one would serve old code there.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
    // Without it the app still works online; only opening offline is lost.
    console.warn('The service worker could not be registered', error);
  });
}
