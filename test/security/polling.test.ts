import { createServer, request, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from '../support/api-client.js';
import { activate, logEntry } from '../support/commands.js';
import {
  collectPageErrors,
  launchChromium,
  openApp,
  signInThroughUi,
  startBrowserHub,
} from '../support/browser.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { freePort } from '../support/ports.js';
import { FoldingClient } from '../support/socket-client.js';

/** Longer than the hub's ping interval (10 s) twice over: engine.io writes to every open poll by then. */
const WATCH_MS = 30_000;

/** Polls `/healthz` every half second for `ms`; resolves with the statuses it got (0 when unanswered). */
async function watchHealth(url: string, ms: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.status)
      .catch(() => 0);
    statuses.push(status);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return statuses;
}

// Some municipal networks block websockets, and their browsers fall back to long-polling:
// that transport must be served by socket.io alone, and must never take the hub down.
describe('socket.io long-polling', () => {
  let hub: HubProcess;
  let lead: ApiClient;

  beforeAll(async () => {
    hub = await startHub();
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
  });
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  it(
    'keeps the hub alive after an unauthenticated open and long-poll, and a signed-in polling client works end to end',
    async () => {
      // The raw probe: open an engine.io session with no cookie and no Origin, then send the
      // long-poll GET with its sid. Only engine.io may answer it.
      const base = `${hub.url}/socket.io/?EIO=4&transport=polling`;
      const open = await fetch(base);
      expect(open.status).toBe(200);
      const sid = (JSON.parse((await open.text()).slice(1)) as { sid: string }).sid;
      const pollController = new AbortController();
      const longPoll = fetch(`${base}&sid=${encodeURIComponent(sid)}`, { signal: pollController.signal })
        .then(async (res) => ({ status: res.status, body: await res.text() }))
        .catch(() => ({ status: 0, body: '' }));

      // From the probe on, the hub must answer its health check every time for 30 s.
      const health = watchHealth(hub.url, WATCH_MS);

      // A signed-in duty officer on polling only: greeting, catch-up, commands and live events.
      const officer = await signIn(hub.url, 'tib.nacka');
      const earlier = await lead.command(logEntry('Före anslutningen'));
      expect(earlier.body.ok).toBe(true);
      const client = new FoldingClient(hub.url, officer.cookie, { transport: 'polling' });
      try {
        await client.connected();
        expect(client.socket.io.engine.transport.name).toBe('polling');
        if (earlier.body.ok) await client.waitForSeq(earlier.body.data.seq);
        expect(Object.values(client.state.logEntries).map((e) => e.text)).toContain('Före anslutningen');

        const ack = await client.send(logEntry('Skickat över long-polling'));
        expect(ack.ok).toBe(true);

        const activation = await lead.command(activate({ title: 'Ström borta i Nacka' }));
        expect(activation.body.ok).toBe(true);
        if (activation.body.ok) await client.waitForSeq(activation.body.data.seq);
        expect(Object.values(client.state.incidents).map((i) => i.title)).toContain('Ström borta i Nacka');

        // The first long-poll is answered by engine.io (a ping or a close), never by Express's 404.
        const answered = await longPoll;
        expect(answered.body).not.toContain('Cannot GET');

        const statuses = await health;
        expect(statuses.every((status) => status === 200)).toBe(true);
        expect(hub.child.exitCode).toBeNull();
        expect(client.socket.connected).toBe(true);
        const late = await client.send(logEntry('Fortfarande ansluten'));
        expect(late.ok).toBe(true);
      } finally {
        pollController.abort();
        client.close();
      }
    },
    WATCH_MS + 30_000,
  );
});

/**
 * A reverse proxy like a corporate one that blocks websockets: plain HTTP passes to the
 * hub, every upgrade request gets 403.
 */
async function startWebsocketBlockingProxy(port: number, hubUrl: string): Promise<Server> {
  const target = new URL(hubUrl);
  const server = createServer((req, res) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (_req, socket: Duplex) => {
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

// The real app in Chromium behind a proxy that refuses websockets: it must fall back to
// long-polling and work as usual, and the hub must stay up.
describe('the app when websockets are blocked', () => {
  let hub: HubProcess;
  let proxy: Server;
  let proxyUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    const proxyPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    // The page is opened through the proxy, so that is the address users open.
    hub = await startBrowserHub({ env: { PUBLIC_URL: proxyUrl } });
    proxy = await startWebsocketBlockingProxy(proxyPort, hub.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    proxy?.closeAllConnections();
    proxy?.close();
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  it('receives an activation and acknowledges it over long-polling', async () => {
    const { context, page } = await openApp(browser, proxyUrl);
    const polls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('transport=polling')) polls.push(req.url());
    });
    await signInThroughUi(page, 'tib.nacka');
    expect(polls.length).toBeGreaterThan(0);
    const errors = collectPageErrors(page);

    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const command = activate({ title: 'Vattenläcka i Nacka', nextConferenceAt: null });
    expect((await lead.command(command)).body.ok).toBe(true);
    const banner = page.getByTestId('activation-banner');
    await banner.waitFor({ timeout: 5_000 });
    await banner.getByRole('button', { name: 'Kvittera' }).click();
    await expect
      .poll(
        async () => (await lead.state()).state.incidents[command.payload.incidentId]?.acknowledgements.nacka,
      )
      .toBeDefined();
    expect(hub.child.exitCode).toBeNull();
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    // The browser reports each refused websocket attempt; nothing else may fail.
    expect(errors.filter((e) => !/WebSocket/i.test(e))).toEqual([]);
    await context.close();
  });
});
