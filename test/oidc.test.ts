import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthMethods, SESSION_COOKIE, SessionInfo, envelope } from '@lagesbild/shared';
import { signIn } from './support/api-client.js';
import { activate, logEntry } from './support/commands.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { freePort } from './support/ports.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

/**
 * Sign-in through a real OpenID provider (oidc-provider) started here, driven like a
 * browser: redirects followed by hand, cookies kept per site, the provider's login and
 * consent forms submitted.
 */

type Claims = {
  name?: string;
  preferred_username?: string;
  lagesbild_actor?: string;
  lagesbild_functions?: string[];
};

/** The provider's people: the login name is the subject; the test changes claims between sign-ins. */
const people = new Map<string, Claims>([
  [
    'anna',
    {
      name: 'Anna Berg',
      preferred_username: 'anna.berg',
      lagesbild_actor: 'nacka',
      lagesbild_functions: ['dutyOfficer'],
    },
  ],
  ['bertil', { name: 'Bertil', lagesbild_actor: 'atlantis', lagesbild_functions: ['dutyOfficer'] }],
  ['cecilia', { name: 'Cecilia', lagesbild_actor: 'nacka' }],
  ['david', { name: 'David', lagesbild_actor: 'nacka', lagesbild_functions: ['dutyOfficer', 'wizard'] }],
  // Claims the username of a local account, to take it over.
  [
    'mallory',
    {
      name: 'Mallory',
      preferred_username: 'tib.lansstyrelsen',
      lagesbild_actor: 'solna',
      lagesbild_functions: ['viewer'],
    },
  ],
]);

const CLIENT_ID = 'lagesbild-hub';
const CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough';

/** A cookie jar per origin that honours Path and deletion; enough for the provider and the hub. */
class Browser {
  private readonly jars = new Map<string, Map<string, { value: string; path: string }>>();

  /** Hubs behind one load balancer share the browser's cookies; the test has them on two ports. */
  copyCookies(from: string, to: string): void {
    this.jars.set(new URL(to).origin, new Map(this.jars.get(new URL(from).origin)));
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name)?.value;
  }

  async fetch(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const jar = this.jars.get(url.origin) ?? new Map<string, { value: string; path: string }>();
    this.jars.set(url.origin, jar);
    const cookie = [...jar]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, { value, path });
    }
    return res;
  }
}

/** Submits the first form of an HTML page, filling in the login form's fields if it has them. */
async function submitForm(browser: Browser, page: URL, html: string, login: string): Promise<Response> {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form?.[1]) throw new Error(`no form on ${page.href}:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const [tag] of (form[2] ?? '').matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (name) fields[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  if ('login' in fields) Object.assign(fields, { login, password: 'whatever the provider checks' });
  return browser.fetch(new URL(form[1].replace(/&amp;/g, '&'), page), { method: 'POST', form: fields });
}

describe('sign-in with the region identity provider (OpenID Connect)', () => {
  let provider: Server;
  let issuer: string;
  let hub: HubProcess;
  /** Two hubs sharing Redis, for a sign-in started on one and finished on the other. */
  let redis: RedisServer;
  let hubA: HubProcess;
  let hubB: HubProcess;

  beforeAll(async () => {
    const [providerPort, hubPort, hubAPort] = await Promise.all([freePort(), freePort(), freePort()]);
    issuer = `http://127.0.0.1:${providerPort}`;
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    // Behind a load balancer both hubs have one public address; here hub A's stands for it.
    const sharedUrl = `http://127.0.0.1:${hubAPort}`;
    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [`${hubUrl}/api/oidc/callback`, `${sharedUrl}/api/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      // PKCE for every client, confidential ones included.
      pkce: { required: () => true },
      claims: {
        openid: ['sub'],
        profile: ['name', 'preferred_username', 'lagesbild_actor', 'lagesbild_functions'],
      },
      findAccount: (_ctx, sub) => ({
        accountId: sub,
        claims: () => ({ sub, ...(people.get(sub) ?? {}) }),
      }),
      cookies: { keys: ['test-cookie-signing-key'] },
      ttl: {
        Interaction: 600,
        Session: 600,
        Grant: 600,
        AccessToken: 600,
        IdToken: 600,
        AuthorizationCode: 60,
      },
    });
    oidc.on('server_error', (_ctx: unknown, error: Error) => console.error('provider error', error));
    provider = createServer(oidc.callback());
    await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', resolve));

    const oidcEnv = {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_SCOPES: 'openid profile',
    };
    redis = await startRedis();
    const shared = { ...oidcEnv, REDIS_URL: redis.url, PUBLIC_URL: sharedUrl };
    [hub, hubA, hubB] = await Promise.all([
      startHub({ port: hubPort, env: { ...oidcEnv, PUBLIC_URL: hubUrl } }),
      startHub({ port: hubAPort, env: { ...shared, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...shared, HUB_ID: 'hub-b' } }),
    ]);
  });
  afterAll(async () => {
    for (const h of [hub, hubA, hubB]) {
      await h?.kill();
      if (h) removeDataDir(h);
    }
    await redis?.stop();
    await new Promise((resolve) => provider?.close(resolve));
  });

  /**
   * Starts a sign-in at the hub and goes through the provider as `login`. Returns the
   * redirect back to the hub without following it, so a test can tamper with it.
   */
  async function throughProvider(browser: Browser, login: string, hubUrl = hub.url) {
    let res = await browser.fetch(new URL('/api/oidc/login', hubUrl));
    const authorization = new URL(res.headers.get('location') ?? '');
    let at = new URL(hubUrl);
    for (let step = 0; step < 20; step++) {
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        at = new URL(location, at);
        if (at.href.startsWith(`${hubUrl}/api/oidc/callback`)) return { authorization, callback: at };
        res = await browser.fetch(at);
      } else if (res.status === 200) {
        res = await submitForm(browser, at, await res.text(), login);
      } else {
        throw new Error(`unexpected ${res.status} at ${at.href}: ${(await res.text()).slice(0, 300)}`);
      }
    }
    throw new Error('the sign-in did not come back to the hub');
  }

  /** Follows the provider's redirect into the hub; returns where the hub sends the browser. */
  async function backAtHub(browser: Browser, callback: URL) {
    const res = await browser.fetch(callback);
    expect(res.status).toBe(303);
    return {
      location: res.headers.get('location'),
      session: browser.cookie(callback.origin, SESSION_COOKIE),
    };
  }

  const session = async (cookieValue: string, hubUrl = hub.url) => {
    const res = await fetch(`${hubUrl}/api/session`, {
      headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` },
    });
    const body = envelope(SessionInfo).parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    return body.data;
  };

  it('tells the sign-in page that the provider is available', async () => {
    const res = await fetch(`${hub.url}/api/auth/methods`);
    expect(envelope(AuthMethods).parse(await res.json())).toEqual({
      ok: true,
      data: { password: true, oidc: true },
    });
  });

  it('signs a person in with PKCE, state and nonce, and maps the claims to actor and functions', async () => {
    const browser = new Browser();
    const { authorization, callback } = await throughProvider(browser, 'anna');
    expect(authorization.origin).toBe(issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(callback.searchParams.get('code')).toBeTruthy();

    const back = await backAtHub(browser, callback);
    expect(back.location).toBe('/');
    if (!back.session) throw new Error('no session cookie');
    const info = await session(back.session);
    expect(info).toMatchObject({
      user: { username: 'anna.berg', name: 'Anna Berg' },
      actorId: 'nacka',
      functionIds: ['dutyOfficer'],
    });

    // The same session on the socket, with the rights of the mapped function and actor.
    const socket = new FoldingClient(hub.url, `${SESSION_COOKIE}=${back.session}`);
    await socket.connected();
    expect((await socket.send(logEntry('Signed in through the region IdP'))).ok).toBe(true);
    expect(await socket.send(activate())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    socket.close();
  });

  it('updates actor and functions from the provider at the next sign-in (hand-over)', async () => {
    const browser = new Browser();
    const before = await session(
      (await backAtHub(browser, (await throughProvider(browser, 'anna')).callback)).session ?? '',
    );

    people.set('anna', {
      ...people.get('anna'),
      lagesbild_actor: 'lansstyrelsen',
      lagesbild_functions: ['coordinator', 'communicator'],
    });
    const again = new Browser();
    const after = await session(
      (await backAtHub(again, (await throughProvider(again, 'anna')).callback)).session ?? '',
    );
    expect(after.user.id).toBe(before.user.id);
    expect(after).toMatchObject({ actorId: 'lansstyrelsen', functionIds: ['coordinator', 'communicator'] });
  });

  it('refuses an answer whose state does not match, and a code used twice', async () => {
    const browser = new Browser();
    const { callback } = await throughProvider(browser, 'anna');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    expect(await backAtHub(browser, forged)).toEqual({
      location: '/?signin_error=state_mismatch',
      session: undefined,
    });
    // The sign-in is spent: the genuine answer cannot be replayed after it.
    expect(await backAtHub(browser, callback)).toEqual({
      location: '/?signin_error=expired',
      session: undefined,
    });
  });

  it('refuses an answer brought to another browser than the one that started the sign-in', async () => {
    const { callback } = await throughProvider(new Browser(), 'anna');
    expect(await backAtHub(new Browser(), callback)).toEqual({
      location: '/?signin_error=expired',
      session: undefined,
    });
  });

  it.each([
    ['an actor that is not in the region', 'bertil', 'unknown_actor'],
    ['no functions claim', 'cecilia', 'missing_claims'],
    ['a function the region does not define', 'david', 'unknown_function'],
  ])('refuses a person with %s', async (_case, login, error) => {
    const browser = new Browser();
    const back = await backAtHub(browser, (await throughProvider(browser, login)).callback);
    expect(back).toEqual({ location: `/?signin_error=${error}`, session: undefined });
  });

  it('never lets a claimed username take over a local account', async () => {
    const browser = new Browser();
    const back = await backAtHub(browser, (await throughProvider(browser, 'mallory')).callback);
    const info = await session(back.session ?? '');
    expect(info.user.id).not.toBe('dutyOfficer.lansstyrelsen');
    expect(info.user.username).not.toBe('tib.lansstyrelsen');
    expect(info).toMatchObject({ actorId: 'solna', functionIds: ['viewer'] });
    // The local account is untouched and still signs in with its password.
    const local = await signIn(hub.url, 'tib.lansstyrelsen');
    expect(local.session).toMatchObject({ actorId: 'lansstyrelsen', functionIds: ['dutyOfficer'] });
  });

  it('finishes on another hub than the one that started it, when the hubs share Redis', async () => {
    const browser = new Browser();
    const { callback } = await throughProvider(browser, 'anna', hubA.url);
    // The load balancer sends the provider's redirect to hub B, with the browser's cookies.
    const atB = new URL(callback.pathname + callback.search, hubB.url);
    browser.copyCookies(hubA.url, hubB.url);
    const back = await backAtHub(browser, atB);
    expect(back.location).toBe('/');
    // The session and the account are known to both hubs.
    for (const url of [hubA.url, hubB.url]) {
      expect(await session(back.session ?? '', url)).toMatchObject({ user: { username: 'anna.berg' } });
    }
  });
});
