import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type RedisServer } from '../../../../test/support/redis-server.js';
import { LogLostError } from '../event-log.js';
import { appendOne } from '../testing/log-helpers.js';
import { buildLogEntryDraft } from '../testing/test-events.js';
import { RedisIdentity } from './redis-identity.js';
import { createRedisLog, type RedisLog } from './redis-log.js';
import { entryId } from './redis-stream.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** Waits for a condition that changes by itself, checking every 20 ms. */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

const rawClient = () => createClient({ url: redis.url });

/** Runs `change` on a connection of its own, as an operator or a failover would. */
async function onRedis(change: (raw: ReturnType<typeof rawClient>) => Promise<unknown>): Promise<void> {
  const raw = rawClient();
  await raw.connect();
  try {
    await change(raw);
  } finally {
    raw.destroy();
  }
}

describe('redis: a log that lost acknowledged events but kept its epoch', () => {
  const logs: RedisLog[] = [];
  const hub = async (keyPrefix: string, identityCheckMs = 100) => {
    const log = createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: 2000,
      identityCheckMs,
    });
    logs.push(log);
    await log.open();
    return log;
  };
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
  });

  it('is lost when the head goes below what it has seen, as a restore of an older copy would make it', async () => {
    const keyPrefix = `back-${randomUUID().slice(0, 8)}:`;
    const log = await hub(keyPrefix);
    for (let i = 0; i < 3; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    await onRedis(async (raw) => {
      await raw.xDel(`${keyPrefix}events`, ['2-0', '3-0']);
      await raw.set(`${keyPrefix}head`, '1');
    });
    await eventually(() => log.lostReason() !== null);
    expect(log.lostReason()).toMatch(/head went back from seq 3 to 1/);
    await expect(appendOne(log, 1, [buildLogEntryDraft()])).rejects.toBeInstanceOf(LogLostError);
  });

  it('is lost when other commands took the seqs it read, though the head is back where it was', async () => {
    const keyPrefix = `lagging-${randomUUID().slice(0, 8)}:`;
    const log = await hub(keyPrefix);
    for (let i = 0; i < 3; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    // A failover to a replica that had only seq 1, after which a hub that never read seqs
    // 2 and 3 appended two commands of its own: in one step, so that the head never shows
    // the loss.
    const events = `${keyPrefix}events`;
    const [first, ...lost] = await log.read(0, 10);
    const replaced = lost.map((event) => ({ ...event, commandId: randomUUID() }));
    await onRedis(async (raw) => {
      const multi = raw.multi().del(events);
      for (const event of [first, ...replaced].filter((e) => e !== undefined))
        multi.xAdd(events, entryId(event.seq), { e: JSON.stringify(event) });
      await multi.exec();
    });
    await eventually(() => log.lostReason() !== null);
    expect(log.lostReason()).toMatch(
      /seq 3 holds command [0-9a-f-]{36}, not [0-9a-f-]{36} that this hub read there/,
    );
    await expect(log.read(0, 10)).rejects.toBeInstanceOf(LogLostError);
  });

  it('is lost when an append names a head beyond the one Redis holds', async () => {
    const keyPrefix = `behind-${randomUUID().slice(0, 8)}:`;
    // No periodic check in time to see it first: the append itself must.
    const log = await hub(keyPrefix, 60_000);
    for (let i = 0; i < 3; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    const other = await hub(keyPrefix, 60_000);
    await onRedis(async (raw) => {
      await raw.set(`${keyPrefix}head`, '1');
    });
    await expect(appendOne(other, 3, [buildLogEntryDraft()])).rejects.toBeInstanceOf(LogLostError);
    expect(other.lostReason()).toMatch(/head is seq 1, below seq 3 that this hub read from it/);
  });
});

describe('RedisIdentity', () => {
  afterEach(() => vi.useRealTimers());

  it('skips its tick while a check still waits for Redis, and waits no longer than 2 s', async () => {
    vi.useFakeTimers();
    const timeouts: (number | undefined)[] = [];
    const identity = new RedisIdentity({
      calls: {
        runScript: (_lua, _keys, _args, _what, timeoutMs) => {
          timeouts.push(timeoutMs);
          // A blackhole: no answer, ever.
          return new Promise<unknown>(() => undefined);
        },
      },
      keys: { meta: 'm', head: 'h', events: 'e' },
      epoch: 'epoch-1',
      everyMs: 1000,
      commandTimeoutMs: 5000,
      onLost: () => undefined,
    });
    identity.start();
    await vi.advanceTimersByTimeAsync(10_000);
    identity.stop();
    expect(timeouts).toEqual([2000]);
  });
});
