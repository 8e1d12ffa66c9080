import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, LIMITS, SESSION_COOKIE } from '@lagesbild/shared';
import { signIn, type ApiClient } from '../support/api-client.js';
import { logEntry } from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { FoldingClient } from '../support/socket-client.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN, connectPolling, connectWebSocket } from './support.js';

const TRANSPORTS = [
  ['polling', connectPolling],
  ['websocket', connectWebSocket],
] as const;

describe('the edge of a hub', () => {
  let hub: HubProcess;
  /** PUBLIC_URL on https and sessions that live two seconds. */
  let httpsHub: HubProcess;
  let lead: ApiClient;

  beforeAll(async () => {
    [hub, httpsHub] = await Promise.all([
      startHub({ env: { ALLOWED_ORIGINS: ALLOWED_ORIGIN } }),
      startHub({ env: { PUBLIC_URL: 'https://lagesbild.example', SESSION_TTL_HOURS: String(2 / 3600) } }),
    ]);
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
  });
  afterAll(async () => {
    for (const h of [hub, httpsHub]) {
      await h.kill();
      removeDataDir(h);
    }
  });

  describe('refuses a socket without a live session', () => {
    const forged = `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}`;
    it.each([
      ['no cookie', undefined],
      ['a forged session', forged],
      ['an oversized cookie', `${SESSION_COOKIE}=${'a'.repeat(5000)}`],
    ])('with %s, on both transports', async (_name, cookie) => {
      for (const [, connect] of TRANSPORTS) {
        const outcome = await connect(hub.url, { cookie });
        expect(outcome.accepted).toBe(false);
        if (!outcome.accepted) expect(outcome.body).toContain('unauthenticated');
      }
    });

    it('once the session has expired, on both transports and over HTTP', async () => {
      const shortLived = await signIn(httpsHub.url, 'tib.nacka');
      for (const [, connect] of TRANSPORTS) {
        expect((await connect(httpsHub.url, { cookie: shortLived.cookie })).accepted).toBe(true);
      }
      await expect.poll(async () => shortLived.signedIn(), { timeout: 10_000, interval: 250 }).toBe(false);
      for (const [, connect] of TRANSPORTS) {
        const outcome = await connect(httpsHub.url, { cookie: shortLived.cookie });
        expect(outcome.accepted).toBe(false);
        if (!outcome.accepted) expect(outcome.body).toContain('unauthenticated');
      }
    });
  });

  it.each(TRANSPORTS)(
    'refuses a foreign Origin with a valid cookie over %s (cross-site websocket hijacking)',
    async (_transport, connect) => {
      const refused = await connect(hub.url, { cookie: lead.cookie, origin: FOREIGN_ORIGIN });
      // Polling answers 403; engine.io aborts a websocket upgrade with 400. Either way: refused.
      expect(refused).toMatchObject({ accepted: false, allowOrigin: null });
      if (!refused.accepted) {
        expect([400, 403]).toContain(refused.status);
        expect(refused.body).toContain('origin not allowed');
      }
      // The same cookie from an allowed page, and from a non-browser client, is accepted.
      const allowed = await connect(hub.url, { cookie: lead.cookie, origin: ALLOWED_ORIGIN });
      expect(allowed).toMatchObject({
        accepted: true,
        hello: ['sync.hello', { viewer: { actorId: 'lansstyrelsen' } }],
      });
      expect((await connect(hub.url, { cookie: lead.cookie })).accepted).toBe(true);
    },
  );

  it('offers password sign-in only while no identity provider is configured', async () => {
    expect(await (await fetch(`${hub.url}/api/auth/methods`)).json()).toEqual({
      ok: true,
      data: { password: true, oidc: false },
    });
    const login = await fetch(`${hub.url}/api/oidc/login`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/?signin_error=oidc_unavailable');
  });

  describe('CSRF', () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${hub.url}/api/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: lead.cookie, ...headers },
        body: JSON.stringify(logEntry('Written by a hostile page')),
      });

    it('refuses a cross-origin POST with the cookie but without the token', async () => {
      const res = await post({ origin: FOREIGN_ORIGIN });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a cross-origin POST even with a stolen token, and a same-origin POST without it', async () => {
      expect((await post({ origin: FOREIGN_ORIGIN, [CSRF_HEADER]: lead.session.csrfToken })).status).toBe(
        403,
      );
      expect((await post({})).status).toBe(403);
      expect((await post({ [CSRF_HEADER]: 'guessed' })).status).toBe(403);
    });

    it('accepts the POST with the token from an allowed page', async () => {
      const res = await post({ origin: ALLOWED_ORIGIN, [CSRF_HEADER]: lead.session.csrfToken });
      expect(res.status).toBe(200);
    });

    it('accepts only the exact origin of the hub: not the same host on another scheme or port', async () => {
      const signInFrom = (origin: string) =>
        fetch(`${hub.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({ username: 'tib.nacka', password: 'lagesbild-demo' }),
        });
      const own = new URL(hub.url);
      const otherScheme = new URL(hub.url);
      otherScheme.protocol = 'https:';
      const otherPort = new URL(hub.url);
      otherPort.port = String(Number(own.port) + 1);
      for (const foreign of [otherScheme.origin, otherPort.origin]) {
        const res = await signInFrom(foreign);
        expect(res.status, foreign).toBe(403);
        expect(res.headers.get('set-cookie')).toBeNull();
        for (const [, connect] of TRANSPORTS) {
          const socket = await connect(hub.url, { cookie: lead.cookie, origin: foreign });
          expect(socket.accepted, foreign).toBe(false);
        }
      }
      expect((await signInFrom(own.origin)).status).toBe(200);
      expect((await connectPolling(hub.url, { cookie: lead.cookie, origin: own.origin })).accepted).toBe(
        true,
      );
    });

    it('refuses a cross-origin sign-in (login CSRF) and sign-out', async () => {
      const signInFromEvil = await fetch(`${hub.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: FOREIGN_ORIGIN },
        body: JSON.stringify({ username: 'tib.nacka', password: 'lagesbild-demo' }),
      });
      expect(signInFromEvil.status).toBe(403);
      expect(signInFromEvil.headers.get('set-cookie')).toBeNull();
      const signOut = await fetch(`${hub.url}/api/session`, {
        method: 'DELETE',
        headers: { cookie: lead.cookie, origin: FOREIGN_ORIGIN },
      });
      expect(signOut.status).toBe(403);
      expect((await lead.raw('/api/session')).status).toBe(200);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string, path = '/api/commands') =>
      fetch(`${hub.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': `content-type, ${CSRF_HEADER}`,
        },
      });

    it('gives a foreign origin no allow header, on the API and the socket path', async () => {
      for (const path of ['/api/commands', '/api/session', '/socket.io/?EIO=4&transport=polling']) {
        const res = await preflight(FOREIGN_ORIGIN, path);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
      expect((await preflight(FOREIGN_ORIGIN)).headers.get('access-control-allow-credentials')).toBeNull();
      const read = await fetch(`${hub.url}/api/state`, {
        headers: { cookie: lead.cookie, origin: FOREIGN_ORIGIN },
      });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('echoes exactly an allowed origin, never a wildcard', async () => {
      const res = await preflight(ALLOWED_ORIGIN);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-headers')).toContain(CSRF_HEADER);
      expect(res.headers.get('vary')).toContain('Origin');
      // An origin that merely contains or extends an allowed one is foreign.
      for (const near of [`${ALLOWED_ORIGIN}.evil.example`, 'https://evilops.example', 'null']) {
        expect((await preflight(near)).headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });

  describe('payload limits', () => {
    const oversize = () => logEntry('x'.repeat(LIMITS.maxCommandBytes + 1000));

    it('refuses an oversize command over HTTP with a clear error', async () => {
      const res = await lead.raw('/api/commands', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(oversize()),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    });

    it('drops a socket that sends an oversize frame, and keeps serving everybody else', async () => {
      const sender = new FoldingClient(hub.url, lead.cookie);
      await sender.connected();
      const closed = new Promise<string>((resolve) => sender.socket.once('disconnect', resolve));
      sender.socket.emit('command.send', oversize(), () => undefined);
      expect(await closed).toMatch(/transport (close|error)/);
      sender.close();

      const other = new FoldingClient(hub.url, lead.cookie);
      await other.connected();
      expect((await other.send(logEntry('After the oversize frame'))).ok).toBe(true);
      other.close();
    });

    it('refuses an oversize string field with a clear error', async () => {
      const res = await lead.command(logEntry('y'.repeat(LIMITS.maxTextLength + 1)));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    });
  });

  describe('security headers', () => {
    const csp = (res: Response) =>
      new Map(
        (res.headers.get('content-security-policy') ?? '')
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name = '', ...sources]) => [name, sources] as const),
      );

    it('are set on the page and the API', async () => {
      for (const path of ['/', '/api/session', '/healthz']) {
        const res = await fetch(`${hub.url}${path}`);
        const policy = csp(res);
        expect(policy.get('default-src')).toEqual(["'self'"]);
        expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
        expect(policy.get('object-src')).toEqual(["'none'"]);
        // connect-src: the hub itself only; the extra allowed origin is a page, not a place to send data.
        for (const source of policy.get('connect-src') ?? []) {
          expect(source === "'self'" || /^(http|ws):\/\/localhost:\d+$/.test(source)).toBe(true);
        }
        expect(policy.get('connect-src')?.join(' ')).not.toContain(ALLOWED_ORIGIN.slice(8));
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-powered-by')).toBeNull();
        // Plain http (development): no HSTS, which would lock a browser out of localhost.
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    });

    it('include HSTS and upgrade-insecure-requests when the hub is on https', async () => {
      const res = await fetch(`${httpsHub.url}/`);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      const policy = csp(res);
      expect(policy.has('upgrade-insecure-requests')).toBe(true);
      expect(policy.get('connect-src')).toEqual([
        "'self'",
        'https://lagesbild.example',
        'wss://lagesbild.example',
      ]);
    });

    it('mark the session cookie httpOnly, SameSite and Secure on https', async () => {
      const res = await fetch(`${httpsHub.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'tib.nacka', password: 'lagesbild-demo' }),
      });
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Secure/i);
    });
  });
});
