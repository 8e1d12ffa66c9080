import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/api-client';
import { collectPageErrors, launchChromium, startBrowserHub, waitForConnection } from '../support/browser';
import { command } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';
import { busyIncident, issueWall } from '../support/wall-scene';

// A wall display at 1080p is read from about four metres. At that distance text needs
// roughly 32 px (a cap height of about 1/200 of the distance) to be read without effort.
// This paints the fullest common picture on a 1920×1080 wall and measures what it drew.

const READABLE_PX = 32;
/** The footer's small print (display name, link state) is glanced at from close by. */
const SMALL_PRINT_PX = 24;
const VIEWPORT = { width: 1920, height: 1080 };

/**
 * A joint message as long as a real one gets: a headline of a line or two, a few plain
 * instructions, a core message of two sentences. Marked as an exercise, so the "ÖVNING"
 * mark takes its room too.
 */
const MESSAGE_TEXT = {
  headline: 'Stormen Ylva: stanna inomhus i kväll och undvik onödiga resor',
  whatToDo: 'Stanna inomhus. Ladda mobilen och ha en ficklampa redo. Ring 112 bara vid nöd.',
  core: 'Stormen når Stockholms län i kväll med byar upp till 30 m/s. Elavbrott och inställda tåg väntas till i morgon.',
};

/** Stockholm stad's communicator drafts the message; Nacka's and Region Stockholm's approve it. */
async function agreedMessage(hubUrl: string, incidentId: string): Promise<void> {
  const messageId = randomUUID();
  const stad = await signIn(hubUrl, 'kommunikator.stockholm');
  const now = Date.now();
  const drafted = await stad.command(
    command('jointMessage.draft', {
      messageId,
      incidentId,
      content: {
        texts: { sv: MESSAGE_TEXT, en: null, svEasy: null },
        moreInfo: { channels: [], phone11313: true, krisinformation: true },
        area: { polygon: null, municipalityCodes: ['0180', '0182'], description: 'Stockholm och Nacka' },
        validFrom: new Date(now).toISOString(),
        validUntil: new Date(now + 6 * 3_600_000).toISOString(),
        exercise: true,
        directiveId: null,
      },
      approverActorIds: ['stockholm', 'nacka', 'region-stockholm'],
      baseVersion: 0,
    }),
  );
  if (!drafted.body.ok) throw new Error(`draft refused: ${drafted.body.error.message}`);
  for (const actorId of ['nacka', 'region-stockholm']) {
    const communicator = await signIn(hubUrl, `kommunikator.${actorId}`);
    const approved = await communicator.command(
      command('jointMessage.approve', { messageId, version: 1, forActorId: actorId }),
    );
    if (!approved.body.ok) throw new Error(`approval refused: ${approved.body.error.message}`);
  }
}

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

/** Elements whose lines are cut at the bottom (a line clamp at work), described for the failure message. */
const clamped = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((elements) =>
      elements
        .filter((e) => e.scrollHeight > e.clientHeight + 1)
        .map((e) => `${e.className}: "${e.textContent ?? ''}"`),
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
  it('draws actor names, the report ticker and the joint message at 32 px or more on 1920×1080, with nothing cut off', async () => {
    const incidentId = await busyIncident(hub.url);
    await agreedMessage(hub.url, incidentId);
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
      await page.getByTestId('wall-joint-message-exercise').waitFor();
      // The map's tiles do not matter here; its panel's size does, and it is there at once.
      const screenshots = process.env.WALL_SCREENSHOT_DIR;
      if (screenshots) await page.screenshot({ path: path.join(screenshots, 'wall-activated-1080p.png') });

      const names = await fontSizes(page, '.wall-ack__name');
      expect(names.length).toBeGreaterThan(30);
      expect(Math.min(...names)).toBeGreaterThanOrEqual(READABLE_PX);
      for (const selector of ['.wall-report__head', '.wall-report__text', '.wall-incident__facts']) {
        expect(Math.min(...(await fontSizes(page, selector))), selector).toBeGreaterThanOrEqual(READABLE_PX);
      }
      // The joint message: headline and what to do read like the rest, the core message smaller.
      for (const selector of ['.wall-joint-message__headline', '.wall-joint-message__todo']) {
        expect(Math.min(...(await fontSizes(page, selector))), selector).toBeGreaterThanOrEqual(READABLE_PX);
      }
      expect(Math.min(...(await fontSizes(page, '.wall-joint-message__core')))).toBeGreaterThanOrEqual(
        SMALL_PRINT_PX,
      );
      expect(Math.min(...(await fontSizes(page, '.wall-status')))).toBeGreaterThanOrEqual(SMALL_PRINT_PX);
      expect(
        await overflowing(
          page,
          '.wall-ack, .wall-ack__name, .wall-report, .wall-incident__title, .wall-joint-message, .wall-joint-message *',
        ),
      ).toEqual([]);
      expect(await clamped(page, '.wall-joint-message *')).toEqual([]);
      const message = page.getByTestId('wall-joint-message');
      for (const text of Object.values(MESSAGE_TEXT))
        await expect(message.textContent()).resolves.toContain(text);
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
