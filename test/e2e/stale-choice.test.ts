import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client';
import { collectPageErrors, launchChromium, openSignedIn, startBrowserHub } from '../support/browser';
import { activate, report } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// Two duty officers of one actor report at once, in real Chromium against a real hub: the
// later report is never put over the newer one unseen; the person sees both and chooses.

let hub: HubProcess;
let browser: Browser;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

describe('a situation report overtaken by a colleague’s', () => {
  it('shows the newer report in the outbox and sends the person’s own over it when they keep theirs', async () => {
    const lan: ApiClient = await signIn(hub.url, 'tib.lansstyrelsen');
    const colleague: ApiClient = await signIn(hub.url, 'tib.nacka');
    const title = 'Snöstorm över Nacka';
    const incident = activate({ title, nextConferenceAt: null });
    expect((await lan.command(incident)).body.ok).toBe(true);
    const incidentId = incident.payload.incidentId;

    const { page } = await openSignedIn(browser, hub.url, 'tib.nacka');
    const errors = collectPageErrors(page);
    await page.locator('.incident', { hasText: title }).getByRole('button', { name: /Öppna/ }).click();
    await page.getByRole('tab', { name: /Ny lägesrapport/ }).click();
    const form = page.getByTestId('report-form');
    await form.getByLabel('Vad har hänt').fill('Min bild: E18 stängd vid Danderyd.');

    // Meanwhile a colleague of the same actor reports.
    const overtaking = report(incidentId, { happened: 'Kollegans bild: E18 öppen igen.', supersedes: null });
    expect((await colleague.command(overtaking)).status).toBe(200);

    await form.getByRole('button', { name: 'Skicka lägesrapport' }).click();
    await form.getByTestId('command-status').filter({ hasText: 'Avvisad' }).waitFor();
    await form.getByRole('button', { name: 'Välj version i utkorgen' }).click();
    const choice = page.getByTestId('stale-choice');
    await choice.waitFor();
    await expect(choice.textContent()).resolves.toContain('Kollegans bild: E18 öppen igen.');
    await expect(choice.textContent()).resolves.toContain('Min bild: E18 stängd vid Danderyd.');

    await choice.getByRole('button', { name: 'Skicka min ändå' }).click();
    await page.locator('[data-testid="outbox-item"][data-status="sent"]').waitFor();
    const reports = Object.values((await colleague.state()).state.reports)
      .filter((r) => r.incidentId === incidentId)
      .map((r) => r.happened);
    expect(reports.sort()).toEqual(['Kollegans bild: E18 öppen igen.', 'Min bild: E18 stängd vid Danderyd.']);
    expect(errors).toEqual([]);
  });
});
