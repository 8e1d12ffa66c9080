import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot, startHub, type HubOptions, type HubProcess } from './hub-process';

/** Debian's Chromium; playwright-core brings no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless Chromium in a container without a sandbox or GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts Chromium; close it in `afterAll`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce(
    (newest, name) =>
      name === 'node_modules' ? newest : Math.max(newest, newestMtime(path.join(target, name))),
    stat.mtimeMs,
  );
}

/**
 * Builds the client when `client/dist` is missing or older than its sources (the client
 * bundles `shared/` too). The hub decides at start whether it serves a client, so call
 * this before `startHub`. A lock keeps two test processes from building at once.
 */
export function ensureClientBuilt(): void {
  const built = newestMtime(path.join(repoRoot, 'client/dist/index.html'));
  const sources = Math.max(
    ...['client/src', 'client/public', 'client/index.html', 'client/vite.config.ts', 'shared/src'].map((p) =>
      newestMtime(path.join(repoRoot, p)),
    ),
  );
  if (built > sources) return;
  execFileSync('flock', ['/tmp/lagesbild-client-build.lock', 'npm', 'run', 'build', '-w', 'client'], {
    cwd: repoRoot,
    // Vitest sets NODE_ENV=test, which would give a development build (development React,
    // `import.meta.env.PROD` false and so no service worker): test what users get.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * A hub that serves the built client to a browser. The browser's origin must be the hub's
 * public URL (the hub refuses cross-origin writes), so the port is chosen first (`urlEnv`).
 */
export async function startBrowserHub(options: HubOptions = {}): Promise<HubProcess> {
  ensureClientBuilt();
  return startHub({ ...options, urlEnv: (url) => ({ PUBLIC_URL: url, ...options.urlEnv?.(url) }) });
}

export type ContextOptions = {
  viewport?: { width: number; height: number };
  /** Language stored before the first load; Swedish (the default) when absent. */
  language?: 'sv' | 'en';
};

/** A fresh browser profile (own cookies and IndexedDB) with the app open, not signed in. */
export async function openApp(browser: Browser, hubUrl: string, options: ContextOptions = {}) {
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  if (options.language) {
    await context.addInitScript((language) => {
      const { localStorage } = globalThis as unknown as PageGlobals;
      if (!localStorage.getItem('lagesbild.language')) localStorage.setItem('lagesbild.language', language);
    }, options.language);
  }
  const page = await context.newPage();
  await page.goto(hubUrl);
  return { context, page };
}

/** Signs in through the sign-in page and waits until the picture is live. */
export async function signInThroughUi(
  page: Page,
  username: string,
  password = 'lagesbild-demo',
): Promise<void> {
  await page.locator('#sign-in-username').fill(username);
  await page.locator('#sign-in-password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await waitForConnection(page, 'online');
}

/** A signed-in page in its own browser profile. */
export async function openSignedIn(
  browser: Browser,
  hubUrl: string,
  username: string,
  options: ContextOptions = {},
) {
  const opened = await openApp(browser, hubUrl, options);
  await signInThroughUi(opened.page, username);
  return opened;
}

/** A phone-sized profile on `/phone`, signed in; with a position, it has allowed the app to read it. */
export async function openPhone(
  browser: Browser,
  hubUrl: string,
  username: string,
  position?: { latitude: number; longitude: number; accuracy: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    ...(position ? { geolocation: position, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  await page.goto(`${hubUrl}/phone`);
  await signInThroughUi(page, username);
  return { context, page };
}

/** Waits for the realtime link to reach a state, read from `window.__lagesbild`. */
export async function waitForConnection(page: Page, status: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => (globalThis as unknown as PageGlobals).__lagesbild?.connection === wanted,
    status,
    { timeout },
  );
}

// Functions passed to `page.evaluate` run in the page but are type-checked here, without a DOM.
type ServiceWorkerGlobals = { navigator: { serviceWorker: { controller: object | null } } };

/**
 * Waits until the service worker controls the page: it claims the page once it has stored
 * every file of the app, so from then on the app's views open without a network, as they do
 * for anyone whose browser has had the app open for a moment.
 */
export async function waitForServiceWorker(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as unknown as ServiceWorkerGlobals).navigator.serviceWorker.controller !== null,
    undefined,
    { timeout },
  );
}

/** Waits until the map inside the element with this test id has drawn its controls. */
export async function waitForMap(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).locator('.leaflet-control-zoom-in').waitFor({ timeout: 15_000 });
}

/** Waits until the page has folded the hub's events up to `seq`. */
export async function waitForSeq(page: Page, seq: number, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => ((globalThis as unknown as PageGlobals).__lagesbild?.lastSeq ?? 0) >= wanted,
    seq,
    { timeout },
  );
}

/** What `window.__lagesbild` shows a test (client/src/debug-hook.ts). */
export type PageHook = {
  lastSeq: number;
  connection: string;
  missingTranslations: readonly string[];
  unsentCommands: number;
  stateHash(): string;
};

// Functions passed to `page.evaluate` run in the page, but are type-checked here, where
// there is no DOM: they reach the page's globals through this.
type PageGlobals = {
  __lagesbild?: PageHook;
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
};

/** Reads the debug hook of the page. */
export async function readHook(page: Page): Promise<Omit<PageHook, 'stateHash'> & { stateHash: string }> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as PageGlobals).__lagesbild;
    if (!hook) throw new Error('window.__lagesbild is missing');
    return {
      lastSeq: hook.lastSeq,
      connection: hook.connection,
      missingTranslations: [...hook.missingTranslations],
      unsentCommands: hook.unsentCommands,
      stateHash: hook.stateHash(),
    };
  });
}

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

type FrameGlobals = { requestAnimationFrame: (callback: () => void) => number };

/**
 * Runs axe-core in the page (WCAG 2.0/2.1 A and AA rules) and returns the violations of
 * the given impacts, each with the selectors of the offending nodes.
 *
 * The page is read as someone who asked for reduced motion sees it: the app's colour
 * transitions (a button fading to its pressed colour) then end at once, and axe judges the
 * colours a person reads, not a frame caught halfway through a fade.
 */
export async function axeViolations(
  page: Page,
  impacts: readonly string[] = ['serious', 'critical'],
): Promise<AxeViolation[]> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    return await runAxe(page, impacts);
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
}

async function runAxe(page: Page, impacts: readonly string[]): Promise<AxeViolation[]> {
  // Two frames: the style change lands in the first, and what it ended is drawn by the second.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const { requestAnimationFrame } = globalThis as unknown as FrameGlobals;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
      }),
  );
  const hasAxe = await page.evaluate(() => 'axe' in globalThis);
  // Evaluated through DevTools rather than added as a script tag, which the hub's
  // Content-Security-Policy (rightly) refuses.
  if (!hasAxe) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const violations = await page.evaluate(async () => {
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const { axe } = globalThis as unknown as { axe: { run: (options: object) => Promise<AxeResult> } };
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** Console errors and uncaught exceptions of a page, for assertions and failure messages. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}\n${error.stack ?? ''}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
