import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DevicePairing, envelope } from '@lagesbild/shared';
import { buildCloseCommand, buildMapFeature, buildRequestCommand } from '@lagesbild/shared/test-factories';
import { call } from '../support/admin';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  startBrowserHub,
  waitForConnection,
} from '../support/browser';
import { activate, report } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A wall display paired as a device, in real Chromium, against a real hub that is killed
// with SIGKILL and started again on the same port and data directory. Nobody touches the
// wall: it must warn that its data is getting old, come back by itself, and show the next
// activation without reloading.

let hub: HubProcess;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

/** An administrator issues a wall device; the answer holds the one-time pairing link. */
async function issueDevice(name: string): Promise<DevicePairing> {
  const admin = await signIn(hub.url, 'admin.lansstyrelsen');
  const answer = await call(admin, 'POST', '/api/admin/devices', { name, views: ['wall'] });
  const body = envelope(DevicePairing).parse(answer.body);
  if (!body.ok) throw new Error(`could not issue a device: ${body.error.message}`);
  return body.data;
}

async function activateAs(client: ApiClient, title: string): Promise<void> {
  const answer = await client.command(activate({ title, summonedActorIds: [] }));
  expect(answer.body.ok, JSON.stringify(answer.body)).toBe(true);
}

const takeoverTitle = (page: Page) => page.getByTestId('wall-takeover').locator('h1');

describe('the wall display', () => {
  it('rides out a hub killed with SIGKILL: warns while down, then shows the next activation without a reload', async () => {
    const pairing = await issueDevice('Ledningsrummet');
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'sv-SE' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Unpaired, the wall asks for a pairing code.
    await page.goto(`${hub.url}/wall`);
    await page.getByTestId('wall-pairing').waitFor();
    expect(await axeViolations(page), 'pairing screen').toEqual([]);
    // Opening the admin's link on the display pairs it: no account, no typing.
    await page.goto(`${hub.url}/wall?pair=${pairing.pairingCode}`);
    await waitForConnection(page, 'online');
    await page.getByTestId('wall-ordinary').waitFor();
    expect(await axeViolations(page), 'ordinary mode').toEqual([]);
    await expect(page.getByTestId('wall-mode').textContent()).resolves.toContain('ORDINARIE LÄGE');
    await expect(page.getByTestId('wall-connection').textContent()).resolves.toContain('Ledningsrummet');
    expect(new URL(page.url()).search).toBe('');
    // Anything that reloads the page drops this marker.
    await page.evaluate(() => Object.assign(globalThis, { wallMarker: 'still the same page' }));

    // An activation fills the screen at once.
    const lan = await signIn(hub.url, 'tib.lansstyrelsen');
    await activateAs(lan, 'Storm Ylva');
    await expect(takeoverTitle(page).textContent()).resolves.toBe('Storm Ylva');
    await page.getByTestId('wall-incident').waitFor();
    expect(await axeViolations(page), 'activation takeover over the incident').toEqual([]);

    // The hub dies without a goodbye; the wall says how old its data is.
    await hub.kill('SIGKILL');
    const stale = page.getByTestId('stale-warning');
    await stale.waitFor({ timeout: 15_000 });
    await expect(stale.textContent()).resolves.toMatch(
      /INAKTUELL BILD.*Ingen anslutning sedan \d\d:\d\d.*sekunder gamla/,
    );
    expect(await axeViolations(page), 'stale warning').toEqual([]);

    hub = await hub.restart();
    await waitForConnection(page, 'online', 60_000);
    await stale.waitFor({ state: 'detached', timeout: 10_000 });

    // The next activation arrives on the same page, through the restarted hub.
    const lanAgain = await signIn(hub.url, 'tib.lansstyrelsen');
    await activateAs(lanAgain, 'Översvämning i Norrtälje');
    // The takeover already shows Storm Ylva: wait for the new title rather than read the old.
    await takeoverTitle(page).filter({ hasText: 'Översvämning i Norrtälje' }).waitFor();
    await page.getByTestId('wall-mode').filter({ hasText: '2 aktiva händelser' }).waitFor();
    expect(await axeViolations(page), 'two active incidents').toEqual([]);
    await expect(page.evaluate(() => (globalThis as { wallMarker?: string }).wallMarker)).resolves.toBe(
      'still the same page',
    );
    expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(e))).toEqual(
      [],
    );
  });

  it('shows the region map in ordinary mode, and brings a feature reported outside the view into it unless someone moved the map', async () => {
    const lan = await signIn(hub.url, 'tib.lansstyrelsen');
    const nacka = await signIn(hub.url, 'tib.nacka');
    const run = async (client: ApiClient, command: unknown) => {
      const answer = await client.command(command);
      expect(answer.body.ok, JSON.stringify(answer.body)).toBe(true);
    };
    // Back to ordinary mode: the incidents of the test before are closed.
    for (const incident of Object.values((await lan.state()).state.incidents)) {
      if (incident.status === 'active')
        await run(lan, buildCloseCommand({ commandId: randomUUID(), incidentId: incident.id }));
    }
    await run(
      nacka,
      buildRequestCommand({
        commandId: randomUUID(),
        incidentId: randomUUID(),
        title: 'Höga flöden i Tyresö',
      }),
    );

    const pairing = await issueDevice('Samverkansrummet');
    const wallContext = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'sv-SE',
    });
    const page = await wallContext.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${hub.url}/wall?pair=${pairing.pairingCode}`);
    await waitForConnection(page, 'online');
    await page.getByTestId('wall-ordinary').waitFor();
    const regionMap = page.getByTestId('wall-region-map');
    await regionMap.locator('.map-borders__label').first().waitFor();
    await expect(regionMap.locator('.map-borders__label').count()).resolves.toBe(26);
    await expect
      .poll(() => page.getByTestId('wall-request-count').textContent())
      .toBe('1 begäran väntar på beslut');
    expect(await axeViolations(page), 'ordinary mode with the region map').toEqual([]);

    // Activated before the page loads, so no takeover covers the map.
    const activation = activate({ title: 'Skyfall över Stockholm' });
    await run(lan, activation);
    const incidentId = activation.payload.incidentId;
    await page.reload();
    await waitForConnection(page, 'online');
    const map = page.getByTestId('wall-leaflet').locator('.map-view__map');
    await map.locator('.map-borders__label').first().waitFor();
    const view = async () => {
      const [south = 0, west = 0, north = 0, east = 0] = ((await map.getAttribute('data-view')) ?? '')
        .split(',')
        .map(Number);
      return { south, west, north, east };
    };
    const shows = async (lat: number, lng: number) => {
      const v = await view();
      return lat > v.south && lat < v.north && lng > v.west && lng < v.east;
    };
    const shapeCount = (count: number) =>
      page.locator(`[data-testid="wall-map"][data-shape-count="${count}"]`).waitFor();
    const point = (label: string, lat: number, lng: number) =>
      buildMapFeature({ id: randomUUID(), label, geometry: { type: 'Point', coordinates: [lng, lat] } });

    // A report from Norrtälje, far outside the view of the incident's area in Stockholm.
    await shapeCount(1);
    expect(await shows(59.758, 18.705)).toBe(false);
    await run(nacka, report(incidentId, { features: [point('Översvämmad väg', 59.758, 18.705)] }));
    await shapeCount(2);
    await expect.poll(() => shows(59.758, 18.705), { timeout: 10_000 }).toBe(true);

    // Someone drags the map; the view is theirs for the next minutes.
    const box = await map.boundingBox();
    if (!box) throw new Error('the wall map has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 300, box.y + box.height / 2 - 150, { steps: 10 });
    await page.mouse.up();
    // Leaflet glides on after the release (inertia): the person's view is where it stops.
    let moved = await map.getAttribute('data-view');
    await expect
      .poll(
        async () => {
          await page.waitForTimeout(400);
          const now = await map.getAttribute('data-view');
          const settled = now === moved;
          moved = now;
          return settled;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await shows(59.196, 17.626)).toBe(false);
    await run(lan, report(incidentId, { features: [point('Evakuering Södertälje', 59.196, 17.626)] }));
    await shapeCount(3);
    // Long enough for a refit to have happened, had the map not been left to the person.
    await page.waitForTimeout(1_500);
    await expect(map.getAttribute('data-view')).resolves.toBe(moved);
    expect(errors).toEqual([]);
    await wallContext.close();
  });
});
