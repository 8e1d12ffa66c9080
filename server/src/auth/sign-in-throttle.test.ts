import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import {
  DEFAULT_SLOWDOWN,
  MemoryCounters,
  RedisCounters,
  SignInThrottle,
  signInThrottled,
  type Counters,
} from './sign-in-throttle.js';

const MINUTE = 60_000;

const ATTACKER = '203.0.113.66';

/** Signs in with a wrong password; returns whether the attempt was even allowed. */
async function fail(throttle: SignInThrottle, username: string, address = ATTACKER) {
  const attempt = await throttle.begin(username, address);
  if (attempt.allowed) await attempt.failed();
  return attempt;
}

describe('sign-in lockout', () => {
  let clock = 0;
  const counters = () => new MemoryCounters(() => clock);

  it('locks a username for an address for 15 minutes after 5 failures from it within 15 minutes', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 5; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
    const locked = await throttle.begin('tib.nacka', ATTACKER);
    expect(locked).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });

    clock += 14 * MINUTE;
    expect(await throttle.begin('TIB.Nacka', ATTACKER)).toEqual({ allowed: false, retryAfterMs: MINUTE });
    clock += MINUTE;
    expect((await throttle.begin('tib.nacka', ATTACKER)).allowed).toBe(true);
  });

  it('lets the owner in from a clean address while attackers on many addresses keep failing', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    const attackers = Array.from({ length: 8 }, (_, i) => `203.0.113.${i + 1}`);
    for (let round = 0; round < 3; round++) {
      for (const address of attackers) {
        for (let i = 0; i < 5; i++) await fail(throttle, 'tib.lansstyrelsen', address);
        expect((await throttle.begin('tib.lansstyrelsen', address)).allowed).toBe(false);
      }
    }
    const owner = await throttle.begin('tib.lansstyrelsen', '198.51.100.10');
    expect(owner).toMatchObject({ allowed: true, delayMs: DEFAULT_SLOWDOWN.maxDelayMs });
    if (owner.allowed) await owner.succeeded();
    // Still in the next time, and the attackers' addresses stay locked for this account.
    expect((await throttle.begin('tib.lansstyrelsen', '198.51.100.10')).allowed).toBe(true);
    for (const address of attackers) {
      expect((await throttle.begin('tib.lansstyrelsen', address)).allowed).toBe(false);
    }
  });

  it('slows the account down progressively with its failures from all addresses, up to the cap', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) {
      const probe = await throttle.begin('tib.nacka', '198.51.100.10');
      if (!probe.allowed) throw new Error('a clean address must never be locked');
      delays.push(probe.delayMs);
      await probe.succeeded();
      await fail(throttle, 'tib.nacka', `203.0.113.${i}`);
    }
    expect(delays).toEqual([0, 0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2000, 2000, 2000]);
    clock += 15 * MINUTE;
    const later = await throttle.begin('tib.nacka', '198.51.100.10');
    expect(later).toMatchObject({ allowed: true, delayMs: 0 });
  });

  it('counts an IPv6 network as one address, so new addresses from it give no new guesses', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 5; i++) await fail(throttle, 'tib.nacka', `2001:db8:1:2::${i + 1}`);
    expect((await throttle.begin('tib.nacka', '2001:db8:1:2:ffff::9')).allowed).toBe(false);
    expect((await throttle.begin('tib.nacka', '2001:db8:9::1')).allowed).toBe(true);
  });

  it('forgets failures older than the window', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 4; i++) await fail(throttle, 'tib.nacka');
    clock += 15 * MINUTE;
    for (let i = 0; i < 4; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
    expect((await throttle.begin('tib.nacka', ATTACKER)).allowed).toBe(true);
  });

  it('starts counting again after a successful sign-in', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 4; i++) await fail(throttle, 'tib.nacka');
    const ok = await throttle.begin('tib.nacka', ATTACKER);
    if (!ok.allowed) throw new Error('expected the fifth attempt to be allowed');
    await ok.succeeded();
    for (let i = 0; i < 4; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
  });

  it('gives parallel guesses from one address no more tries than sequential ones', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    const attempts = await Promise.all(
      Array.from({ length: 50 }, () => throttle.begin('tib.nacka', ATTACKER)),
    );
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('locks an unknown username exactly like a known one, and leaves other users alone', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 5; i++) await fail(throttle, 'nobody.at.all');
    expect((await throttle.begin('nobody.at.all', ATTACKER)).allowed).toBe(false);
    expect(await throttle.begin('tib.nacka', ATTACKER)).toMatchObject({ allowed: true, delayMs: 0 });
  });
});

describe('a throttled sign-in', () => {
  it('waits out the slowdown before it checks the password, and not when the account is calm', async () => {
    const throttle = new SignInThrottle(new MemoryCounters(() => 0));
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    const owner = async () =>
      signInThrottled(throttle, 'tib.nacka', '198.51.100.10', async () => 'session', wait);
    expect(await owner()).toEqual({ ok: true, value: 'session' });
    for (let i = 0; i < 6; i++) await fail(throttle, 'tib.nacka', `203.0.113.${i}`);
    expect(await owner()).toEqual({ ok: true, value: 'session' });
    expect(waits).toEqual([500]);
  });
});

describe('counters in Redis', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  let counters: Counters;

  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    await client.connect();
    counters = new RedisCounters((args) => client.sendCommand(args), 'test:');
  });
  afterAll(async () => {
    await client.close();
    await redis.stop();
  });

  it('count within a window that starts at the first hit and expires', async () => {
    expect(await counters.peek('a')).toBeNull();
    expect((await counters.hit('a', 60_000)).count).toBe(1);
    const second = await counters.hit('a', 60_000);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(59_000);
    await counters.decrement('a');
    expect((await counters.peek('a'))?.count).toBe(1);
    await counters.clear('a');
    expect(await counters.peek('a')).toBeNull();

    await counters.hit('short', 50);
    await expect.poll(() => counters.peek('short'), { timeout: 2000 }).toBeNull();
  });

  it('lock a username for an address, and slow it down, on every hub that shares the Redis', async () => {
    const hubA = new SignInThrottle(counters);
    const hubB = new SignInThrottle(new RedisCounters((args) => client.sendCommand(args), 'test:'));
    for (let i = 0; i < 5; i++) await fail(i % 2 ? hubA : hubB, 'tib.solna');
    const locked = await hubB.begin('tib.solna', ATTACKER);
    expect(locked.allowed).toBe(false);
    if (!locked.allowed) expect(locked.retryAfterMs).toBeGreaterThan(14 * MINUTE);
    expect(await hubA.begin('tib.solna', '198.51.100.10')).toMatchObject({ allowed: true, delayMs: 250 });
  });
});
