import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { startRedis, type RedisServer } from '../../../../test/support/redis-server.js';
import { appendOne, appendedEvents } from '../testing/log-helpers.js';
import { buildLogEntryDraft } from '../testing/test-events.js';
import { createRedisLog, type RedisLog } from './redis-log.js';
import { STAMP_LUA } from './redis-scripts.js';

let redis: RedisServer;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});
afterAll(async () => {
  client.destroy();
  await redis.stop();
});

const redisNow = async () => {
  const [seconds, micros] = (await client.sendCommand(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};

async function openLog(): Promise<{ log: RedisLog; keyPrefix: string }> {
  const keyPrefix = `clock-${randomUUID().slice(0, 8)}:`;
  const log = createRedisLog({
    url: redis.url,
    keyPrefix,
    idempotencyWindowMs: 3600_000,
    commandTimeoutMs: 2000,
  });
  await log.open();
  return { log, keyPrefix };
}

describe("the Redis log's clock", () => {
  it("stamps events with Redis's time, not the writer's, the same in the answer, a read and the tail", async () => {
    const { log } = await openLog();
    try {
      const tailed: StoredEvent[] = [];
      log.tail(0, (events) => tailed.push(...events));
      const before = await redisNow();
      // The writer's clock says January 2025 (`appendOne` sends testTime()); the log's says now.
      const outcome = await appendOne(log, 0, [buildLogEntryDraft()]);
      const after = await redisNow();
      const [event] = appendedEvents(outcome);
      const at = Date.parse(event?.at ?? '');
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
      expect((await log.read(0, 10)).map((e) => e.at)).toEqual([event?.at]);
      await expect.poll(() => tailed.map((e) => e.at), { timeout: 5000 }).toEqual([event?.at]);
    } finally {
      await log.close();
    }
  });

  it('never stamps an event earlier than the one before it, even when Redis time steps back', async () => {
    const { log, keyPrefix } = await openLog();
    try {
      const first = appendedEvents(await appendOne(log, 0, [buildLogEntryDraft('first')]))[0];
      // As if Redis's clock had been an hour ahead for the first append and was set back since.
      const ahead = Date.parse(first?.at ?? '') + 3600_000;
      await client.hSet(`${keyPrefix}meta`, 'clock', String(ahead));
      const second = appendedEvents(await appendOne(log, 1, [buildLogEntryDraft('second')]))[0];
      expect(second?.at).toBe(new Date(ahead).toISOString());
      const third = appendedEvents(await appendOne(log, 2, [buildLogEntryDraft('third')]))[0];
      expect(Date.parse(third?.at ?? '')).toBeGreaterThanOrEqual(ahead);
    } finally {
      await log.close();
    }
  });

  it('writes times in the form toISOString gives, for every kind of date', async () => {
    const instants = [
      0,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 1),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 500),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2400, 1, 29, 6, 7, 8, 9),
      // Every 97 hours and 13 ms over fifty years: every month, day and hour many times over.
      ...Array.from({ length: 4600 }, (_, i) => Date.UTC(1990, 0, 1) + i * (97 * 3600_000 + 13)),
    ];
    const reply = await client.sendCommand([
      'EVAL',
      `${STAMP_LUA}
local out = {}
for i = 1, #ARGV do out[i] = isoTime(tonumber(ARGV[i])) end
return out`,
      '0',
      ...instants.map(String),
    ]);
    expect(reply).toEqual(instants.map((ms) => new Date(ms).toISOString()));
  });
});
