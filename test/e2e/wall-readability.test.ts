import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, startBrowserHub, waitForConnection } from '../support/browser';
import { removeDataDir, type HubProcess } from '../support/hub-process';
import { busyIncident, issueWall } from '../support/wall-scene';

// A wall display at 1080p is read from about four metres. At that distance text needs
// roughly 32 px (a cap height of about 1/200 of the distance) to be read without effort.
// This paints the fullest common picture on a 1920×1080 wall and measures what it drew.

const READABLE_PX = 32;
/** The footer's small print (display name, link state) is glanced at from close by. */
const SMALL_PRINT_PX = 24;
const VIEWPORT = { width: 1920, height: 1080 };

let hub: HubProcess;
let browser: Browser;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

/** What the measuring code uses in the page (the test workspace has no DOM types). */
type PageGlobals = {
  getComputedStyle: (element: unknown) => { fontSize: string };
  innerWidth: number;
  innerHeight: number;
  document: { documentElement: { scrollWidth: number; scrollHeight: number } };
};

/** Font sizes (px) of every element matching the selector. */
const fontSizes = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((elements) =>
      elements.map((e) => parseFloat((globalThis as unknown as PageGlobals).getComputedStyle(e).fontSize)),
    );

/** Elements whose text is cut off or that reach outside the screen, described for the failure message. */
const overflowing = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((e) => {
        const box = e.getBoundingClientRect();
        const page = globalThis as unknown as PageGlobals;
        const cut = e.scrollWidth > e.clientWidth + 1;
        const outside = box.bottom > page.innerHeight + 0.5 || box.right > page.innerWidth + 0.5;
        return cut || outside;
      })
      .map((e) => `${e.className}: "${e.textContent ?? ''}"`),
  );

describe('the wall display read across a room', () => {
  it('draws actor names and the report ticker at 32 px or more on 1920×1080, with nothing cut off', async () => {
    await busyIncident(hub.url);
    const pairing = await issueWall(hub.url, 'Ledningsrummet');
    const context = await browser.newContext({
      viewport: VIEWPORT,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${hub.url}/wall?pair=${pairing.pairingCode}`);
      await waitForConnection(page, 'online');
      await page.getByTestId('wall-ticker').locator('li').nth(2).waitFor();
      // The map's tiles do not matter here; its panel's size does, and it is there at once.
      const screenshots = process.env.WALL_SCREENSHOT_DIR;
      if (screenshots) await page.screenshot({ path: path.join(screenshots, 'wall-activated-1080p.png') });

      const names = await fontSizes(page, '.wall-ack__name');
      expect(names.length).toBeGreaterThan(30);
      expect(Math.min(...names)).toBeGreaterThanOrEqual(READABLE_PX);
      for (const selector of ['.wall-report__head', '.wall-report__text', '.wall-incident__facts']) {
        expect(Math.min(...(await fontSizes(page, selector))), selector).toBeGreaterThanOrEqual(READABLE_PX);
      }
      expect(Math.min(...(await fontSizes(page, '.wall-status')))).toBeGreaterThanOrEqual(SMALL_PRINT_PX);
      expect(
        await overflowing(page, '.wall-ack, .wall-ack__name, .wall-report, .wall-incident__title'),
      ).toEqual([]);
      const size = await page.evaluate(() => {
        const { documentElement } = (globalThis as unknown as PageGlobals).document;
        return { scrollHeight: documentElement.scrollHeight, scrollWidth: documentElement.scrollWidth };
      });
      expect(size).toEqual({ scrollHeight: VIEWPORT.height, scrollWidth: VIEWPORT.width });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
