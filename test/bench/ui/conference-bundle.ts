import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { removeDataDir, repoRoot } from '../../support/hub-process.js';
import { measureBundle, gzipped, type BundleFigures } from './bundle-size.js';
import { conferenceChunks, lazyConferenceModules, type ConferenceChunk } from './conference-chunks.js';
import { activeIncident, startUiHub } from './ui-hub.js';

/** The first-load budget of the operator's UI (ui-scenario.ts), gzipped. */
export const FIRST_LOAD_BUDGET_BYTES = 170 * 1024;

/** First-load JS (the UI bench's measurement) and where the conference code sits in it. */
export type ConferenceBundle = BundleFigures & {
  /** The entry and the scripts index.html preloads: what every first visit fetches. */
  staticFirstLoad: number;
  staticFiles: string[];
  /** Scripts with conference views that no first visit fetches up front. */
  lazy: ConferenceChunk[];
  /** Conference code inside the first-load scripts (the dashboard's summaries). */
  eager: ConferenceChunk[];
  /** Lazy conference scripts the dashboard visit fetched anyway (after the overview drew). */
  fetchedByDashboard: string[];
  /** The modules the client imports lazily (`lazy(() => import(…))`) and where they ended up. */
  lazyModules: { module: string; inFirstLoad: boolean; inLazyChunk: boolean }[];
};

/** The scripts index.html loads at once: its module entry and every modulepreload. */
function staticScripts(): string[] {
  const html = readFileSync(path.join(repoRoot, 'client/dist/index.html'), 'utf8');
  const found = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  return [...new Set(found)].sort();
}

/**
 * The UI bench's first-load measurement (a real hub serving the built client to Chromium,
 * see bundle-size.ts), plus which built scripts hold the conference views and whether a
 * first visit loads them.
 */
export async function measureConferenceBundle(
  progress: (message: string) => void,
): Promise<ConferenceBundle> {
  // Builds the client first when its sources are newer than the build.
  const hub = await startUiHub();
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const title = 'Storm Ylva (bänk)';
    await activeIncident(hub.url, title);
    progress('C1: first-load JavaScript in Chromium');
    const figures = await measureBundle(browser, hub.url, title);
    const staticFiles = staticScripts();
    const chunks = conferenceChunks();
    const holds = (list: readonly ConferenceChunk[], module: string) =>
      list.some((c) => c.sources.includes(module));
    const lazy = chunks.filter((c) => !staticFiles.includes(c.file));
    const eager = chunks.filter((c) => staticFiles.includes(c.file));
    return {
      ...figures,
      staticFirstLoad: staticFiles.reduce((n, f) => n + gzipped(f), 0),
      staticFiles,
      lazy,
      eager,
      lazyModules: lazyConferenceModules().map((module) => ({
        module,
        inFirstLoad: holds(eager, module),
        inLazyChunk: holds(lazy, module),
      })),
      fetchedByDashboard: chunks
        .filter((c) => !staticFiles.includes(c.file) && figures.dashboardFiles.includes(c.file))
        .map((c) => c.file),
    };
  } finally {
    await browser?.close();
    await hub.kill();
    removeDataDir(hub);
  }
}
