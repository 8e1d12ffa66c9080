import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client';
import {
  collectPageErrors,
  launchChromium,
  openSignedIn,
  signInThroughUi,
  startBrowserHub,
  waitForMap,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A duty officer's phone in the field (390×844, position emulated) and an operator at a
// desk, in real Chromium against a real hub.

let hub: HubProcess;
let browser: Browser;
let lan: ApiClient;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

/** A phone-sized profile that has allowed the app its position, at Nacka sporthall. */
async function openPhone(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    geolocation: { latitude: 59.3105, longitude: 18.1642, accuracy: 12 },
    permissions: ['geolocation'],
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${hub.url}/phone`);
  await signInThroughUi(page, username);
  return page;
}

/** Waits until the hub's own state satisfies `check`, polling its HTTP API. */
async function hubState<T>(
  client: ApiClient,
  check: (state: Awaited<ReturnType<ApiClient['state']>>['state']) => T,
) {
  for (let attempt = 0; ; attempt++) {
    const result = check((await client.state()).state);
    if (result || attempt > 50) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the phone', () => {
  it('alerts, acknowledges with one tap, checks in with its position, and the operator sees it on the map and in the roster', async () => {
    const storm = activate({ title: 'Storm Ylva', summonedActorIds: ['lansstyrelsen', 'nacka'] });
    expect((await lan.command(storm)).body.ok).toBe(true);
    const incidentId = storm.payload.incidentId;

    // The operator is looking at the incident's picture before the phone does anything.
    const operator = await openSignedIn(browser, hub.url, 'tib.lansstyrelsen');
    contexts.push(operator.context);
    await operator.page
      .locator('.incident', { hasText: 'Storm Ylva' })
      .getByRole('button', { name: /Öppna/ })
      .click();
    await operator.page.getByRole('tab', { name: /Lägesbild/ }).click();
    await waitForMap(operator.page, 'picture-map');
    const roster = operator.page.getByTestId('roster');
    await expect(roster.getByTestId('roster-row').count()).resolves.toBe(0);

    const phone = await openPhone('tib.nacka');
    const errors = collectPageErrors(phone);

    // Nacka is summoned: the whole screen says so, and one tap acknowledges.
    const alert = phone.getByTestId('activation-alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Storm Ylva');
    await alert.getByRole('button', { name: 'Kvittera' }).tap();
    await alert.waitFor({ state: 'detached' });
    const acknowledged = await hubState(lan, (s) => s.incidents[incidentId]?.acknowledgements.nacka);
    expect(acknowledged?.by.userId).toBe('dutyOfficer.nacka');

    // Check in on site, with the position the phone gives (with consent).
    await expect(phone.locator('#checkin-incident').inputValue()).resolves.toBe(incidentId);
    await phone.getByRole('radio', { name: 'På plats' }).check();
    await phone.getByRole('button', { name: 'Använd min position' }).tap();
    await phone.getByTestId('position-status').filter({ hasText: '59.31050, 18.16420' }).waitFor();
    await phone.getByLabel('Anteckning').fill('Vid Nacka sporthall, evakueringsplatsen');
    await phone.getByRole('button', { name: 'Checka in' }).tap();
    const mine = phone.locator('[data-testid="my-checkin"][data-checked-in="true"]');
    await mine.waitFor();
    await expect(mine.textContent()).resolves.toContain('På plats');
    await phone.getByTestId('command-status').filter({ hasText: 'Skickad' }).waitFor();

    // The operator's roster and map show it, live.
    const row = roster.getByTestId('roster-row');
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/TiB Nacka.*Nacka.*Tjänsteman i beredskap.*På plats/);
    // The map draws the incident's area and the person checked in.
    await operator.page
      .getByTestId('picture-map')
      .locator('.map-view__map[data-shape-count="2"]')
      .waitFor({ timeout: 5_000 });

    const state = (await lan.state()).state;
    const checkins = Object.values(state.checkins).filter((c) => c.by.userId === 'dutyOfficer.nacka');
    expect(checkins).toHaveLength(1);
    expect(checkins[0]).toMatchObject({
      incidentId,
      status: 'onSite',
      position: { lat: 59.3105, lng: 18.1642 },
      note: 'Vid Nacka sporthall, evakueringsplatsen',
      checkedOutAt: null,
    });

    // Checking out takes the person off the roster.
    await mine.getByRole('button', { name: 'Checka ut' }).tap();
    await row.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
