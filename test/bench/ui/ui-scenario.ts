import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { removeDataDir } from '../../support/hub-process.js';
import type { BenchContext, Scenario } from '../scenarios/context.js';
import type { ScenarioReport } from '../support/report.js';
import { measureBundle } from './bundle-size.js';
import { measureCommandLatency } from './command-latency.js';
import { measurePanning } from './pan-frames.js';
import { activeIncident, seedFeatures, startUiHub } from './ui-hub.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The figures of issue "The operator's common picture", measured in Chromium. */
export const uiScenario: Scenario = {
  id: 'ui',
  title: 'Operator UI: first-load JS, map panning with 5,000 features, command-to-screen latency',
  budgetSeconds: { quick: 120, full: 300 },
  run: async (context: BenchContext): Promise<ScenarioReport> => {
    const features = context.quick ? 2_000 : 5_000;
    const tries = context.quick ? 30 : 100;
    const gestures = context.quick ? 4 : 10;
    const hub = await startUiHub();
    let browser: Browser | null = null;
    try {
      browser = await launchChromium();
      context.progress('ui: seeding the incident');
      const title = 'Storm Ylva (bänk)';
      const { incidentId } = await activeIncident(hub.url, title);
      context.progress('ui: first-load JavaScript');
      const bundle = await measureBundle(browser, hub.url, title);
      const seeded = await seedFeatures(hub.url, incidentId, features);
      context.progress(`ui: panning with ${seeded} features`);
      const pan = await measurePanning(browser, hub.url, title, seeded, gestures);
      context.progress(`ui: command latency, ${tries} tries`);
      const latency = await measureCommandLatency(browser, hub.url, tries);
      return {
        id: 'ui',
        title: uiScenario.title,
        description:
          'A real hub serving the built client to Debian Chromium (headless, no GPU, playwright-core). ' +
          'JS sizes are the built files the page requested, gzipped at level 9. Panning is a real mouse drag ' +
          `(${gestures} gestures of 40 steps) over the canvas-rendered map holding every feature of ${Math.ceil(seeded / 200)} ` +
          "actors' latest reports; frame times are requestAnimationFrame gaps in the page. Latency is from the " +
          "click that sends a log entry on one operator's page (outbox → socket → hub → fsync → broadcast) to " +
          "the DOM mutation that shows it on another's.",
        tables: [
          {
            title: 'First-load JavaScript (gzipped)',
            columns: ['what', 'size', 'goal'],
            rows: [
              ['sign-in page', kb(bundle.signInPage), '—'],
              ['dashboard (signed in, overview)', kb(bundle.dashboard), '≤ 170 KB'],
              ['+ an incident with its map (lazy chunks)', kb(bundle.incidentWithMap), '—'],
              ['every built chunk together', kb(bundle.allBuiltJs), '—'],
            ],
          },
          {
            title: `Frame times while panning (${pan.features} shapes on the map)`,
            columns: ['first draw', 'frames', 'p50', 'p95', 'max', 'frames > 50 ms'],
            rows: [[ms(pan.firstDrawMs), pan.frames, ms(pan.p50), ms(pan.p95), ms(pan.max), pan.longFrames]],
          },
          {
            title: `Command on one client to the update on another (${latency.tries} tries)`,
            columns: ['min', 'p50', 'p95', 'max'],
            rows: [[ms(latency.min), ms(latency.p50), ms(latency.p95), ms(latency.max)]],
          },
        ],
        placement: [],
        notes: [`dashboard scripts: ${bundle.dashboardFiles.join(', ')}`],
      };
    } finally {
      await browser?.close();
      await hub.kill();
      removeDataDir(hub);
    }
  },
};
