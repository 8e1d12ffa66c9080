import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAck } from '@lagesbild/shared';
import { signIn, type ApiClient } from '../support/api-client.js';
import { logEntry } from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { FoldingClient } from '../support/socket-client.js';
import { DEFAULT_LIMITS, Tally, connectPolling } from './support.js';

const SIGN_IN_REFUSED = 'Wrong username or password, or the account is temporarily locked';
/** The most a sign-in waits for an account under attack (DEFAULT_SLOWDOWN in sign-in-throttle.ts). */
const SLOWDOWN_CAP_MS = 2000;

describe('rate limits and lockout at their production defaults', () => {
  let hub: HubProcess;
  let flooder: ApiClient;
  let dutyOfficer: ApiClient;

  beforeAll(async () => {
    // A small connect burst, so the test needs few handshakes to meet the limit.
    hub = await startHub({
      env: {
        ...DEFAULT_LIMITS,
        RATE_CONNECTS_BURST_PER_IP: '20',
        RATE_CONNECTS_PER_IP_PER_SEC: '1',
        // The test speaks as this hub's nginx, so it can send from any address.
        TRUSTED_PROXIES: '127.0.0.1',
      },
    });
    flooder = await signIn(hub.url, 'tib.nacka');
    dutyOfficer = await signIn(hub.url, 'tib.lansstyrelsen');
  });
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  /** At most the burst plus what refilled while the flood lasted (20/s); a little slack for timing. */
  const mostAllowed = (startedAt: number) =>
    60 + Math.ceil((20 * (performance.now() - startedAt)) / 1000) + 2;

  it('throttles a user flooding over HTTP while another user at the same address still gets through', async () => {
    const statuses = new Tally();
    const retryAfter: number[] = [];
    const started = performance.now();
    const flood = Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const res = await flooder.raw('/api/commands', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(logEntry(`Flood ${i}`)),
        });
        statuses.add(res.status);
        if (res.status !== 429) return;
        retryAfter.push(Number(res.headers.get('retry-after')));
        expect(await res.json()).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      }),
    );
    const duty: CommandAck[] = [];
    for (let i = 0; i < 10; i++) duty.push((await dutyOfficer.command(logEntry(`Duty officer ${i}`))).body);
    await flood;

    expect(duty.every((ack) => ack.ok)).toBe(true);
    expect(statuses.get(200)).toBeGreaterThanOrEqual(60);
    expect(statuses.get(200)).toBeLessThanOrEqual(mostAllowed(started));
    expect(statuses.get(200) + statuses.get(429)).toBe(400);
    expect(retryAfter.every((s) => s >= 1)).toBe(true);
  });

  it('throttles a user flooding over the socket while another user on the socket still gets through', async () => {
    // Another flooder: the HTTP flood above emptied tib.nacka's bucket, which the socket shares.
    const socketFlooder = await signIn(hub.url, 'tib.botkyrka');
    const flooding = new FoldingClient(hub.url, socketFlooder.cookie);
    const other = new FoldingClient(hub.url, dutyOfficer.cookie);
    await Promise.all([flooding.connected(), other.connected()]);
    const codes = new Tally();
    const started = performance.now();
    const flood = Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const ack = await flooding.send(logEntry(`Socket flood ${i}`));
        codes.add(ack.ok ? 'ok' : ack.error.code);
      }),
    );
    const duty: CommandAck[] = [];
    for (let i = 0; i < 10; i++) duty.push(await other.send(logEntry(`Duty officer on the socket ${i}`)));
    await flood;
    flooding.close();
    other.close();

    expect(duty.every((ack) => ack.ok)).toBe(true);
    expect(codes.get('ok')).toBeGreaterThanOrEqual(60);
    expect(codes.get('ok')).toBeLessThanOrEqual(mostAllowed(started));
    expect(codes.get('ok') + codes.get('rate_limited')).toBe(400);
  });

  describe('sign-in', () => {
    const attempt = (username: string, password: string, ip: string) =>
      fetch(`${hub.url}/api/session`, {
        method: 'POST',
        // The hub trusts X-Forwarded-For from loopback (TRUSTED_PROXIES above).
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ username, password }),
      });

    it('locks an account for an address for 15 minutes after 5 failures from it, with the same answer as a wrong password', async () => {
      const ip = '198.51.100.1';
      for (let i = 0; i < 5; i++) {
        const res = await attempt('tib.huddinge', 'wrong password', ip);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          ok: false,
          error: { code: 'unauthenticated', message: SIGN_IN_REFUSED },
        });
      }
      const locked = await attempt('tib.huddinge', 'lagesbild-demo', ip);
      expect(locked.status).toBe(429);
      expect(await locked.json()).toEqual({
        ok: false,
        error: { code: 'rate_limited', message: SIGN_IN_REFUSED },
      });
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      // The owner from another address gets in, and other accounts are unaffected.
      expect((await attempt('tib.huddinge', 'lagesbild-demo', '198.51.100.2')).status).toBe(200);
      expect((await attempt('tib.huddinge', 'lagesbild-demo', ip)).status).toBe(429);
      expect((await attempt('tib.solna', 'lagesbild-demo', ip)).status).toBe(200);
    });

    it('lets the person who activates in while attackers on many addresses keep guessing', async () => {
      const attackers = Array.from({ length: 6 }, (_, i) => `203.0.113.${i + 1}`);
      const guess = (ip: string) => attempt('tib.lansstyrelsen', 'wrong password', ip);
      // Five guesses from every address at once: a burst, as a botnet would send them.
      const first = await Promise.all(attackers.flatMap((ip) => Array.from({ length: 5 }, () => guess(ip))));
      expect(first.map((res) => res.status)).toEqual(Array(30).fill(401));
      for (const ip of attackers) expect((await guess(ip)).status).toBe(429);

      // The owner, from an address that has not failed, gets in: slowed down, never blocked.
      const started = performance.now();
      const owner = await attempt('tib.lansstyrelsen', 'lagesbild-demo', '198.51.100.8');
      const tookMs = performance.now() - started;
      expect(owner.status).toBe(200);
      expect(tookMs).toBeGreaterThanOrEqual(SLOWDOWN_CAP_MS - 50);
      // The cap plus the password check itself, with room for a busy test machine.
      expect(tookMs).toBeLessThan(SLOWDOWN_CAP_MS + 3000);

      // The attackers' addresses stay locked for this account, even with the right password.
      const again = await attempt('tib.lansstyrelsen', 'lagesbild-demo', attackers[0] ?? '');
      expect(again.status).toBe(429);
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    });

    it('answers an unknown username exactly like a known one, locked or not', async () => {
      const ip = '198.51.100.3';
      const answers: [number, unknown][] = [];
      for (const username of ['tib.haninge', 'nobody.anywhere']) {
        for (let i = 0; i < 6; i++) {
          const res = await attempt(username, 'wrong password', ip);
          answers.push([res.status, await res.json()]);
        }
      }
      expect(answers.slice(0, 6)).toEqual(answers.slice(6));
      expect(answers.map(([status]) => status)).toEqual([
        ...Array(5).fill(401),
        429,
        ...Array(5).fill(401),
        429,
      ]);
    });

    it('limits sign-in attempts per address, and other addresses are unaffected', async () => {
      const ip = '198.51.100.4';
      const statuses = new Tally();
      // Different usernames, so the per-account lockout does not kick in first.
      for (let i = 0; i < 35; i++) statuses.add((await attempt(`guess.${i}`, 'wrong password', ip)).status);
      expect(statuses.toJSON()).toEqual({ 401: 30, 429: 5 });
      const elsewhere = await attempt('tib.sigtuna', 'lagesbild-demo', '198.51.100.5');
      expect(elsewhere.status).toBe(200);
    });
  });

  it('limits socket handshakes per address, and other addresses are unaffected', async () => {
    const outcomes = [];
    for (let i = 0; i < 25; i++) {
      outcomes.push(
        await connectPolling(hub.url, { cookie: dutyOfficer.cookie, forwardedFor: '198.51.100.6' }),
      );
    }
    const refused = outcomes.filter((o) => !o.accepted);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused[0]).toMatchObject({ status: 403, body: expect.stringContaining('rate_limited') });
    const elsewhere = await connectPolling(hub.url, {
      cookie: dutyOfficer.cookie,
      forwardedFor: '198.51.100.7',
    });
    expect(elsewhere.accepted).toBe(true);
  });
});

describe('sign-in limits with hubs sharing Redis', () => {
  let redis: RedisServer;
  let hubs: HubProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const env = { ...DEFAULT_LIMITS, REDIS_URL: redis.url, TRUSTED_PROXIES: '127.0.0.1' };
    hubs = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
  });
  afterAll(async () => {
    for (const hub of hubs) {
      await hub.kill();
      removeDataDir(hub);
    }
    await redis.stop();
  });

  it('lock an account for an address on every hub, whichever hubs the guesses went to', async () => {
    const attempt = (hub: HubProcess | undefined, password: string, ip = '198.51.100.19') =>
      fetch(`${hub?.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ username: 'tib.nacka', password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt(hubs[i % 2], 'wrong password')).status).toBe(401);
    for (const hub of hubs) expect((await attempt(hub, 'lagesbild-demo')).status).toBe(429);
    // The owner's own address is not locked, on either hub.
    for (const hub of hubs) expect((await attempt(hub, 'lagesbild-demo', '198.51.100.18')).status).toBe(200);
  });

  it('count sign-ins per address across hubs', async () => {
    const statuses = new Tally();
    for (let i = 0; i < 32; i++) {
      const res = await fetch(`${hubs[i % 2]?.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.20' },
        body: JSON.stringify({ username: `guess.${i}`, password: 'wrong password' }),
      });
      statuses.add(res.status);
    }
    expect(statuses.toJSON()).toEqual({ 401: 30, 429: 2 });
  });
});
