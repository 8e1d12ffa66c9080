import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevicePairing, envelope } from '@lagesbild/shared';
import { call } from '../support/admin';
import { signIn, type ApiClient } from '../support/api-client';
import { collectPageErrors, launchChromium, startBrowserHub, waitForConnection } from '../support/browser';
import { activate } from '../support/commands';
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
    // Opening the admin's link on the display pairs it: no account, no typing.
    await page.goto(`${hub.url}/wall?pair=${pairing.pairingCode}`);
    await waitForConnection(page, 'online');
    await expect(page.getByTestId('wall-mode').textContent()).resolves.toContain('ORDINARIE LÄGE');
    await expect(page.getByTestId('wall-connection').textContent()).resolves.toContain('Ledningsrummet');
    expect(new URL(page.url()).search).toBe('');
    // Anything that reloads the page drops this marker.
    await page.evaluate(() => Object.assign(globalThis, { wallMarker: 'still the same page' }));

    // An activation fills the screen at once.
    const lan = await signIn(hub.url, 'tib.lansstyrelsen');
    await activateAs(lan, 'Storm Ylva');
    await expect(takeoverTitle(page).textContent()).resolves.toBe('Storm Ylva');

    // The hub dies without a goodbye; the wall says how old its data is.
    await hub.kill('SIGKILL');
    const stale = page.getByTestId('stale-warning');
    await stale.waitFor({ timeout: 15_000 });
    await expect(stale.textContent()).resolves.toMatch(
      /INAKTUELL BILD.*Ingen anslutning sedan \d\d:\d\d.*sekunder gamla/,
    );

    hub = await hub.restart();
    await waitForConnection(page, 'online', 60_000);
    await stale.waitFor({ state: 'detached', timeout: 10_000 });

    // The next activation arrives on the same page, through the restarted hub.
    const lanAgain = await signIn(hub.url, 'tib.lansstyrelsen');
    await activateAs(lanAgain, 'Översvämning i Norrtälje');
    await expect(takeoverTitle(page).textContent()).resolves.toBe('Översvämning i Norrtälje');
    await page.getByTestId('wall-mode').filter({ hasText: '2 aktiva händelser' }).waitFor();
    await expect(page.evaluate(() => (globalThis as { wallMarker?: string }).wallMarker)).resolves.toBe(
      'still the same page',
    );
    expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(e))).toEqual(
      [],
    );
  });
});
