import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openSignedIn,
  startBrowserHub,
  waitForMap,
  openPhone as openSignedInPhone,
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
  const { context, page } = await openSignedInPhone(browser, hub.url, username, {
    latitude: 59.3105,
    longitude: 18.1642,
    accuracy: 12,
  });
  contexts.push(context);
  return page;
}

/** Waits (up to 20 s, for a loaded machine) until the hub's own state satisfies `check`. */
async function hubState<T>(
  client: ApiClient,
  check: (state: Awaited<ReturnType<ApiClient['state']>>['state']) => T,
) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = check((await client.state()).state);
    if (result || Date.now() > deadline) return result;
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
    expect(await axeViolations(phone), 'activation alert').toEqual([]);
    await alert.getByRole('button', { name: 'Kvittera' }).tap();
    await alert.waitFor({ state: 'detached' });
    // The confirmation says it is done; continuing shows the incident and the mode.
    expect(await axeViolations(phone), 'acknowledgement confirmation').toEqual([]);
    await phone.getByRole('button', { name: 'Till händelsen' }).tap();
    const acknowledged = await hubState(lan, (s) => s.incidents[incidentId]?.acknowledgements.nacka);
    expect(acknowledged?.by.userId).toBe('dutyOfficer.nacka');

    // Check in on site: by default only Nacka sees who and where; the operator, of another
    // actor, sees only that Nacka has a duty officer there.
    await expect(phone.locator('#checkin-incident').inputValue()).resolves.toBe(incidentId);
    expect(await axeViolations(phone), 'check-in form').toEqual([]);
    await phone.getByRole('radio', { name: 'På plats' }).check();
    await phone.getByRole('button', { name: 'Checka in' }).tap();
    const summary = roster.getByTestId('roster-summary-row');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(/Nacka.*1.*Tjänsteman i beredskap \(1\)/);
    await expect(roster.getByTestId('roster-row').count()).resolves.toBe(0);
    // The phone's own roster has the table that scrolls sideways on a narrow screen.
    await phone.getByTestId('roster').getByTestId('roster-row').waitFor();
    expect(await axeViolations(phone), 'checked in, with the roster').toEqual([]);

    // Checking in again, shared with the whole region, with the position the phone gives (with consent).
    await phone.getByRole('radio', { name: 'Hela regionen' }).check();
    await phone.getByRole('radio', { name: 'På plats' }).check();
    await phone.getByRole('button', { name: 'Använd min position' }).tap();
    await phone.getByTestId('position-status').filter({ hasText: '59.31050, 18.16420' }).waitFor();
    await phone.getByLabel('Anteckning').fill('Vid Nacka sporthall, evakueringsplatsen');
    await phone.getByRole('button', { name: 'Checka in' }).tap();
    await summary.waitFor({ state: 'detached' });
    const mine = phone.locator('[data-testid="my-checkin"][data-checked-in="true"]');
    await mine.waitFor();
    await expect(mine.textContent()).resolves.toContain('På plats');
    await phone.getByTestId('command-status').filter({ hasText: 'Skickad' }).waitFor();

    // The operator's roster and map show it, live.
    const row = roster.getByTestId('roster-row');
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/TiB Nacka.*Nacka.*Tjänsteman i beredskap.*På plats/);
    // The map draws the incident's area and the person checked in.
    await operator.page.getByTestId('picture-map').locator('.map-view__map[data-shape-count="2"]').waitFor();

    const state = (await lan.state()).state;
    const checkins = Object.values(state.checkins).filter(
      (c) => c.by.userId === 'dutyOfficer.nacka' && c.checkedOutAt === null,
    );
    expect(checkins).toHaveLength(1);
    expect(checkins[0]).toMatchObject({
      incidentId,
      status: 'onSite',
      position: { lat: 59.3105, lng: 18.1642 },
      note: 'Vid Nacka sporthall, evakueringsplatsen',
      checkedOutAt: null,
      sharing: { scope: 'region' },
    });

    // Checking out takes the person off the roster.
    await mine.getByRole('button', { name: 'Checka ut' }).tap();
    await row.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
