import { randomUUID } from 'node:crypto';
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
import { activate, report } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// Issue 19: a field worker's quick report from the scene must not overwrite what Botkyrka's
// duty officer has reported (status, needs, prognosis). It is a field report of its own,
// shown in the timeline and on the map beside the situation report.

let hub: HubProcess;
let browser: Browser;
let lan: ApiClient;
let botkyrka: ApiClient;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
  botkyrka = await signIn(hub.url, 'tib.botkyrka');
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

/** A phone-sized profile that has allowed the app its position, at Tumba. */
async function openPhone(username: string): Promise<Page> {
  const { context, page } = await openSignedInPhone(browser, hub.url, username, {
    latitude: 59.1995,
    longitude: 17.8315,
    accuracy: 10,
  });
  contexts.push(context);
  return page;
}

const EVENT_TYPE = 'Översvämmad gångtunnel vid Tumba station';
const NEEDS = 'Två generatorer till äldreboenden i Tullinge';
const PROGNOSIS = 'Förvärras under natten när vattnet stiger';

describe('a field report from the phone', () => {
  it("leaves the duty officer's situation report in the picture and appears in the timeline and on the map", async () => {
    const flood = activate({ title: 'Skyfall i Botkyrka', summonedActorIds: ['botkyrka'] });
    expect((await lan.command(flood)).body.ok).toBe(true);
    const incidentId = flood.payload.incidentId;
    // Botkyrka's duty officer has acknowledged and reported before the field report comes in.
    const acknowledge = { id: randomUUID(), type: 'activation.acknowledge', payload: { incidentId } };
    expect((await botkyrka.command(acknowledge)).body.ok).toBe(true);
    const situation = report(incidentId, {
      happened: 'Skyfall över norra Botkyrka.',
      needs: NEEDS,
      assessment: PROGNOSIS,
      status: 'severe',
    });
    expect((await botkyrka.command(situation)).body.ok).toBe(true);

    // Field staff of Botkyrka send a quick report from the scene, with the phone's position.
    const phone = await openPhone('falt.botkyrka');
    const phoneErrors = collectPageErrors(phone);
    await phone.getByRole('tab', { name: 'Snabbrapport' }).tap();
    await expect(phone.getByRole('radio', { name: 'Ansträngd' }).count()).resolves.toBe(0);
    await phone.getByLabel('Exakt plats').fill('Tumba station, gångtunneln');
    await phone.getByLabel('Typ av händelse').fill(EVENT_TYPE);
    await phone.getByLabel('Risker och faror').fill('Strömförande kablar i vattnet');
    await phone.getByRole('button', { name: 'Använd min position' }).tap();
    await phone.getByTestId('position-status').filter({ hasText: '59.19950' }).waitFor();
    expect(await axeViolations(phone), 'quick report form').toEqual([]);
    await phone.getByRole('button', { name: 'Skicka rapport' }).tap();
    await phone.getByTestId('command-status').filter({ hasText: 'Skickad' }).waitFor();

    // On the hub: Botkyrka's situation report is untouched, the field report stands beside it.
    const { state } = await lan.state();
    const botkyrkaReports = Object.values(state.reports).filter((r) => r.actorId === 'botkyrka');
    expect(botkyrkaReports).toHaveLength(1);
    expect(botkyrkaReports[0]).toMatchObject({ status: 'severe', needs: NEEDS, assessment: PROGNOSIS });
    const fieldReports = Object.values(state.fieldReports);
    expect(fieldReports).toMatchObject([
      {
        incidentId,
        actorId: 'botkyrka',
        eventType: EVENT_TYPE,
        position: { lat: 59.1995, lng: 17.8315 },
        by: { functionId: 'field' },
      },
    ]);

    // The operator's common picture still shows the duty officer's status, needs and prognosis.
    const operator = await openSignedIn(browser, hub.url, 'tib.lansstyrelsen');
    contexts.push(operator.context);
    const page = operator.page;
    const errors = collectPageErrors(page);
    await page
      .locator('.incident', { hasText: 'Skyfall i Botkyrka' })
      .getByRole('button', { name: /Öppna/ })
      .click();
    await page.getByRole('tab', { name: 'Lägesbild' }).click();
    await waitForMap(page, 'picture-map');
    const tile = page.getByTestId('actor-status').locator('li', { hasText: 'Botkyrka' });
    await expect(tile.textContent()).resolves.toContain('Allvarlig');
    await expect(page.getByTestId('needs').textContent()).resolves.toContain(NEEDS);
    // The map draws the incident's area and the field report's point, and can hide the latter.
    const map = page.getByTestId('picture-map');
    await map.locator('.map-view__map[data-shape-count="2"]').waitFor();
    await page.getByRole('checkbox', { name: 'Fältrapporter' }).uncheck();
    await map.locator('.map-view__map[data-shape-count="1"]').waitFor();
    await page.getByRole('checkbox', { name: 'Fältrapporter' }).check();

    // The timeline has both: the field report marked as such, the situation report with its status.
    await page.getByRole('tab', { name: 'Lägesrapporter' }).click();
    const card = page.getByTestId('field-report');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(EVENT_TYPE);
    await expect(card.textContent()).resolves.toContain('Fältrapport');
    await expect(card.textContent()).resolves.toContain('Strömförande kablar i vattnet');
    const situationCard = page.locator(
      `[data-testid="report"][data-report-id="${situation.payload.reportId}"]`,
    );
    await expect(situationCard.textContent()).resolves.toContain(PROGNOSIS);
    await expect(situationCard.textContent()).resolves.toContain('Allvarlig');
    expect(await axeViolations(page), 'timeline with a field report').toEqual([]);
    expect([...errors, ...phoneErrors]).toEqual([]);
  });

  it('refuses a field report from a viewer, and nothing changes', async () => {
    const viewer = await signIn(hub.url, 'lasare.lansstyrelsen');
    const flood = activate({ title: 'Skyfall igen', summonedActorIds: ['botkyrka'] });
    expect((await lan.command(flood)).body.ok).toBe(true);
    const before = (await lan.state()).seq;
    const refused = await viewer.command({
      id: randomUUID(),
      type: 'fieldReport.submit',
      payload: {
        fieldReportId: randomUUID(),
        incidentId: flood.payload.incidentId,
        eventType: 'Läsaren försöker',
        locationText: '',
        position: null,
        hazards: '',
        access: '',
        casualties: '',
        servicesPresent: '',
        servicesNeeded: '',
        sharing: { scope: 'region' },
      },
    });
    expect(refused.status).toBe(403);
    expect((await lan.state()).seq).toBe(before);
  });
});
