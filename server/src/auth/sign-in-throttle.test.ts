import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import { MemoryCounters, RedisCounters, SignInThrottle, type Counters } from './sign-in-throttle.js';

const MINUTE = 60_000;

/** Signs in with a wrong password; returns whether the attempt was even allowed. */
async function fail(throttle: SignInThrottle, username: string) {
  const attempt = await throttle.begin(username);
  if (attempt.allowed) await attempt.failed();
  return attempt;
}

describe('sign-in lockout', () => {
  let clock = 0;
  const counters = () => new MemoryCounters(() => clock);

  it('locks a username for 15 minutes after 5 failures within 15 minutes', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 5; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
    const locked = await throttle.begin('tib.nacka');
    expect(locked).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });

    clock += 14 * MINUTE;
    expect(await throttle.begin('TIB.Nacka')).toEqual({ allowed: false, retryAfterMs: MINUTE });
    clock += MINUTE;
    expect((await throttle.begin('tib.nacka')).allowed).toBe(true);
  });

  it('forgets failures older than the window', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 4; i++) await fail(throttle, 'tib.nacka');
    clock += 15 * MINUTE;
    for (let i = 0; i < 4; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
    expect((await throttle.begin('tib.nacka')).allowed).toBe(true);
  });

  it('starts counting again after a successful sign-in', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 4; i++) await fail(throttle, 'tib.nacka');
    const ok = await throttle.begin('tib.nacka');
    if (!ok.allowed) throw new Error('expected the fifth attempt to be allowed');
    await ok.succeeded();
    for (let i = 0; i < 4; i++) expect((await fail(throttle, 'tib.nacka')).allowed).toBe(true);
  });

  it('gives parallel guesses no more tries than sequential ones', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    const attempts = await Promise.all(Array.from({ length: 50 }, () => throttle.begin('tib.nacka')));
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
  });

  it('locks an unknown username exactly like a known one, and leaves other users alone', async () => {
    clock = 0;
    const throttle = new SignInThrottle(counters());
    for (let i = 0; i < 5; i++) await fail(throttle, 'nobody.at.all');
    expect((await throttle.begin('nobody.at.all')).allowed).toBe(false);
    expect((await throttle.begin('tib.nacka')).allowed).toBe(true);
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

  it('lock a username for every hub that shares the Redis', async () => {
    const hubA = new SignInThrottle(counters);
    const hubB = new SignInThrottle(new RedisCounters((args) => client.sendCommand(args), 'test:'));
    for (let i = 0; i < 5; i++) await fail(i % 2 ? hubA : hubB, 'tib.solna');
    const locked = await hubB.begin('tib.solna');
    expect(locked.allowed).toBe(false);
    if (!locked.allowed) expect(locked.retryAfterMs).toBeGreaterThan(14 * MINUTE);
  });
});
