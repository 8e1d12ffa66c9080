import type { Browser, Page } from 'playwright-core';
import { signIn } from '../support/api-client.js';
import {
  collectPageErrors,
  ensureClientBuilt,
  launchChromium,
  openSignedIn,
  readHook,
} from '../support/browser.js';
import { report } from '../support/commands.js';
import {
  activateIncident,
  keepSending,
  settleAndCount,
  signInOfficers,
  sleep,
  startCluster,
  waitUntil,
  type Cluster,
  type FaultReport,
} from './cluster.js';
import { describeCommand } from './ledger.js';
import { naming } from './seed.js';
import { closeOpenOfficers } from './duty-officer.js';

export type F2Options = {
  /** Load before Redis is killed, and again after it is back. */
  loadMs: number;
  /** How long Redis stays down each time. */
  downMs: number;
  /** How often Redis is killed (with `loadMs` of load between outages). */
  cycles: number;
  officers: number;
  /** Also drive the real app in Chromium: a report sent while Redis is down waits in its outbox. */
  browser: boolean;
  /** Each officer's pause between commands (default 20 ms: as fast as the hub answers). */
  pauseMs?: number;
  log?: (line: string) => void;
};

/** An ack that arrives this long after the kill cannot be for an append Redis finished before. */
const ACK_IN_FLIGHT_GRACE_MS = 250;

const INCIDENT_TITLE = 'Storm Ylva';

/**
 * F2: Redis SIGKILLed under load and restarted. Two hubs, duty officers reporting through
 * both. While Redis is down no command may be acked (the hubs answer `log_unavailable`), no
 * hub may exit, and readiness must say so; afterwards every acked report is there exactly
 * once, and the clients' outboxes (the officers' queues and the real app's IndexedDB outbox)
 * drain by themselves.
 */
export async function runF2(options: F2Options): Promise<FaultReport> {
  // F2 draws nothing at random: Redis dies at fixed times.
  return naming('F2', () => f2(options));
}

async function f2(options: F2Options): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  if (options.browser) ensureClientBuilt();
  const cluster = await startCluster(2);
  const notes: string[] = [];
  let browser: Browser | null = null;
  try {
    const [hubA, hubB] = cluster.hubs;
    if (!hubA || !hubB) throw new Error('two hubs expected');
    const lead = await signIn(hubA.url, 'tib.lansstyrelsen');
    const incidentId = await activateIncident(lead, INCIDENT_TITLE);
    const officers = await signInOfficers(
      hubA.url,
      (i) => cluster.hubs[i % 2]?.url ?? hubA.url,
      options.officers,
      { ackTimeoutMs: 10_000 },
    );
    let app: App | null = null;
    if (options.browser) {
      browser = await launchChromium();
      // An actor none of the simulated officers reports for (they take the first actors of
      // the region): the app's report supersedes its actor's newest, so an officer of the
      // same actor reporting meanwhile would make it stale, a choice for the person to make.
      const { page } = await openSignedIn(browser, hubB.url, 'tib.trafikverket');
      app = { page, errors: collectPageErrors(page) };
      await openReportForm(page);
    }

    const started = Date.now();
    let running = true;
    const sending = keepSending(
      officers,
      () => report(incidentId),
      () => running,
      options.pauseMs,
    );
    await sleep(options.loadMs);
    const outages: Outage[] = [];
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      outages.push(await outage(cluster, options, app, log));
      await sleep(options.loadMs);
    }
    running = false;
    await sending;

    const hubExits = cluster.hubs.filter((hub) => hub.child.exitCode !== null).length;
    const { counts, culprits, hashesEqual, stateMismatches } = await settleAndCount(cluster, lead, officers);
    const records = officers.flatMap(({ officer }) => [...officer.sent.values()]);
    // An ack just after the kill can be for an append Redis finished before it; later ones cannot.
    const whileDown = records.filter(({ ackedAt = 0 }) =>
      outages.some((o) => ackedAt > o.killedAt + ACK_IN_FLIGHT_GRACE_MS && ackedAt < o.restartedAt),
    );
    const ackedWhileDown = whileDown.length;
    const probes = outages.reduce((sum, o) => sum + o.probes, 0);
    const readyz503 = outages.reduce((sum, o) => sum + o.readyz503, 0);
    const healthz200 = outages.reduce((sum, o) => sum + o.healthz200, 0);
    const finalReports = Object.values((await lead.state()).state.reports);
    const appCopies = outages.flatMap((o) =>
      o.appText === null ? [] : [finalReports.filter((r) => r.happened === o.appText).length],
    );
    const appOk = appCopies.every((n) => n === 1) && (app?.errors.length ?? 0) === 0;
    notes.push(
      `acks while Redis was down (beyond ${ACK_IN_FLIGHT_GRACE_MS} ms of in-flight appends): ${ackedWhileDown}` +
        (ackedWhileDown > 0 ? ` (${whileDown.slice(0, 5).map(describeCommand).join('; ')})` : ''),
      `while down: ${readyz503} of ${probes} readiness probes said 503, ${healthz200} liveness probes said 200`,
    );
    if (app) {
      const drained = outages.map((o) => o.appDrainedAfterMs).join(', ');
      notes.push(
        `the app's outbox: a report written during each outage showed "${outages[0]?.appStatus}"; ` +
          `the outbox was empty ${drained} ms after Redis was back; copies on the hub: ${appCopies.join(', ')}` +
          (app.errors.length ? `; page errors: ${app.errors.join(' | ')}` : ''),
      );
    }
    await Promise.all(officers.map(({ officer }) => officer.close()));
    return {
      scenario: 'F2',
      faults: `${outages.length} Redis SIGKILL(s) under load, down ${outages
        .map((o) => ((o.restartedAt - o.killedAt) / 1000).toFixed(1))
        .join(', ')} s`,
      durationMs: Date.now() - started,
      clients: officers.length + (app ? 1 : 0),
      counts,
      culprits,
      hashesEqual: hashesEqual && appOk,
      stateMismatches: [
        ...stateMismatches,
        ...(appOk ? [] : [`the app in Chromium: copies ${appCopies.join(', ')}`]),
      ],
      hubExits,
      notes,
      seed: null,
      checks: {
        ackedWhileDown,
        ackedWhileDownCommands: whileDown.map(describeCommand).join('; '),
        readyz503WhileDown: readyz503 === probes,
        liveWhileDown: healthz200 === probes,
        appStatusWhileDown: outages.map((o) => o.appStatus).join(' / '),
        appDrained: appOk,
        appDrainMaxMs: Math.max(0, ...outages.map((o) => o.appDrainedAfterMs ?? 0)),
      },
    };
  } finally {
    await closeOpenOfficers();
    await browser?.close();
    await cluster.stop();
  }
}

type App = { page: Page; errors: string[] };

type Outage = {
  killedAt: number;
  restartedAt: number;
  probes: number;
  readyz503: number;
  healthz200: number;
  appStatus: string;
  appDrainedAfterMs: number | null;
  /** The text of the report the app sent while Redis was down. */
  appText: string | null;
};

/**
 * One outage: SIGKILL Redis, probe the hubs and send a report from the app while it is
 * down, restart it, and wait until every hub is ready and the app's outbox is empty.
 */
async function outage(
  cluster: Cluster,
  options: F2Options,
  app: App | null,
  log: (line: string) => void,
): Promise<Outage> {
  await cluster.redis.kill('SIGKILL');
  const killedAt = Date.now();
  log('Redis SIGKILLed');
  const appText = `Rapport medan Redis var nere ${killedAt}`;
  const whileDown = await observeOutage(cluster, options.downMs, () =>
    app ? submitWhileDown(app.page, appText) : Promise.resolve('no app'),
  );
  await cluster.redis.restart();
  const restartedAt = Date.now();
  log(`Redis restarted after ${restartedAt - killedAt} ms`);
  // The app's outbox retries on its own backoff; nobody touches the page.
  const appDrain = app ? outboxEmpty(app.page).then(() => Date.now() - restartedAt) : Promise.resolve(null);
  for (const hub of cluster.hubs) {
    await waitUntil(async () => (await fetch(`${hub.url}/readyz`)).status === 200, 30_000, 'hub ready');
  }
  const appDrainedAfterMs = await appDrain;
  return { killedAt, restartedAt, ...whileDown, appDrainedAfterMs, appText: app ? appText : null };
}

/** Probes the hubs while Redis is down, and meanwhile runs `during` (the app's report). */
async function observeOutage(cluster: Cluster, downMs: number, during: () => Promise<string>) {
  const until = Date.now() + downMs;
  let probes = 0;
  let readyz503 = 0;
  let healthz200 = 0;
  const probing = (async () => {
    // Give the hubs a moment to notice the lost connection before asking.
    await sleep(500);
    while (Date.now() < until) {
      for (const hub of cluster.hubs) {
        probes++;
        if ((await fetch(`${hub.url}/readyz`)).status === 503) readyz503++;
        if ((await fetch(`${hub.url}/healthz`)).status === 200) healthz200++;
      }
      await sleep(250);
    }
  })();
  await sleep(1000);
  const appStatus = await during();
  await probing;
  return { probes, readyz503, healthz200, appStatus };
}

async function openReportForm(page: Page): Promise<void> {
  const card = page.locator('.incident', { hasText: INCIDENT_TITLE });
  await card.getByRole('button', { name: /Öppna|Open/ }).click();
  await page.getByRole('tab', { name: /Ny lägesrapport/ }).click();
}

/**
 * Sends a report from the app's form while Redis is down and returns what the form then
 * says about it: the outbox keeps it, "Köad" while it has not reached the hub and "Ej
 * bekräftad" once the hub answered `log_unavailable` (it cannot say whether it was stored).
 */
async function submitWhileDown(page: Page, text: string): Promise<string> {
  const form = page.getByTestId('report-form');
  await form.getByLabel('Vad har hänt').fill(text);
  await form.getByRole('button', { name: 'Skicka lägesrapport' }).click();
  const status = form.getByTestId('command-status');
  await status.filter({ hasText: /Köad|Ej bekräftad|Skickad|Avvisad/ }).waitFor({ timeout: 15_000 });
  // The header says why: the hub is reachable but cannot store.
  const header = page.locator('[data-testid="connection"][data-can-store="false"]');
  const told = await header.waitFor({ timeout: 5_000 }).then(
    async () => (await header.textContent())?.trim() ?? '',
    () => 'the header did not say that the hub cannot store',
  );
  return `${(await status.textContent())?.trim() ?? ''} / ${told}`;
}

/** Resolves once the app's outbox has nothing left to send; says what the page shows if not. */
async function outboxEmpty(page: Page): Promise<void> {
  await waitForEmptyOutbox(page).catch(async (error: unknown) => {
    const hook = await readHook(page).catch(() => null);
    const header = await page
      .getByTestId('connection')
      .textContent()
      .catch(() => null);
    const status = await page
      .getByTestId('command-status')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `the app's outbox did not empty: ${(error as Error).message}; ` +
        `page: ${JSON.stringify({ hook, header, status })}`,
    );
  });
}

async function waitForEmptyOutbox(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { __lagesbild?: { unsentCommands: number } }).__lagesbild?.unsentCommands ===
      0,
    undefined,
    { timeout: 90_000, polling: 100 },
  );
}
