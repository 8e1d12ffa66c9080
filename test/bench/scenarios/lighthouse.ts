import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { chromium, type BrowserContext } from 'playwright-core';
import { z } from 'zod';
import { CHROMIUM_ARGS, CHROMIUM_PATH, signInThroughUi, waitForConnection } from '../../support/browser.js';
import { freePort } from '../../support/ports.js';
import { busyIncident, issueWall } from '../../support/wall-scene.js';
import { startUiHub } from '../ui/ui-hub.js';
import { allowedCpus } from '../support/processes.js';
import type { ScenarioReport, Table } from '../support/report.js';
import { withCleanup, type BenchContext, type Scenario } from './context.js';

/** The goals of issue 19 ("A duty officer's first five minutes"), per page, on a simulated phone. */
const GOALS = { performance: 90, accessibility: 100 } as const;

/**
 * What this scenario reads from a Lighthouse result (the rest of the report is ignored).
 * Parsed rather than trusted: the report is another program's output.
 */
const Audit = z.object({
  title: z.string(),
  score: z.number().nullable(),
  scoreDisplayMode: z.string(),
  displayValue: z.string().optional(),
  numericValue: z.number().optional(),
  // Each audit has its own details; only the element lists below are read.
  details: z.unknown().optional(),
});
/** The details of the audits that name elements (layout shifts, the LCP element). */
const ElementDetails = z.object({
  items: z.array(z.object({ node: z.object({ selector: z.string() }).optional() })),
});
const Category = z.object({ score: z.number().nullable(), auditRefs: z.array(z.object({ id: z.string() })) });
const LighthouseResult = z.object({
  lighthouseVersion: z.string(),
  runtimeError: z.object({ code: z.string(), message: z.string() }).optional(),
  categories: z.object({ performance: Category, accessibility: Category }),
  audits: z.record(z.string(), Audit),
});
type LighthouseResult = z.infer<typeof LighthouseResult>;

type PageScore = {
  page: string;
  performance: number;
  accessibility: number;
  metrics: Record<string, string>;
  /** Accessibility audits that failed, and performance advice worth more than 0.1 s. */
  findings: string[];
};

const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
] as const;

/** Lighthouse's own mobile defaults (a mid-range phone, slow 4G, simulated), two categories. */
async function audit(port: number, url: string): Promise<LighthouseResult> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    // Keep the session cookie; service workers and caches are cleared before each run below.
    disableStorageReset: true,
  });
  const parsed = LighthouseResult.parse(result?.lhr);
  if (parsed.runtimeError) throw new Error(`Lighthouse on ${url}: ${parsed.runtimeError.message}`);
  return parsed;
}

function score(pageName: string, result: LighthouseResult): PageScore {
  const percent = (value: number | null) => Math.round((value ?? 0) * 100);
  const metrics = Object.fromEntries(
    METRICS.map(([id, label]) => [label, result.audits[id]?.displayValue ?? '–']),
  );
  const audits = (category: z.infer<typeof Category>) =>
    category.auditRefs.flatMap(({ id }) => {
      const found = result.audits[id];
      return found ? [[id, found] as const] : [];
    });
  const failedA11y = audits(result.categories.accessibility)
    .filter(([, a]) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
    .map(([id]) => `accessibility: ${id}`);
  const advice = audits(result.categories.performance)
    .filter(([, a]) => a.scoreDisplayMode === 'metricSavings' && a.score !== null && a.score < 0.9)
    .map(([id, a]) => `performance: ${id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
  // Which elements moved or painted last: the first thing to look at for CLS and LCP.
  const elements = ['layout-shifts', 'largest-contentful-paint-element'].flatMap((id) => {
    const details = ElementDetails.safeParse(result.audits[id]?.details);
    const selectors = details.success ? details.data.items.flatMap((item) => item.node?.selector ?? []) : [];
    return selectors.length > 0 ? [`${id}: ${selectors.slice(0, 5).join(', ')}`] : [];
  });
  return {
    page: pageName,
    performance: percent(result.categories.performance.score),
    accessibility: percent(result.categories.accessibility.score),
    metrics,
    findings: [...failedA11y, ...advice, ...elements],
  };
}

/**
 * A first visit as Lighthouse simulates it: no service worker and no cached files, but
 * the cookie of the session or the paired display kept.
 */
async function forgetCachedFiles(context: BrowserContext, origin: string): Promise<void> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
  } finally {
    await page.close();
  }
}

/** Everything the scenario started, stopped in reverse order however it ends. */
function cleanups() {
  const steps: (() => unknown)[] = [];
  return {
    add: (step: () => unknown) => void steps.push(step),
    run: async () => {
      for (const step of steps.reverse()) await Promise.resolve(step()).catch(() => undefined);
    },
  };
}

export const lighthouseScenario: Scenario = {
  id: 'lighthouse',
  title: 'Lighthouse — sign-in, dashboard, /phone and /wall on a simulated phone',
  budgetSeconds: { quick: 300, full: 420 },
  async run(context: BenchContext): Promise<ScenarioReport> {
    const started = cleanups();
    return withCleanup(async () => {
      context.progress('starting a hub with the built client');
      const hub = await startUiHub();
      started.add(() => hub.kill());
      await busyIncident(hub.url);
      const pairing = await issueWall(hub.url, 'Lighthouse');

      const port = await freePort();
      const profile = mkdtempSync(path.join(tmpdir(), 'lagesbild-lighthouse-'));
      started.add(() => rmSync(profile, { recursive: true, force: true }));
      // One profile (the browser's default context), so that the tab Lighthouse opens has
      // the cookies the steps below set.
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`],
        headless: true,
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
      });
      started.add(() => browser.close());
      const origin = new URL(hub.url).origin;
      const measured: PageScore[] = [];
      let version = '';
      const measure = async (name: string, url: string) => {
        await forgetCachedFiles(browser, origin);
        context.progress(`Lighthouse: ${name}`);
        const result = await audit(port, url);
        version = result.lighthouseVersion;
        measured.push(score(name, result));
      };

      await measure('sign-in', `${hub.url}/`);

      const signing = await browser.newPage();
      await signing.goto(hub.url);
      await signInThroughUi(signing, 'tib.nacka');
      await signing.close();
      await measure('dashboard', `${hub.url}/`);
      await measure('/phone', `${hub.url}/phone`);

      // Pairing gives this profile a display's session in place of the person's.
      const wall = await browser.newPage();
      await wall.goto(`${hub.url}/wall?pair=${pairing.pairingCode}`);
      await waitForConnection(wall, 'online');
      await wall.close();
      await measure('/wall', `${hub.url}/wall`);

      const scores: Table = {
        title: 'Scores (Lighthouse mobile defaults: a simulated mid-range phone on slow 4G)',
        columns: ['page', 'performance', 'accessibility', ...METRICS.map(([, label]) => label), 'goals met'],
        rows: measured.map((m) => [
          m.page,
          String(m.performance),
          String(m.accessibility),
          ...METRICS.map(([, label]) => m.metrics[label] ?? '–'),
          m.performance >= GOALS.performance && m.accessibility >= GOALS.accessibility ? 'yes' : 'NO',
        ]),
      };
      return {
        id: 'lighthouse',
        title: lighthouseScenario.title,
        description:
          `Lighthouse ${version} (npm package, Debian's Chromium over its debugging port) against a hub the ` +
          'scenario starts itself: built client, one activation with every actor summoned, three reports. The ' +
          "sign-in page as a first visit, the dashboard and /phone signed in as Nacka's duty officer, /wall as a " +
          'paired display. Service workers and caches are cleared before each page; cookies are kept. Goals ' +
          `(issue 19): performance ≥ ${GOALS.performance} and accessibility ${GOALS.accessibility} on every page.`,
        tables: [scores],
        placement: [
          `hub, Chromium and Lighthouse: ${hub.child.pid ? allowedCpus(hub.child.pid) : 'unknown'}`,
        ],
        notes: measured.flatMap((m) => m.findings.map((finding) => `${m.page}: ${finding}`)),
      };
    }, started.run);
  },
};
