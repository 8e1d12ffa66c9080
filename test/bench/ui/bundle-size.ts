import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { signInThroughUi, waitForMap } from '../../support/browser.js';
import { repoRoot } from '../../support/hub-process.js';

/** Gzipped bytes of the scripts each phase loads. */
export type BundleFigures = {
  signInPage: number;
  dashboard: number;
  dashboardFiles: string[];
  incidentWithMap: number;
  allBuiltJs: number;
};

/** The gzipped size of a built file (`assets/…`), as a compressing server would send it. */
export const gzipped = (file: string): number =>
  gzipSync(readFileSync(path.join(repoRoot, 'client/dist', file)), { level: 9 }).length;

/**
 * Which scripts a browser loads for the sign-in page, for the dashboard of a signed-in
 * user (a reload with the session cookie), and then for an incident with its map. Sizes
 * are of the built files gzipped (level 9), as a server that compresses would send them.
 */
export async function measureBundle(
  browser: Browser,
  hubUrl: string,
  incidentTitle: string,
): Promise<BundleFigures> {
  // No service worker: it would fetch every chunk ahead, which is not what the page needs.
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  let scripts = new Set<string>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.resourceType() === 'script' && url.pathname.startsWith('/assets/'))
      scripts.add(url.pathname.slice(1));
  });
  const sum = (files: Iterable<string>) => [...files].reduce((total, f) => total + gzipped(f), 0);

  await page.goto(hubUrl);
  await page.locator('#sign-in-username').waitFor();
  const signInPage = sum(scripts);
  await signInThroughUi(page, 'tib.lansstyrelsen');

  scripts = new Set();
  await page.reload();
  await page.waitForFunction(
    () => (globalThis as { __lagesbild?: { connection: string } }).__lagesbild?.connection === 'online',
  );
  await page.locator('.incident', { hasText: incidentTitle }).waitFor();
  const dashboardFiles = [...scripts].sort();
  const dashboard = sum(dashboardFiles);

  await page.locator('.incident', { hasText: incidentTitle }).getByRole('button').first().click();
  await waitForMap(page, 'picture-map');
  const incidentWithMap = sum(scripts);

  const manifestDir = path.join(repoRoot, 'client/dist/assets');
  const allBuiltJs = sum(
    readdirSync(manifestDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => `assets/${f}`),
  );
  await context.close();
  return { signInPage, dashboard, dashboardFiles, incidentWithMap, allBuiltJs };
}
