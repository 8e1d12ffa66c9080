import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openApp,
  openSignedIn,
  readHook,
  startBrowserHub,
  waitForConnection,
  waitForMap,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// The operator's dashboard in real Chromium against a real hub: what two duty officers in
// different organisations see and do during an activation.

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

/** An active incident made through the API, for tests about what follows an activation. */
async function activeIncident(title: string): Promise<string> {
  const command = activate({ title, nextConferenceAt: null });
  const answer = await lan.command(command);
  expect(answer.body.ok).toBe(true);
  return command.payload.incidentId;
}

async function open(username: string, options: Parameters<typeof openSignedIn>[3] = {}) {
  const opened = await openSignedIn(browser, hub.url, username, options);
  pages.push(opened.page);
  return opened;
}

/** Opens an incident from the overview and chooses one of its tabs. */
async function openIncident(page: Page, title: string, tab: RegExp): Promise<void> {
  const card = page.locator('.incident', { hasText: title });
  await card.getByRole('button', { name: /Öppna|Open/ }).click();
  await page.getByRole('tab', { name: tab }).click();
}

/** Clicks the map at offsets (pixels) from its centre. */
async function clickMap(page: Page, testId: string, offsets: [number, number][]): Promise<void> {
  const map = page.getByTestId(testId).locator('.map-view__map');
  await waitForMap(page, testId);
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no box');
  for (const [dx, dy] of offsets) {
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  }
}

describe('the operator dashboard', () => {
  it('carries an activation to another operator, and the acknowledgement back', async () => {
    const activator = await open('tib.lansstyrelsen');
    const summoned = await open('tib.nacka');
    const errors = [...collectPageErrors(activator.page), ...collectPageErrors(summoned.page)];
    await expect(summoned.page.getByTestId('mode').textContent()).resolves.toContain('ORDINARIE LÄGE');

    await activator.page.getByRole('button', { name: 'Aktivera händelse' }).click();
    const dialog = activator.page.getByTestId('activation-dialog');
    await dialog.getByLabel('Rubrik').fill('Storm Ylva i skärgården');
    await dialog.getByLabel('Typ av händelse').selectOption('weather');
    await dialog.getByRole('button', { name: 'Aktivera', exact: true }).click();

    // The other operator hears of it without reloading: the banner and the mode. How fast is
    // a benchmark's question (README, "command on one client → update on another").
    const banner = summoned.page.getByTestId('activation-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('Storm Ylva i skärgården');
    await expect(summoned.page.getByTestId('mode').textContent()).resolves.toContain('AKTIVERAT LÄGE');
    await expect(summoned.page.title()).resolves.toContain('KVITTERA');

    await banner.getByRole('button', { name: 'Kvittera' }).click();
    await banner.waitFor({ state: 'detached' });

    // The activator's acknowledgement matrix shows Nacka as acknowledged, with who did it.
    const row = activator.page.locator('[data-testid="ack-matrix"] tr[data-actor-id="nacka"]');
    await row.and(activator.page.locator('[data-acknowledged="yes"]')).waitFor();
    await expect(row.textContent()).resolves.toContain('TiB Nacka');
    // Those who have not acknowledged come first.
    const first = activator.page.locator('[data-testid="ack-matrix"] tbody tr').first();
    await expect(first.getAttribute('data-acknowledged')).resolves.toBe('no');
    expect(errors).toEqual([]);
  });

  it("shows a report's polygon on another operator's map", async () => {
    const title = 'Skyfall i Nacka';
    await activeIncident(title);
    const reporter = await open('tib.nacka');
    const reader = await open('tib.lansstyrelsen');

    await openIncident(reporter.page, title, /Ny lägesrapport/);
    const form = reporter.page.getByTestId('report-form');
    await form.getByLabel('Vad har hänt').fill('Översvämning vid Sickla kanal.');
    await form.getByLabel('Benämning').fill('Sickla översvämmat');
    await clickMap(reporter.page, 'report-map', [
      [-60, -40],
      [60, -40],
      [0, 50],
    ]);
    await reporter.page.getByTestId('draft-points').filter({ hasText: '3 punkter' }).waitFor();
    await form.getByRole('button', { name: 'Lägg till kartobjekt' }).click();
    await form.locator('[data-testid="draft-features"] li[data-geometry="Polygon"]').waitFor();
    await form.getByRole('button', { name: 'Skicka lägesrapport' }).click();
    await form.getByTestId('command-status').filter({ hasText: 'Skickad' }).waitFor();

    await openIncident(reader.page, title, /Lägesbild/);
    const row = reader.page.locator(
      '[data-testid="feature-list"] tr[data-geometry="Polygon"][data-kind="affectedArea"][data-actor-id="nacka"]',
    );
    await row.waitFor({ state: 'attached' });
    await expect(row.textContent()).resolves.toContain('Sickla översvämmat');
    await expect(reader.page.getByTestId('feature-count').getAttribute('data-count')).resolves.toBe('1');
    // Drawn on the map's canvas; the map counts the incident's area and the feature.
    const shapes = await reader.page
      .getByTestId('picture-map')
      .locator('.map-view__map')
      .getAttribute('data-shape-count');
    expect(Number(shapes)).toBe(2);
    await expect(reader.page.getByTestId('needs').count()).resolves.toBe(0);
  });

  it('keeps a report written offline through a reload and sends it exactly once', async () => {
    const title = 'Strömavbrott Värmdö';
    const incidentId = await activeIncident(title);
    const text = `Offline-rapport ${Date.now()}`;
    const { context, page } = await open('tib.nacka');
    await openIncident(page, title, /Ny lägesrapport/);

    await context.setOffline(true);
    await waitForConnection(page, 'offline');
    const form = page.getByTestId('report-form');
    await form.getByLabel('Vad har hänt').fill(text);
    await form.getByLabel('Behov').fill('Reservkraft till äldreboende.');
    await form.getByRole('button', { name: 'Skicka lägesrapport' }).click();
    await form.getByTestId('command-status').filter({ hasText: 'Köad' }).waitFor();
    await expect(page.getByTestId('outbox-button').getAttribute('data-unsent')).resolves.toBe('1');

    const reportsOnHub = async () =>
      Object.values((await nacka.state()).state.reports).filter((r) => r.happened === text);
    expect(await reportsOnHub()).toHaveLength(0);

    // Reloaded while offline: the page may or may not open (that is the service worker's
    // job); the outbox lives in IndexedDB either way.
    await page.reload().catch(() => undefined);
    await context.setOffline(false);
    await page.goto(hub.url);
    await waitForConnection(page, 'online');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __lagesbild?: { unsentCommands: number } }).__lagesbild
          ?.unsentCommands === 0,
      undefined,
      { timeout: 10_000 },
    );

    const reports = await reportsOnHub();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      incidentId,
      actorId: 'nacka',
      needs: 'Reservkraft till äldreboende.',
    });
    // Sent, not refused as a duplicate: the same id went out, and the hub knew it.
    await page.getByTestId('outbox-button').click();
    const items = page.getByTestId('outbox-item');
    await items.first().waitFor();
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().getAttribute('data-status')).resolves.toBe('sent');
    const hook = await readHook(page);
    expect(hook.unsentCommands).toBe(0);
  });

  it('speaks Swedish and English without a missing key', async () => {
    const title = 'Vattenläcka i Solna';
    await activeIncident(title);
    for (const language of ['sv', 'en'] as const) {
      const { page } = await open('tib.lansstyrelsen', { language });
      const tabs =
        language === 'sv'
          ? ['Kvittenser', 'Lägesrapporter', 'Ny lägesrapport', 'Logg', 'Lägesbild']
          : ['Acknowledgements', 'Situation reports', 'New situation report', 'Log', 'Situational picture'];
      await page.locator('.incident', { hasText: title }).getByRole('button').first().click();
      for (const tab of tabs) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tabpanel').waitFor();
      }
      await page.getByTestId('outbox-button').click();
      await page
        .getByTestId('outbox')
        .getByRole('button', { name: language === 'sv' ? 'Stäng' : 'Close' })
        .click();
      await page
        .getByRole('button', { name: language === 'sv' ? 'Begär samverkan' : 'Request joint handling' })
        .click();
      await page.getByTestId('request-dialog').waitFor();
      await page.keyboard.press('Escape');
      await page
        .getByRole('button', { name: language === 'sv' ? 'Aktivera händelse' : 'Activate incident' })
        .click();
      await waitForMap(page, 'activation-map');
      await page.keyboard.press('Escape');

      const hook = await readHook(page);
      expect(hook.missingTranslations, language).toEqual([]);
      const mode = await page.getByTestId('mode').textContent();
      expect(mode).toContain(language === 'sv' ? 'AKTIVERAT LÄGE' : 'ACTIVATED MODE');
    }
  });

  it('has no serious or critical accessibility violation on any page', async () => {
    const title = 'Cyberangrepp mot vattenverk';
    await activeIncident(title);
    const { page } = await openApp(browser, hub.url);
    pages.push(page);
    await page.locator('#sign-in-username').waitFor();
    expect(await axeViolations(page), 'sign-in page').toEqual([]);

    await page.locator('#sign-in-username').fill('tib.lansstyrelsen');
    await page.locator('#sign-in-password').fill('lagesbild-demo');
    await page.locator('form button[type="submit"]').click();
    await waitForConnection(page, 'online');
    await page.locator('.incident', { hasText: title }).waitFor();
    expect(await axeViolations(page), 'dashboard').toEqual([]);

    await page.getByRole('button', { name: 'Aktivera händelse' }).click();
    await waitForMap(page, 'activation-map');
    expect(await axeViolations(page), 'activation dialog').toEqual([]);
    await page.keyboard.press('Escape');

    await openIncident(page, title, /Ny lägesrapport/);
    await waitForMap(page, 'report-map');
    expect(await axeViolations(page), 'report form').toEqual([]);

    await page.getByRole('tab', { name: 'Lägesbild' }).click();
    await waitForMap(page, 'picture-map');
    expect(await axeViolations(page), 'common picture').toEqual([]);

    await page.getByRole('tab', { name: 'Kvittenser' }).click();
    await page.getByTestId('ack-matrix').waitFor();
    expect(await axeViolations(page), 'acknowledgement matrix').toEqual([]);
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    const title = 'Brand i Hammarbyhamnen';
    await activeIncident(title);
    const { page } = await open('tib.nacka', { viewport: { width: 390, height: 844 } });
    const overflow = () =>
      page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document;
        return root.documentElement.scrollWidth;
      });
    expect(await overflow()).toBeLessThanOrEqual(390);
    await openIncident(page, title, /Ny lägesrapport/);
    await waitForMap(page, 'report-map');
    expect(await overflow()).toBeLessThanOrEqual(390);
  });
});
