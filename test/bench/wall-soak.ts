import { randomUUID } from 'node:crypto';
import { DevicePairing, envelope, type Command } from '@lagesbild/shared';
import type { CDPSession, Page } from 'playwright-core';
import { call } from '../support/admin.js';
import { signIn, type ApiClient } from '../support/api-client.js';
import { launchChromium, startBrowserHub, waitForConnection } from '../support/browser.js';
import { activate } from '../support/commands.js';
import { removeDataDir } from '../support/hub-process.js';
import { fmt, textTable } from './support/report.js';

// Soak (not a test): a paired wall display in Chromium receives 20,000 events and its JS
// heap is read before, during and after, each time after a forced garbage collection.
//
//   npx tsx test/bench/wall-soak.ts [--events=20000] [--concurrency=16] [--report-every=10] [--incidents=2]
//
// `--report-every=0` sends no reports: the state then keeps its size, and so must the heap.
//
// The mix is what a long activation sends a wall: mostly updates of the incidents (new
// description, next conference), the readiness switched on and off, and situation reports
// with a point on the map from ten actors, each superseding that actor's previous one.
// Updates and readiness leave the state the same size; reports add to it (the log keeps
// every report, and so does every client's picture), so the state's own size is printed
// next to the heap to tell that growth from a leak.

const argValue = (name: string, fallback: number, min = 1): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.split('=')[1]) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
};

const EVENTS = argValue('events', 20_000);
const CONCURRENCY = argValue('concurrency', 16);
/** One event in this many is a situation report (0: none); the rest change the incidents or readiness. */
const REPORT_EVERY = argValue('report-every', 10, 0);
/** Incidents in activated mode: with more than one the wall rotates (and redraws its map). */
const INCIDENTS = argValue('incidents', 2);
const SAMPLES = 4;
const REPORTERS = [
  'nacka',
  'solna',
  'botkyrka',
  'huddinge',
  'haninge',
  'taby',
  'sodertalje',
  'varmdo',
  'lidingo',
  'jarfalla',
];

type Sample = { events: number; heapMb: number; nodes: number; listeners: number; stateKb: number };

type PageGlobals = { __lagesbild?: { lastSeq: number } };

async function heap(cdp: CDPSession): Promise<{ heapMb: number; nodes: number; listeners: number }> {
  // Twice: the first pass frees what finalisers of the first release.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return {
    heapMb: metric('JSHeapUsedSize') / 1024 / 1024,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
  };
}

async function waitForWall(page: Page, seq: number): Promise<void> {
  await page.waitForFunction(
    (wanted) => ((globalThis as unknown as PageGlobals).__lagesbild?.lastSeq ?? 0) >= wanted,
    seq,
    { timeout: 120_000, polling: 250 },
  );
}

/** Sends commands with a few in flight at once; returns the hub's last sequence number. */
async function sendAll(commands: readonly { client: ApiClient; command: Command }[]): Promise<number> {
  let next = 0;
  let lastSeq = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const item = commands[index];
      if (!item) return;
      const answer = await item.client.command(item.command);
      if (!answer.body.ok) throw new Error(`${item.command.type} refused: ${answer.body.error.message}`);
      lastSeq = Math.max(lastSeq, answer.body.data.seq);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return lastSeq;
}

async function main(): Promise<void> {
  const hub = await startBrowserHub();
  const browser = await launchChromium();
  try {
    const admin = await signIn(hub.url, 'admin.lansstyrelsen');
    const issued = envelope(DevicePairing).parse(
      (await call(admin, 'POST', '/api/admin/devices', { name: 'Soak', views: ['wall'] })).body,
    );
    if (!issued.ok) throw new Error(issued.error.message);
    const lan = await signIn(hub.url, 'tib.lansstyrelsen');
    const reporters = await Promise.all(REPORTERS.map((actor) => signIn(hub.url, `tib.${actor}`)));

    // Two incidents by default, so the wall rotates between them (and redraws its map).
    const incidents = Array.from({ length: INCIDENTS }, (_, i) => activate({ title: `Storm ${i + 1}` }));
    for (const command of incidents) await lan.command(command);
    const incidentIds = incidents.map((c) => c.payload.incidentId);

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${hub.url}/wall?pair=${issued.data.pairingCode}`);
    await waitForConnection(page, 'online');
    await page.getByTestId('wall-incident').waitFor();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const device = { stateKb: async () => (await lan.raw('/api/state').then((r) => r.text())).length / 1024 };

    const commands: { client: ApiClient; command: Command }[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const incidentId = incidentIds[i % incidentIds.length] ?? '';
      if (REPORT_EVERY > 0 && i % REPORT_EVERY === 0) {
        const reporter = reporters[Math.floor(i / REPORT_EVERY) % reporters.length] ?? lan;
        const [lng, lat] = [18.0 + Math.random() * 0.3, 59.2 + Math.random() * 0.2];
        commands.push({
          client: reporter,
          command: {
            id: randomUUID(),
            type: 'report.submit',
            payload: {
              reportId: randomUUID(),
              incidentId,
              happened: `Lägesrapport ${i}: träd över vägen, elavbrott i området`,
              consequences: 'Framkomligheten är begränsad',
              measures: 'Röjning pågår',
              needs: i % 3 === 0 ? 'Bärgning' : '',
              assessment: 'Läget stabiliseras under kvällen',
              status: (['normal', 'strained', 'severe'] as const)[i % 3] ?? 'normal',
              sharing: { scope: 'region' },
              features: [
                {
                  id: randomUUID(),
                  kind: 'resource',
                  label: `Resurs ${i}`,
                  geometry: { type: 'Point', coordinates: [lng, lat] },
                },
              ],
            },
          },
        });
      } else if (i % 97 === 0) {
        commands.push({
          client: lan,
          command: {
            id: randomUUID(),
            type: 'readiness.set',
            // Raising names the government decision, which the hub requires.
            payload:
              i % 2 === 0
                ? {
                    heightened: true,
                    note: `Beslut ${i}`,
                    decision: {
                      level: 'heightened',
                      scope: 'country',
                      parts: '',
                      decisionRef: `Fö2026/${i}`,
                      decisionDate: new Date().toISOString(),
                    },
                  }
                : { heightened: false, note: `Beslut ${i}` },
          },
        });
      } else {
        const at = new Date(Date.now() + (60 + (i % 240)) * 60_000);
        at.setSeconds(0, 0);
        commands.push({
          client: lan,
          command: {
            id: randomUUID(),
            type: 'incident.update',
            payload: {
              incidentId,
              description: `Uppdatering ${i}: vinden avtar efter midnatt`,
              nextConferenceAt: at.toISOString(),
            },
          },
        });
      }
    }

    const samples: Sample[] = [{ events: 0, ...(await heap(cdp)), stateKb: await device.stateKb() }];
    const started = performance.now();
    const chunk = Math.ceil(EVENTS / SAMPLES);
    for (let sent = 0; sent < EVENTS; sent += chunk) {
      const seq = await sendAll(commands.slice(sent, sent + chunk));
      await waitForWall(page, seq);
      const events = Math.min(EVENTS, sent + chunk);
      samples.push({ events, ...(await heap(cdp)), stateKb: await device.stateKb() });
      console.log(`  ${events} events streamed, wall at seq ${seq}`);
    }
    const seconds = (performance.now() - started) / 1000;

    const first = samples[0];
    const last = samples[samples.length - 1];
    console.log();
    console.log(
      textTable({
        title: `Wall soak: ${EVENTS} events in ${fmt(seconds)} s (${fmt(EVENTS / seconds)} events/s), JS heap after forced GC`,
        columns: ['events', 'JS heap (MB)', 'DOM nodes', 'JS listeners', 'state as JSON (kB)'],
        rows: samples.map((s) => [s.events, fmt(s.heapMb, 2), s.nodes, s.listeners, fmt(s.stateKb)]),
      }),
    );
    if (first && last) {
      console.log();
      console.log(
        `heap ${fmt(first.heapMb, 2)} MB → ${fmt(last.heapMb, 2)} MB (${fmt(last.heapMb - first.heapMb, 2)} MB); ` +
          `the state the wall holds grew ${fmt((last.stateKb - first.stateKb) / 1024, 2)} MB as JSON; ` +
          `DOM nodes ${first.nodes} → ${last.nodes}, listeners ${first.listeners} → ${last.listeners}`,
      );
    }
    await context.close();
  } finally {
    await browser.close();
    await hub.kill();
    removeDataDir(hub);
  }
}

await main();
