import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openSignedIn,
  startBrowserHub,
  openPhone as openSignedInPhone,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// Issue 19, a duty officer's first five minutes: after acknowledging, the laptop and the
// phone say when and by whom ("Kvitterat 07:09 av TiB Nacka"), the phone shows the mode
// and the incident, and the activating actor counts as acknowledged, never "not summoned".

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

/** "07:09": the time of day as the browsers here (Europe/Stockholm, Swedish) write it. */
const clock = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(
    new Date(iso),
  );

/** Waits until the hub has the actor's acknowledgement of the incident, and returns it. */
async function acknowledgementOf(incidentId: string, actorId: string) {
  const read = async () => {
    const incident = (await lan.state()).state.incidents[incidentId];
    return incident && Object.hasOwn(incident.acknowledgements, actorId)
      ? incident.acknowledgements[actorId]
      : undefined;
  };
  await expect.poll(read, { message: `${actorId} acknowledges ${incidentId}` }).toBeDefined();
  const found = await read();
  if (!found) throw new Error(`${actorId} never acknowledged ${incidentId}`);
  return found;
}

/** A phone-sized profile, signed in. */
async function openPhone(username: string): Promise<Page> {
  const { context, page } = await openSignedInPhone(browser, hub.url, username);
  contexts.push(context);
  return page;
}

describe('confirmation of acknowledging', () => {
  it('says on the laptop when and by whom, where the button was; the activator is acknowledged, not "not summoned"', async () => {
    const storm = activate({ title: 'Storm Ylva i Nacka', summonedActorIds: ['nacka'] });
    expect((await lan.command(storm)).body.ok).toBe(true);
    const incidentId = storm.payload.incidentId;

    const activator = await openSignedIn(browser, hub.url, 'tib.lansstyrelsen');
    const summoned = await openSignedIn(browser, hub.url, 'tib.nacka');
    contexts.push(activator.context, summoned.context);
    const errors = [...collectPageErrors(activator.page), ...collectPageErrors(summoned.page)];

    const banner = summoned.page.getByTestId('activation-banner');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Kvittera' }).click();
    const confirmation = summoned.page.getByTestId('acknowledged-banner');
    await confirmation.waitFor();
    const acknowledged = await acknowledgementOf(incidentId, 'nacka');
    await expect(confirmation.getByTestId('acknowledged-by').textContent()).resolves.toBe(
      `Kvitterat ${clock(acknowledged.at)} av TiB Nacka`,
    );
    await expect(confirmation.getByRole('button', { name: 'Kvittera' }).count()).resolves.toBe(0);
    expect(await axeViolations(summoned.page), 'acknowledged banner').toEqual([]);
    await confirmation.getByRole('button', { name: 'Stäng meddelandet' }).click();
    await confirmation.waitFor({ state: 'detached' });

    // The activating actor: acknowledged by activating, with who and when, never "not summoned".
    const activation = await acknowledgementOf(incidentId, 'lansstyrelsen');
    expect(activation.by.userId).toBe(lan.session.user.id);
    await activator.page
      .locator('.incident', { hasText: 'Storm Ylva i Nacka' })
      .getByRole('button', { name: /Öppna/ })
      .click();
    await activator.page.getByRole('tab', { name: 'Kvittenser' }).click();
    const row = activator.page.locator('[data-testid="ack-matrix"] tr[data-actor-id="lansstyrelsen"]');
    await expect(row.getAttribute('data-acknowledged')).resolves.toBe('yes');
    await expect(activator.page.getByText(/er aktör är inte kallad/).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows a confirmation on the phone, then the incident under the mode banner', async () => {
    const phone = await openPhone('tib.nacka');
    const errors = collectPageErrors(phone);

    const fire = activate({ title: 'Brand i Orminge centrum', kind: 'fire', summonedActorIds: ['nacka'] });
    expect((await lan.command(fire)).body.ok).toBe(true);
    const incidentId = fire.payload.incidentId;

    const alert = phone.getByTestId('activation-alert');
    await alert.waitFor();
    expect(await axeViolations(phone), 'activation alert').toEqual([]);
    await alert.getByRole('button', { name: 'Kvittera' }).tap();

    const screen = phone.getByTestId('acknowledged-screen');
    await screen.waitFor();
    const acknowledged = await acknowledgementOf(incidentId, 'nacka');
    await screen
      .getByTestId('acknowledged-by')
      .filter({ hasText: `Kvitterat ${clock(acknowledged.at)} av TiB Nacka` })
      .waitFor();
    await expect(screen.textContent()).resolves.toContain('Brand i Orminge centrum');
    expect(await axeViolations(phone), 'acknowledged screen').toEqual([]);

    await screen.getByRole('button', { name: 'Till händelsen' }).tap();
    await screen.waitFor({ state: 'detached' });
    const mode = phone.getByTestId('phone-mode');
    await expect(mode.getByTestId('mode').textContent()).resolves.toBe('AKTIVERAT LÄGE');
    const incident = mode.locator(`[data-incident-id="${incidentId}"]`);
    await expect(incident.textContent()).resolves.toContain('Händelse: Brand i Orminge centrum (Brand)');
    expect(await axeViolations(phone), 'phone with the mode banner').toEqual([]);
    expect(errors).toEqual([]);
  });
});
