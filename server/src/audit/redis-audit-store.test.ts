import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@lagesbild/shared';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import { createLogger, type Logger } from '../base/logger.js';
import { createRedisAuditStore, type RedisCommander } from './redis-audit-store.js';

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

function record(id: string, at: Date = new Date()): AuditRecord {
  return {
    at: at.toISOString(),
    kind: 'command',
    type: 'logEntry.add',
    id,
    userId: 'tib.nacka',
    deviceId: null,
    actorId: 'nacka',
    functionId: 'dutyOfficer',
    target: null,
    ip: '192.0.2.7',
    via: 'http',
    hubId: 'hub-a',
    outcome: 'ok',
    note: null,
  };
}

/** A logger whose error lines the test reads. */
function recordingLogger(): { logger: Logger; errors: string[] } {
  const errors: string[] = [];
  const logger = createLogger('silent', 'test');
  logger.error = ((_obj: object, msg: string) => void errors.push(msg)) as Logger['error'];
  return { logger, errors };
}

/**
 * The real Redis behind the store's one call, with faults: `down` refuses every call as a
 * closed client does; `loseNextAnswer` lets the next write reach Redis and then fails it as
 * the 2 s bound does when the answer is late.
 */
function faultyRedis() {
  const redisCalls = {
    down: false,
    loseNextAnswer: false,
    sendCommand: async (args: string[]): Promise<unknown> => {
      if (redisCalls.down) throw new Error('The client is closed');
      const answer = await client.sendCommand(args);
      if (args[0] === 'EVAL' && redisCalls.loseNextAnswer) {
        redisCalls.loseNextAnswer = false;
        throw new Error('the Redis call took longer than 2000 ms');
      }
      return answer;
    },
  } satisfies RedisCommander & Record<string, unknown>;
  return redisCalls;
}

/** The ids of the records in the stream, in stream order. */
async function streamIds(prefix: string): Promise<string[]> {
  const entries = (await client.xRange(`${prefix}audit`, '-', '+')) ?? [];
  return entries.map((entry) => (JSON.parse(entry.message.r ?? 'null') as AuditRecord).id ?? '');
}

async function waitFor(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const newPrefix = () => `audit-${randomUUID().slice(0, 8)}:`;

describe('the Redis audit trail', () => {
  it('keeps records while Redis refuses them, shows them to queries, and writes them in order once back', async () => {
    const prefix = newPrefix();
    const calls = faultyRedis();
    const { logger, errors } = recordingLogger();
    const store = createRedisAuditStore(calls, prefix, logger);
    store.append(record('before'));
    expect((await store.query({ limit: 10 })).map((r) => r.id)).toEqual(['before']);

    calls.down = true;
    store.append(record('down-1'));
    store.append(record('down-2'));
    await waitFor(() => errors.some((msg) => /audit.writeFailed/.test(msg)));
    store.append(record('down-3'));
    expect(store.health()).toEqual({ held: 3, dropped: 0 });

    calls.down = false;
    store.append(record('after'));
    await waitFor(async () => (await streamIds(prefix)).length === 5);
    expect(await streamIds(prefix)).toEqual(['before', 'down-1', 'down-2', 'down-3', 'after']);
    expect((await store.query({ limit: 10 })).map((r) => r.id)).toEqual([
      'before',
      'down-1',
      'down-2',
      'down-3',
      'after',
    ]);
    expect(store.health()).toEqual({ held: 0, dropped: 0 });
    await store.close();
  });

  it('finds a record written long after it was recorded by a query for the time it was recorded', async () => {
    const prefix = newPrefix();
    const store = createRedisAuditStore(faultyRedis(), prefix, recordingLogger().logger);
    // Recorded ten minutes ago, held through an outage, written now.
    const recordedAt = new Date(Date.now() - 10 * 60_000);
    store.append(record('held-through-outage', recordedAt));
    store.append(record('recorded-now'));
    await waitFor(async () => (await streamIds(prefix)).length === 2);

    const window = { from: recordedAt.getTime() - 1000, to: recordedAt.getTime() + 1000, limit: 10 };
    expect((await store.query(window)).map((r) => r.id)).toEqual(['held-through-outage']);
    // A second store (another hub, the admin tool) finds it too: the delay is kept in Redis.
    const other = createRedisAuditStore(faultyRedis(), prefix, recordingLogger().logger);
    expect((await other.query(window)).map((r) => r.id)).toEqual(['held-through-outage']);
    expect((await other.query({ from: Date.now() - 60_000, limit: 10 })).map((r) => r.id)).toEqual([
      'recorded-now',
    ]);
    await Promise.all([store.close(), other.close()]);
  });

  it('writes a batch once although its answer was lost and it was sent again', async () => {
    const prefix = newPrefix();
    const calls = faultyRedis();
    const { logger, errors } = recordingLogger();
    const store = createRedisAuditStore(calls, prefix, logger);
    calls.loseNextAnswer = true;
    store.append(record('a'));
    store.append(record('b'));
    await waitFor(() => errors.some((msg) => /audit.writeFailed/.test(msg)));
    store.append(record('c'));
    await waitFor(() => store.health().held === 0);
    expect(await streamIds(prefix)).toEqual(['a', 'b', 'c']);
    expect((await store.query({ limit: 10 })).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    await store.close();
  });
});
