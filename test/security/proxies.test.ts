import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { startLoadBalancer, type LoadBalancer } from '../support/nginx.js';
import { DEFAULT_LIMITS, Tally, connectPolling } from './support.js';

/** A sign-in with a wrong password that claims to come from `forwardedFor`. */
const claimSignIn = (hub: HubProcess, forwardedFor: string, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, ...headers },
    body: JSON.stringify({ username: `guess.${forwardedFor}`, password: 'wrong password' }),
  });

describe('X-Forwarded-For and trusted proxies', () => {
  /** No TRUSTED_PROXIES: the default. */
  let direct: HubProcess;
  /** Behind "nginx" on loopback: TRUSTED_PROXIES=127.0.0.1. */
  let proxied: HubProcess;

  beforeAll(async () => {
    const limits = { ...DEFAULT_LIMITS, RATE_SIGNINS_PER_IP_PER_MIN: '5' };
    [direct, proxied] = await Promise.all([
      startHub({ env: limits }),
      startHub({ env: { ...limits, TRUSTED_PROXIES: '127.0.0.1' } }),
    ]);
  });
  afterAll(async () => {
    for (const hub of [direct, proxied]) {
      await hub.kill();
      removeDataDir(hub);
    }
  });

  it('are ignored by default, even from loopback, so a client cannot escape the per-address limit', async () => {
    const statuses = new Tally();
    for (let i = 0; i < 7; i++) statuses.add((await claimSignIn(direct, `198.51.100.${i + 1}`)).status);
    expect(statuses.toJSON()).toEqual({ 401: 5, 429: 2 });
  });

  it('are believed from a configured proxy, whose clients each get their own limit', async () => {
    const statuses = new Tally();
    for (let i = 0; i < 7; i++) statuses.add((await claimSignIn(proxied, `198.51.100.${i + 1}`)).status);
    expect(statuses.toJSON()).toEqual({ 401: 7 });
  });

  it('refuses a forwarded hop that is not an IP address with 400 and a clear error, and keeps serving', async () => {
    for (const hop of ['unknown', '198.51.100.9:4711', '<script>', '198.51.100.9, nonsense']) {
      const res = await claimSignIn(proxied, hop);
      expect(res.status, hop).toBe(400);
      expect(await res.json()).toMatchObject({
        ok: false,
        error: { code: 'bad_request', message: expect.stringContaining('not an IP address') },
      });
    }
    const socket = await connectPolling(proxied.url, { forwardedFor: 'unknown' });
    expect(socket).toMatchObject({ accepted: false, body: expect.stringContaining('not an IP address') });
    expect((await fetch(`${proxied.url}/healthz`)).status).toBe(200);
    expect((await claimSignIn(proxied, '198.51.100.50')).status).toBe(401);
    // From a peer it does not trust, the hub never reads the header at all.
    expect((await claimSignIn(direct, 'unknown')).status).not.toBe(400);
  });

  it('take the scheme from a trusted proxy only when comparing Origin', async () => {
    const sameHostOverTls = new URL(proxied.url);
    sameHostOverTls.protocol = 'https:';
    const origin = sameHostOverTls.origin;
    const signIn = (hub: HubProcess, headers: Record<string, string>) =>
      fetch(`${hub.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, ...headers },
        body: JSON.stringify({ username: 'tib.nacka', password: 'lagesbild-demo' }),
      });
    // nginx with TLS says the browser used https: the page's https origin is the hub's own.
    expect((await signIn(proxied, { 'x-forwarded-proto': 'https' })).status).toBe(200);
    expect((await signIn(proxied, {})).status).toBe(403);
    expect((await signIn(direct, { 'x-forwarded-proto': 'https' })).status).toBe(403);
  });

  it('stop start-up with a clear message when TRUSTED_PROXIES holds something that is not an address', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lagesbild-proxies-'));
    try {
      const started = startHub({ dataDir, env: { TRUSTED_PROXIES: '127.0.0.1, nginx, 10.0.0.0/33' } });
      const refusal = await started.then(
        () => 'started',
        (error: unknown) => String(error),
      );
      expect(refusal).toMatch(/"nginx" is not an IP address or CIDR network[\s\S]*TRUSTED_PROXIES\[1\]/);
      expect(refusal).toMatch(
        /"10\.0\.0\.0\/33" is not an IP address or CIDR network[\s\S]*TRUSTED_PROXIES\[2\]/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** A sign-in with a wrong password sent from a chosen loopback address, claiming another. */
function signInFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/session`,
      {
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.99' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ username: 'guess.behind.nginx', password: 'wrong password' }));
  });
}

describe('a hub behind the repository nginx with TRUSTED_PROXIES set to it', () => {
  let hub: HubProcess;
  let lb: LoadBalancer;

  beforeAll(async () => {
    hub = await startHub({
      env: { ...DEFAULT_LIMITS, RATE_SIGNINS_PER_IP_PER_MIN: '3', TRUSTED_PROXIES: '127.0.0.1' },
    });
    lb = await startLoadBalancer([Number(new URL(hub.url).port)]);
  });
  afterAll(async () => {
    await lb.stop();
    await hub.kill();
    removeDataDir(hub);
  });

  it('knows each client by its own address, whatever address the client claims', async () => {
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await signInFrom(lb.url, '127.0.0.20'));
    expect(first).toEqual([401, 401, 401, 429]);
    // Another client is not limited by the first one's attempts, and the claimed address
    // (the same for both) does not count: nginx overwrote it.
    expect(await signInFrom(lb.url, '127.0.0.21')).toBe(401);
  });
});
