import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openSignedIn,
  startBrowserHub,
  waitForMap,
} from '../support/browser';
import { activate, report } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// Maps in real Chromium: a click lands where the person clicked, also in a map that opened
// inside a dialog or a tab, and the map still shows the region without a tile server.

let hub: HubProcess;
let browser: Browser;
let lan: ApiClient;
const pages: Page[] = [];

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

async function open(hubUrl: string, username: string) {
  const opened = await openSignedIn(browser, hubUrl, username);
  pages.push(opened.page);
  return opened;
}

// Web Mercator (EPSG:3857) as tile maps use it, worked out here rather than asked of
// Leaflet, so the test does not trust the map it is testing.
const TILE_SIZE = 256;
const worldSize = (zoom: number) => TILE_SIZE * 2 ** zoom;
function project(lat: number, lng: number, zoom: number): { x: number; y: number } {
  const sin = Math.sin((lat * Math.PI) / 180);
  return {
    x: ((lng + 180) / 360) * worldSize(zoom),
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * worldSize(zoom),
  };
}
function unproject(x: number, y: number, zoom: number): { lat: number; lng: number } {
  const n = Math.PI - (2 * Math.PI * y) / worldSize(zoom);
  return { lat: (180 / Math.PI) * Math.atan(Math.sinh(n)), lng: (x / worldSize(zoom)) * 360 - 180 };
}

/** Where a click `dx, dy` pixels from the centre of a map showing the region's view lands. */
function expectedPosition(dx: number, dy: number): { lat: number; lng: number } {
  const { center, zoom } = stockholmRegion().map;
  const middle = project(center.lat, center.lng, zoom);
  return unproject(middle.x + dx, middle.y + dy, zoom);
}

/** Clicks the map `dx, dy` pixels from its centre and returns the coordinate it shows. */
async function clickAndRead(page: Page, testId: string, dx: number, dy: number) {
  await waitForMap(page, testId);
  const map = page.getByTestId(testId).locator('.map-view__map');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no box');
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  const readout = await page.getByTestId(testId).getByTestId('coordinates').textContent();
  // The readout reads "WGS8459.41489° N, 18.21820° E…": the label runs into the number.
  const match = /(\d{1,2}\.\d{5})° N, (\d{1,3}\.\d{5})° E/.exec(readout ?? '');
  if (!match) throw new Error(`no coordinate shown: ${readout}`);
  return { lat: Number(match[1]), lng: Number(match[2]) };
}

/** The colour the map's canvas has drawn under a municipality's name, as [r, g, b]. */
function landColourUnder(page: Page, testId: string, name: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((element, wanted) => {
    type Box = { left: number; top: number; width: number; height: number };
    type Canvas = {
      width: number;
      getBoundingClientRect: () => Box;
      getContext: (kind: '2d') => {
        getImageData: (x: number, y: number, w: number, h: number) => { data: number[] };
      };
    };
    type Node = { textContent: string | null; getBoundingClientRect: () => Box };
    const root = element as unknown as {
      querySelectorAll: (selector: string) => Iterable<Node>;
      querySelector: (selector: string) => Canvas | null;
    };
    const label = [...root.querySelectorAll('.map-borders__label > span')].find(
      (n) => n.textContent === wanted,
    );
    const canvas = root.querySelector('.leaflet-overlay-pane canvas');
    if (!label || !canvas) return [];
    const at = label.getBoundingClientRect();
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const x = Math.round((at.left + at.width / 2 - box.left) * scale);
    const y = Math.round((at.top + at.height / 2 - box.top) * scale);
    return [...canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)];
  }, name);
}

// At the region's zoom (9) a pixel is about 0.0027° of longitude and 0.0014° of latitude;
// the old fault put the region's centre in the map's corner, hundreds of pixels away.
const expectNear = (actual: { lat: number; lng: number }, expected: { lat: number; lng: number }) => {
  expect(Math.abs(actual.lat - expected.lat), `latitude ${actual.lat} vs ${expected.lat}`).toBeLessThan(
    0.004,
  );
  expect(Math.abs(actual.lng - expected.lng), `longitude ${actual.lng} vs ${expected.lng}`).toBeLessThan(
    0.006,
  );
};

describe('maps', () => {
  it('puts a click in the activation dialog where it was made, and saves the area there', async () => {
    const { page } = await open(hub.url, 'tib.lansstyrelsen');
    const errors = collectPageErrors(page);
    await page.getByRole('button', { name: 'Aktivera händelse' }).click();
    const dialog = page.getByTestId('activation-dialog');
    await dialog.getByLabel('Rubrik').fill('Gasläcka i Nacka centrum');

    const clicks: [number, number][] = [
      [80, -60],
      [140, 40],
      [60, 70],
    ];
    const shown = [];
    for (const [dx, dy] of clicks) shown.push(await clickAndRead(page, 'activation-map', dx, dy));
    shown.forEach((position, i) => {
      const [dx, dy] = clicks[i] ?? [0, 0];
      expectNear(position, expectedPosition(dx, dy));
    });

    await dialog.getByRole('button', { name: 'Aktivera', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The command goes through the outbox; the hub has it a moment after the dialog closes.
    const savedArea = async () =>
      Object.values((await lan.state()).state.incidents).find((i) => i.title === 'Gasläcka i Nacka centrum')
        ?.area ?? null;
    await expect.poll(savedArea, { timeout: 10_000 }).not.toBeNull();
    const [lng, lat] = (await savedArea())?.coordinates[0]?.[0] ?? [];
    expectNear({ lat: lat ?? 0, lng: lng ?? 0 }, expectedPosition(80, -60));
    expect(errors).toEqual([]);
  });

  it("puts a click in the report form's map, opened in a tab, where it was made", async () => {
    const title = 'Skyfall i Sickla';
    await lan.command(activate({ title, nextConferenceAt: null }));
    const { page } = await open(hub.url, 'tib.nacka');
    await page.locator('.incident', { hasText: title }).getByRole('button', { name: /Öppna/ }).click();
    await page.getByRole('tab', { name: /Ny lägesrapport/ }).click();
    const position = await clickAndRead(page, 'report-map', -120, 90);
    expectNear(position, expectedPosition(-120, 90));
  });

  it('draws the municipal borders and names as the map when no tile server is configured', async () => {
    const { page } = await open(hub.url, 'tib.lansstyrelsen');
    await waitForMap(page, 'overview-map');
    const map = page.getByTestId('overview-map');
    const names = await map.locator('.map-borders__label').allTextContents();
    expect(names).toHaveLength(26);
    expect(names).toEqual(expect.arrayContaining(['Nacka', 'Stockholm', 'Norrtälje', 'Södertälje']));
    await expect(map.locator('.leaflet-tile').count()).resolves.toBe(0);
    // Land filled, the sea left in the background; Vallentuna has no incident's area over it.
    await expect.poll(() => landColourUnder(page, 'overview-map', 'Vallentuna')).toEqual([247, 245, 239]);
    await expect(map.getByTestId('tiles-failed').count()).resolves.toBe(0);
  });

  it('colours a municipality by its latest report, and a click on it opens that report', async () => {
    const title = 'Storm över Nacka';
    const storm = activate({ title, area: null, nextConferenceAt: null });
    await lan.command(storm);
    const nacka = await signIn(hub.url, 'tib.nacka');
    const sent = await nacka.command(
      report(storm.payload.incidentId, { status: 'severe', happened: 'Träd över Värmdöleden' }),
    );
    expect(sent.body.ok).toBe(true);

    const { page } = await open(hub.url, 'tib.lansstyrelsen');
    await page.locator('.incident', { hasText: title }).getByRole('button', { name: /Öppna/ }).click();
    await waitForMap(page, 'picture-map');
    const map = page.getByTestId('picture-map');
    // Severe is the dark red fill; a municipality without a report keeps the land's colour.
    await expect.poll(() => landColourUnder(page, 'picture-map', 'Nacka')).toEqual([164, 22, 26]);
    await expect.poll(() => landColourUnder(page, 'picture-map', 'Vallentuna')).toEqual([247, 245, 239]);

    await map.locator('.map-view__map').scrollIntoViewIfNeeded();
    const label = map.locator('.map-borders__label > span', { hasText: /^Nacka$/ });
    const box = await label.boundingBox();
    if (!box) throw new Error("Nacka's name is not on the map");
    // The name lets clicks through to the municipality under it (red there, as read above).
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const opened = page.getByTestId('municipality-report');
    await opened.getByRole('heading', { name: 'Senaste lägesrapport från Nacka' }).waitFor();
    await expect(opened.getByText('Träd över Värmdöleden').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says so when the background map cannot be loaded, and still shows the borders', async () => {
    // A tile server that answers nothing useful: the hub's own origin, on a path it lacks.
    const offline = await startBrowserHub({
      urlEnv: (url) => ({ TILE_URL: `${url}/no-such-tiles/{z}/{x}/{y}.png` }),
    });
    try {
      for (const language of ['sv', 'en'] as const) {
        const opened = await openSignedIn(browser, offline.url, 'tib.lansstyrelsen', { language });
        pages.push(opened.page);
        const map = opened.page.getByTestId('overview-map');
        const notice = map.getByTestId('tiles-failed');
        await notice.waitFor({ timeout: 15_000 });
        await expect(notice.textContent()).resolves.toBe(
          language === 'sv'
            ? 'Bakgrundskartan kunde inte laddas.'
            : 'The background map could not be loaded.',
        );
        await expect(map.locator('.map-borders__label').count()).resolves.toBe(26);
        // The land is filled again, as on a map without tiles (read under Vallentuna's name).
        await expect
          .poll(() => landColourUnder(opened.page, 'overview-map', 'Vallentuna'))
          .toEqual([247, 245, 239]);
        expect(await axeViolations(opened.page)).toEqual([]);
      }
    } finally {
      await offline.kill();
      removeDataDir(offline);
    }
  });
});
