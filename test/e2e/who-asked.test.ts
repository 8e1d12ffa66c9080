import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccount } from '@lagesbild/shared';
import { buildRequestCommand } from '@lagesbild/shared/test-factories';
import { call } from '../support/admin';
import { signIn, type ApiClient } from '../support/api-client';
import {
  axeViolations,
  collectPageErrors,
  launchChromium,
  openSignedIn,
  startBrowserHub,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A duty officer's first five minutes: who asked for joint handling and how to call them
// back, and, once activated, how to reach the duty officers who have not acknowledged.

let hub: HubProcess;
let browser: Browser;
let lan: ApiClient;
let solna: ApiClient;
/** The demo duty officers' numbers, by actor, as the admin API lists them. */
const phones = new Map<string, string>();
const pages: Page[] = [];

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
  solna = await signIn(hub.url, 'tib.solna');
  const admin = await signIn(hub.url, 'admin.lansstyrelsen');
  const accounts = AdminAccount.array().parse((await call(admin, 'GET', '/api/admin/accounts')).body.data);
  for (const a of accounts) {
    if (a.functionIds.includes('dutyOfficer') && a.phone) phones.set(a.actorId, a.phone);
  }
});

afterAll(async () => {
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

async function open(username: string) {
  const opened = await openSignedIn(browser, hub.url, username);
  pages.push(opened.page);
  return opened;
}

describe('who asked, and how to reach people', () => {
  it('gives every demo duty officer a number from the range kept for fiction', () => {
    expect(phones.size).toBeGreaterThan(30);
    for (const phone of phones.values()) expect(phone).toMatch(/^\+4670174060[5-9]$|^\+467017406[1-9]\d$/);
  });

  it('shows the decider who asked, with a number to call, and counts the request in the header', async () => {
    const decider = await open('tib.lansstyrelsen');
    const errors = collectPageErrors(decider.page);
    const request = buildRequestCommand({
      commandId: randomUUID(),
      incidentId: randomUUID(),
      title: 'Skyfall i Solna',
      reason: 'Källare översvämmas i Hagalund',
    });
    expect((await solna.command(request)).body.ok).toBe(true);

    await decider.page
      .getByTestId('pending-requests')
      .filter({ hasText: '1 begäran om samverkan väntar' })
      .waitFor();
    const card = decider.page.locator('.incident', { hasText: 'Skyfall i Solna' });
    const requestedBy = card.getByTestId('requested-by');
    await expect(requestedBy.textContent()).resolves.toContain(
      'TiB Solna, Tjänsteman i beredskap, Solna stad',
    );
    const phone = card.getByTestId('requester-phone');
    await phone.waitFor();
    const solnaPhone = phones.get('solna') ?? '';
    await expect(phone.getAttribute('href')).resolves.toBe(`tel:${solnaPhone}`);
    // Written as Swedes write it; every demo number starts 070-174 06.
    await expect(phone.textContent()).resolves.toContain(`070-174 06 ${solnaPhone.slice(10)}`);
    expect(await axeViolations(decider.page), 'dashboard with a request card').toEqual([]);

    // Another duty officer sees who asked, but not the number: the hub does not send it.
    const other = await open('tib.nacka');
    const otherCard = other.page.locator('.incident', { hasText: 'Skyfall i Solna' });
    await expect(otherCard.getByTestId('requested-by').textContent()).resolves.toContain('TiB Solna');
    await expect(otherCard.getByTestId('requester-phone').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it("links each summoned actor's duty officer to a phone call, and nothing for those not summoned", async () => {
    const command = activate({
      title: 'Storm Ylva',
      summonedActorIds: ['nacka', 'solna'],
      nextConferenceAt: null,
    });
    expect((await lan.command(command)).body.ok).toBe(true);

    const summoned = await open('tib.nacka');
    const errors = collectPageErrors(summoned.page);
    await summoned.page
      .locator('.incident', { hasText: 'Storm Ylva' })
      .getByRole('button', { name: /Öppna/ })
      .click();
    await summoned.page.getByRole('tab', { name: /Kvittenser/ }).click();
    const solnaRow = summoned.page.locator('[data-testid="ack-matrix"] tr[data-actor-id="solna"]');
    const call = solnaRow.getByRole('link', { name: /Ring TiB Solna, Solna stad/ });
    await call.waitFor();
    await expect(call.getAttribute('href')).resolves.toBe(`tel:${phones.get('solna')}`);
    const lanRow = summoned.page.locator('[data-testid="ack-matrix"] tr[data-actor-id="lansstyrelsen"]');
    await expect(lanRow.getByRole('link').getAttribute('href')).resolves.toBe(
      `tel:${phones.get('lansstyrelsen')}`,
    );
    expect(await axeViolations(summoned.page), 'acknowledgement matrix with phone links').toEqual([]);

    const outsider = await open('tib.polisen');
    await outsider.page
      .locator('.incident', { hasText: 'Storm Ylva' })
      .getByRole('button', { name: /Öppna/ })
      .click();
    await outsider.page.getByRole('tab', { name: /Kvittenser/ }).click();
    await outsider.page.getByTestId('ack-matrix').waitFor();
    await expect(outsider.page.locator('a[href^="tel:"]').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
