import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { State } from '@lagesbild/shared';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  launchChromium,
  signInThroughUi,
  startBrowserHub,
  waitForConnection,
  waitForServiceWorker,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A phone on a bad network: it goes offline, checks in and sends a quick report, the app
// is closed, opened again with no network (the service worker serves the app), and the
// network comes back. The hub must end up with exactly one of each.

let hub: HubProcess;
let browser: Browser;
let context: BrowserContext;
let lan: ApiClient;
/** Nacka's own view: by default its people's check-ins are visible to Nacka only. */
let nacka: ApiClient;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
  nacka = await signIn(hub.url, 'tib.nacka');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

const NACKA_TIB = 'dutyOfficer.nacka';
const EVENT_TYPE = 'Träd över vägen, bil fast under träd';

const mine = (state: State) => ({
  checkins: Object.values(state.checkins).filter((c) => c.by.userId === NACKA_TIB),
  reports: Object.values(state.fieldReports).filter((r) => r.by.userId === NACKA_TIB),
});

const outboxItems = (page: Page, status: string) =>
  page.locator(`[data-testid="outbox-item"][data-status="${status}"]`);

describe('the phone offline', () => {
  it('queues a check-in and a quick report offline, survives being closed, and sends each exactly once', async () => {
    // Nacka is not summoned, so no alert stands in the way of this test.
    const storm = activate({ title: 'Storm Ylva', summonedActorIds: ['lansstyrelsen'] });
    expect((await lan.command(storm)).body.ok).toBe(true);

    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      geolocation: { latitude: 59.3105, longitude: 18.1642, accuracy: 12 },
      permissions: ['geolocation'],
    });
    let page = await context.newPage();
    await page.goto(`${hub.url}/phone`);
    await signInThroughUi(page, 'tib.nacka');
    await waitForServiceWorker(page);

    // Installable: Chromium finds nothing wrong with the manifest and the worker. (A test
    // profile is "incognito", which is the one reason it gives not to offer installing.)
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    await cdp.detach();

    await context.setOffline(true);
    await waitForConnection(page, 'offline');
    expect(await axeViolations(page), 'check-in, offline').toEqual([]);

    // Check in, on site, with the device position.
    await page.getByRole('radio', { name: 'På plats' }).check();
    await page.getByRole('button', { name: 'Använd min position' }).tap();
    await page.getByTestId('position-status').filter({ hasText: '59.31050' }).waitFor();
    await page.getByRole('button', { name: 'Checka in' }).tap();
    await page.getByTestId('command-status').filter({ hasText: 'Köad' }).waitFor();

    // A METHANE report from the scene.
    await page.getByRole('tab', { name: 'Snabbrapport' }).tap();
    expect(await axeViolations(page), 'quick report').toEqual([]);
    await page.getByLabel('Exakt plats').fill('Värmdöleden vid Skurubron');
    await page.getByLabel('Typ av händelse').fill(EVENT_TYPE);
    await page.getByLabel('Risker och faror').fill('Fler träd kan falla');
    await page.getByLabel('Skadade (antal och typ)').fill('2 lindrigt skadade');
    await page.getByLabel('Resurser som behövs').fill('Bärgning');
    await page.getByRole('button', { name: 'Använd min position' }).tap();
    await page.getByTestId('position-status').filter({ hasText: '59.31050' }).waitFor();
    await page.getByRole('button', { name: 'Skicka rapport' }).tap();
    await page.getByTestId('command-status').filter({ hasText: 'Köad' }).waitFor();

    await page.getByRole('tab', { name: /Utkorg/ }).tap();
    await expect(outboxItems(page, 'queued').count()).resolves.toBe(2);
    expect(await axeViolations(page), 'outbox with queued items').toEqual([]);
    expect(mine((await nacka.state()).state)).toEqual({ checkins: [], reports: [] });

    // The app is closed and opened again, still with no network.
    await page.close();
    page = await context.newPage();
    const load = await page.goto(`${hub.url}/phone`);
    expect(load?.fromServiceWorker()).toBe(true);
    await page.getByTestId('offline-session').waitFor();
    expect(await axeViolations(page), 'opened offline').toEqual([]);
    await page.getByRole('tab', { name: /Utkorg/ }).tap();
    await outboxItems(page, 'queued').nth(1).waitFor();

    // The network is back: the outbox drains by itself.
    await context.setOffline(false);
    await waitForConnection(page, 'online', 30_000);
    await outboxItems(page, 'sent').nth(1).waitFor({ timeout: 15_000 });
    await expect(outboxItems(page, 'queued').count()).resolves.toBe(0);

    // Reloaded once more, online: nothing is sent twice.
    await page.reload();
    await waitForConnection(page, 'online');
    const { checkins, reports } = mine((await nacka.state()).state);
    expect(checkins).toHaveLength(1);
    expect(checkins[0]).toMatchObject({
      incidentId: storm.payload.incidentId,
      status: 'onSite',
      checkedOutAt: null,
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      incidentId: storm.payload.incidentId,
      actorId: 'nacka',
      sharing: { scope: 'region' },
    });
    // The quick report is a field report: it never stands in for Nacka's situation report.
    expect(reports[0]).toMatchObject({
      eventType: EVENT_TYPE,
      locationText: 'Värmdöleden vid Skurubron',
      hazards: 'Fler träd kan falla',
      position: { lat: 59.3105, lng: 18.1642 },
    });
    expect(Object.values((await lan.state()).state.reports)).toEqual([]);
  });
});
