// The service worker: the app shell opens with no network. Built by the Vite plugin in
// `service-worker-plugin.ts` as `/sw.js`, which fills in the list of built files. It must
// import nothing, so that it is one self-contained script.
//
// Rules:
// - The hub's API, socket and health paths are never touched: the picture is never served
//   from a cache, and commands go through the outbox, not here.
// - Page loads go to the network first, so a new version (a protocol change reloads the
//   page) is picked up at once; with no network, or a hub that does not answer in time,
//   the cached shell opens instead.
// - The built files (hashed names, so they never change) come from the cache.

type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
};
type ServiceWorkerScope = {
  location: { origin: string };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
};

// A service worker's global scope; the DOM types the project compiles with do not know it.
const sw = globalThis as unknown as ServiceWorkerScope;

/** Filled in at build time: the built files, comma-separated, and a hash of the list. */
const PRECACHE = '__LAGESBILD_PRECACHE__'.split(',').filter((path) => path.startsWith('/'));
const BUILD = '__LAGESBILD_BUILD__';

const CACHE_PREFIX = 'lagesbild-shell-';
const CACHE = `${CACHE_PREFIX}${BUILD}`;
/** The single-page app's shell: the hub answers every page path with it. */
const SHELL = '/';
/** How long a page load waits for the hub before the cached shell opens instead. */
const NAVIGATION_TIMEOUT_MS = 4_000;
const NETWORK_ONLY = ['/api/', '/socket.io/', '/healthz', '/readyz'];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: past the HTTP cache, so the shell and its files belong to the same build.
      await cache.addAll([SHELL, ...PRECACHE].map((url) => new Request(url, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  event.respondWith(request.mode === 'navigate' ? pageLoad(request) : builtFile(request));
});

async function cachedShell(): Promise<Response | undefined> {
  return (await caches.open(CACHE)).match(SHELL);
}

async function pageLoad(request: Request): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([fetch(request), timeout]);
    // A proxy's error page while the hub restarts is worse than the shell, which retries.
    if (response.status >= 500) return (await cachedShell()) ?? response;
    return response;
  } catch {
    return (await cachedShell()) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
}

async function builtFile(request: Request): Promise<Response> {
  const cached = await caches.match(request);
  return cached ?? fetch(request);
}
