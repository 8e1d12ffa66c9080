import type { Browser } from 'playwright-core';
import { openSignedIn, waitForMap } from '../../support/browser.js';
import { percentile } from './stats.js';

export type PanFigures = {
  features: number;
  /** From choosing the picture tab to the first frame after all features are drawn. */
  firstDrawMs: number;
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames slower than 50 ms (what a user sees as a stutter). */
  longFrames: number;
};

// Page globals, typed here where the test build has no DOM library.
type FramePage = {
  __frames?: number[];
  __framesRunning?: boolean;
  requestAnimationFrame(callback: (now: number) => void): number;
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
};
const nextFrames = () =>
  new Promise((resolve) => {
    const w = globalThis as unknown as FramePage;
    w.requestAnimationFrame(() => w.requestAnimationFrame(resolve));
  });

/**
 * Frame times while the operator drags the map around: a real mouse drag (Chromium input
 * events, so Leaflet's own drag handling runs), measured in the page as the gaps between
 * animation frames.
 */
export async function measurePanning(
  browser: Browser,
  hubUrl: string,
  incidentTitle: string,
  expectedFeatures: number,
  gestures: number,
): Promise<PanFigures> {
  const { context, page } = await openSignedIn(browser, hubUrl, 'tib.lansstyrelsen', {
    viewport: { width: 1280, height: 900 },
  });
  await page.locator('.incident', { hasText: incidentTitle }).getByRole('button').first().click();
  const started = Date.now();
  await waitForMap(page, 'picture-map');
  const map = page.getByTestId('picture-map').locator('.map-view__map');
  await page.waitForFunction(
    (count) =>
      Number(
        (globalThis as unknown as FramePage).document
          .querySelector('[data-testid="picture-map"] .map-view__map')
          ?.getAttribute('data-shape-count'),
      ) >= count,
    expectedFeatures,
    { timeout: 60_000 },
  );
  await page.evaluate(nextFrames);
  const firstDrawMs = Date.now() - started;
  const features = Number(await map.getAttribute('data-shape-count'));

  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no box');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;

  // A string, not a function: tsx would wrap a named inner function in a helper that
  // exists only in Node.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__framesRunning = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__framesRunning) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  for (let g = 0; g < gestures; g++) {
    const dx = (g % 2 === 0 ? 1 : -1) * 300;
    const dy = (g % 3 === 0 ? 1 : -1) * 120;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + dx, cy + dy, { steps: 40 });
    await page.mouse.up();
  }
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const frames = await page.evaluate(() => {
    const w = globalThis as unknown as FramePage;
    w.__framesRunning = false;
    return (w.__frames ?? []).slice(1);
  });
  await context.close();
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    features,
    firstDrawMs,
    frames: frames.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? 0,
    longFrames: frames.filter((f) => f > 50).length,
  };
}
