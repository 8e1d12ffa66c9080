import { CSRF_HEADER, SessionProbe, envelope } from '@lagesbild/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, signIn, type ApiClient } from '../support/api-client';
import {
  collectPageErrors,
  launchChromium,
  openSignedIn,
  signInThroughUi,
  startBrowserHub,
  waitForConnection,
  waitForServiceWorker,
} from '../support/browser';
import { activate } from '../support/commands';
import { removeDataDir, type HubProcess } from '../support/hub-process';

// A duty officer writes while the network is gone, and meanwhile the session ends on the hub.
// When the network is back the page asks them to sign in again; it must neither lose what
// they wrote nor call it refused, and after they sign in again in the same browser each
// command reaches the hub's log exactly once.

let hub: HubProcess;
let browser: Browser;
let context: BrowserContext | undefined;
/** Another account with the right to read the region's log, to count what the hub holds. */
let lan: ApiClient;

beforeAll(async () => {
  hub = await startBrowserHub();
  browser = await launchChromium();
  lan = await signIn(hub.url, 'tib.lansstyrelsen');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.kill();
  if (hub) removeDataDir(hub);
});

/** One outbox item as the page keeps it in IndexedDB (client/src/outbox/outbox-storage.ts). */
type StoredItem = {
  id: string;
  type: string;
  status: string;
  unconfirmed: boolean;
  errorCode: string | null;
};

// Functions passed to `page.evaluate` run in the page but are type-checked here, without a DOM.
type IdbRequest<T> = {
  result: T;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  error: unknown;
};
type IdbGlobals = {
  indexedDB: {
    open(name: string): IdbRequest<{
      transaction(store: string): { objectStore(store: string): { getAll(): IdbRequest<unknown[]> } };
      close(): void;
    }>;
  };
};

/** What the page's outbox has kept, read from its storage: what survives a reload. */
async function storedOutbox(page: Page): Promise<StoredItem[]> {
  return page.evaluate(async () => {
    const { indexedDB } = globalThis as unknown as IdbGlobals;
    const done = <T>(request: IdbRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(String(request.error)));
      });
    const db = await done(indexedDB.open('lagesbild-outbox'));
    const rows = await done(db.transaction('commands').objectStore('commands').getAll());
    db.close();
    return rows.map((row) => {
      const item = row as {
        id: string;
        status: string;
        unconfirmed?: boolean;
        error: { code: string } | null;
        command: { type: string };
      };
      return {
        id: item.id,
        type: item.command.type,
        status: item.status,
        unconfirmed: item.unconfirmed ?? false,
        errorCode: item.error?.code ?? null,
      };
    });
  });
}

/**
 * Ends the browser's session on the hub, as its expiry does: the cookie the browser holds
 * no longer signs anyone in. Done from here, with that cookie, while the browser is offline.
 */
async function endBrowserSession(browserContext: BrowserContext): Promise<void> {
  const cookie = (await browserContext.cookies(hub.url)).find((c) => c.name === 'lagesbild_session');
  if (!cookie) throw new Error('the browser holds no session cookie');
  const headers = { cookie: `${cookie.name}=${cookie.value}` };
  const probe = envelope(SessionProbe).parse(
    await (await fetch(`${hub.url}/api/session`, { headers })).json(),
  );
  if (!probe.ok || 'signedIn' in probe.data) throw new Error('the browser’s session had already ended');
  const res = await fetch(`${hub.url}/api/session`, {
    method: 'DELETE',
    headers: { ...headers, [CSRF_HEADER]: probe.data.csrfToken },
  });
  expect(res.status, await res.text()).toBe(200);
  const after = envelope(SessionProbe).parse(
    await (await fetch(`${hub.url}/api/session`, { headers })).json(),
  );
  expect(after).toEqual({ ok: true, data: { signedIn: false } });
}

/** How many events in the hub's log each of these command ids produced. */
async function timesInLog(ids: readonly string[]): Promise<Record<string, number>> {
  const events = await allEvents(lan);
  return Object.fromEntries(ids.map((id) => [id, events.filter((e) => e.commandId === id).length]));
}

const describeItems = (items: StoredItem[]) => JSON.stringify(items, null, 1);

describe('a session that ends with commands queued', () => {
  it('keeps them queued while the page asks to sign in again, then sends each exactly once', async () => {
    const title = 'Översvämning i Sickla';
    const incident = activate({ title, summonedActorIds: ['lansstyrelsen'], nextConferenceAt: null });
    expect((await lan.command(incident)).body.ok).toBe(true);

    const opened = await openSignedIn(browser, hub.url, 'tib.nacka');
    context = opened.context;
    const { page } = opened;
    const errors = collectPageErrors(page);

    // The app has been open long enough to be stored for offline use: the incident's views,
    // which load on first use, then open without a network too.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await waitForConnection(page, 'offline');

    // A line in the general log…
    const logText = 'Pumpar på väg från Räddningstjänsten Storstockholm';
    const generalLog = page.getByRole('region', { name: 'Allmän logg' });
    await generalLog.getByLabel('Ny loggpost').fill(logText);
    await generalLog.getByRole('button', { name: 'Lägg till i loggen' }).click();
    await generalLog.getByTestId('command-status').filter({ hasText: 'Köad' }).waitFor();
    // …and a situation report on the incident.
    const happened = 'Källare vattenfyllda längs Sickla kanal';
    await page.locator('.incident', { hasText: title }).getByRole('button', { name: /Öppna/ }).click();
    await page.getByRole('tab', { name: /Ny lägesrapport/ }).click();
    const form = page.getByTestId('report-form');
    await form.getByLabel('Vad har hänt').fill(happened);
    await form.getByRole('button', { name: 'Skicka lägesrapport' }).click();
    await form.getByTestId('command-status').filter({ hasText: 'Köad' }).waitFor();

    const queued = await storedOutbox(page);
    expect(queued.map((i) => [i.type, i.status]).sort()).toEqual([
      ['logEntry.add', 'queued'],
      ['report.submit', 'queued'],
    ]);
    const ids = queued.map((i) => i.id);
    expect(await timesInLog(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 0])));

    // The session ends on the hub while the browser cannot hear of it.
    await endBrowserSession(context);

    // The network is back: the page learns the session is gone and asks to sign in again.
    await context.setOffline(false);
    await page.getByText('Din inloggning har gått ut. Logga in igen.').waitFor({ timeout: 30_000 });
    // Nothing was lost, nothing was called refused, and nothing reached the log.
    const kept = await storedOutbox(page);
    expect(
      kept.map((i) => i.id).sort(),
      `the outbox after the session ended: ${describeItems(kept)}`,
    ).toEqual([...ids].sort());
    for (const item of kept) {
      expect(['queued', 'sending'], `${item.type} ${item.id}: ${describeItems(kept)}`).toContain(item.status);
    }
    expect(await timesInLog(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 0])));

    // The same person signs in again in the same browser: the outbox sends what it kept.
    await signInThroughUi(page, 'tib.nacka');
    await page.getByTestId('outbox-button').click();
    const outbox = page.getByTestId('outbox');
    await outbox
      .locator('[data-testid="outbox-item"][data-status="sent"]')
      .nth(1)
      .waitFor({ timeout: 20_000 });
    const sent = await storedOutbox(page);
    expect(
      sent.map((i) => [i.id, i.status]).sort(),
      `the outbox after signing in again: ${describeItems(sent)}`,
    ).toEqual(ids.map((id) => [id, 'sent']).sort());
    await expect(outbox.locator('[data-status="failed"]').count()).resolves.toBe(0);

    // A reload on top sends nothing again.
    await page.reload();
    await waitForConnection(page, 'online');
    expect(await timesInLog(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    const { state } = await lan.state();
    expect(Object.values(state.logEntries).filter((e) => e.text === logText)).toHaveLength(1);
    expect(
      Object.values(state.reports).filter(
        (r) => r.incidentId === incident.payload.incidentId && r.happened === happened,
      ),
    ).toHaveLength(1);
    // The browser's own reports of the network being gone are expected; nothing else is.
    expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});
