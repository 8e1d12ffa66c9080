import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCloseCommand, buildRequestCommand } from '@lagesbild/shared/test-factories';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openSignedIn,
  startBrowserHub,
  waitForConnection,
  waitForMap,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// The duty officer's overview in real Chromium: what is open, what was asked for, what has
// ended, the next conference and the region's map, with nothing jumping while it loads.

let hub: HubProcess;
let browser: Browser;
let lan: ApiClient;
let nacka: ApiClient;
const pages: Page[] = [];

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
  nacka = await signIn(hub.url, 'tib.nacka');
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

async function run(client: ApiClient, command: { payload: object }): Promise<void> {
  const answer = await client.command(command);
  expect(answer.body.ok, JSON.stringify(answer.body)).toBe(true);
}

// Functions passed to the page run there but are type-checked here, where there is no DOM.
type LayoutShift = {
  value: number;
  hadRecentInput: boolean;
  startTime: number;
  sources: { node: { className?: string } | null; previousRect: unknown; currentRect: unknown }[];
};
type PageGlobals = {
  getComputedStyle: (element: unknown, pseudo: string) => { content: string; borderInlineStartWidth: string };
  PerformanceObserver: new (callback: (list: { getEntries: () => LayoutShift[] }) => void) => {
    observe: (options: { type: string; buffered: boolean }) => void;
  };
  layoutShift: number;
  layoutShifts: string[];
};

const request = (title: string) =>
  buildRequestCommand({ commandId: randomUUID(), incidentId: randomUUID(), title });
const close = (incidentId: string) => buildCloseCommand({ commandId: randomUUID(), incidentId });

/** An incident activated and closed again through the API; returns nothing the test needs. */
async function activateAndClose(title: string): Promise<void> {
  const command = activate({ title });
  await run(lan, command);
  await run(lan, close(command.payload.incidentId));
}

describe('the overview', () => {
  it('lists both closed incidents behind a visible arrow, and not a declined request', async () => {
    const declined = request('Begäran som avslogs');
    await run(nacka, declined);
    await run(lan, close(declined.payload.incidentId));
    await activateAndClose('Stormen Ylva');
    await activateAndClose('Vattenläckan i Solna');

    const { page } = await openSignedIn(browser, hub.url, 'tib.lansstyrelsen');
    pages.push(page);
    const errors = collectPageErrors(page);
    const panel = page.getByTestId('closed-incidents');
    const summary = panel.locator('summary');
    await expect(summary.textContent()).resolves.toBe('Avslutade händelser (2)');
    // The arrow that says the panel opens: the browser's own is lost on a flex summary.
    const marker = await summary.evaluate((element) => {
      const { getComputedStyle } = globalThis as unknown as PageGlobals;
      const style = getComputedStyle(element, '::before');
      return { content: style.content, width: style.borderInlineStartWidth };
    });
    expect(marker.content).not.toBe('none');
    expect(Number.parseFloat(marker.width)).toBeGreaterThan(4);

    await summary.click();
    const titles = await panel.locator('.incident__title').allTextContents();
    expect(titles).toEqual(['Vattenläckan i Solna', 'Stormen Ylva']);
    await expect(page.getByText('Begäran som avslogs').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows the region map, the requests and the next conference in ordinary mode, without jumping', async () => {
    await run(nacka, request('Höga flöden i Norrtälje å'));
    const { context, page } = await openSignedIn(browser, hub.url, 'tib.lansstyrelsen');
    pages.push(page);
    // Layout shifts from the very start of a load, as a returning duty officer sees it.
    await context.addInitScript(() => {
      const page = globalThis as unknown as PageGlobals;
      page.layoutShift = 0;
      page.layoutShifts = [];
      new page.PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.hadRecentInput) continue;
          page.layoutShift += entry.value;
          page.layoutShifts.push(
            `${entry.value.toFixed(3)} at ${Math.round(entry.startTime)} ms: ${entry.sources
              .map((s) => `${s.node?.className ?? '?'} ${JSON.stringify([s.previousRect, s.currentRect])}`)
              .join(' | ')}`,
          );
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.reload();
    await waitForConnection(page, 'online');
    await expect(page.getByTestId('mode').textContent()).resolves.toContain('ORDINARIE LÄGE');
    await waitForMap(page, 'overview-map');
    const map = page.getByTestId('overview-map');
    await expect(map.locator('.map-borders__label').count()).resolves.toBe(26);
    await page.locator('.incident--requested', { hasText: 'Höga flöden i Norrtälje å' }).waitFor();
    await expect(page.getByTestId('next-conference').textContent()).resolves.toBe(
      'Ingen samverkanskonferens inplanerad.',
    );
    await page.waitForTimeout(500);
    const shift = await page.evaluate(() => {
      const { layoutShift, layoutShifts } = globalThis as unknown as PageGlobals;
      return { total: layoutShift, shifts: layoutShifts };
    });
    // 0.1 is the limit of a "good" page in Google's Core Web Vitals.
    expect(shift.total, shift.shifts.join('\n')).toBeLessThan(0.1);
    expect(await axeViolations(page)).toEqual([]);

    // Once a conference is set, the overview says when, without opening the incident.
    const at = new Date(Date.now() + 2 * 3_600_000);
    at.setSeconds(0, 0);
    await run(lan, activate({ title: 'Snöoväder', nextConferenceAt: at.toISOString() }));
    await page.getByTestId('next-conference').filter({ hasText: 'Snöoväder' }).waitFor();
  });
});
