import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyInPlace, initialDirectory, initialState, type StoredEvent } from '@lagesbild/shared';
import { startRedis, type RedisServer } from '../../../../test/support/redis-server.js';
import { LogLostError, LogUnavailableError } from '../event-log.js';
import { describeEventLogContract } from '../testing/event-log-contract.js';
import {
  appendOne,
  appendedEvents,
  appendedSeqs,
  collector,
  duplicateOf,
  idConflictOf,
  range,
} from '../testing/log-helpers.js';
import { createRedisLog, type RedisLog, type RedisLogOptions } from './redis-log.js';
import { buildAttribution, buildLogEntryDraft, testTime } from '../testing/test-events.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describeEventLogContract(
  'redis',
  async () => {
    const keyPrefix = `contract-${randomUUID().slice(0, 8)}:`;
    return {
      log: (options) =>
        createRedisLog({
          url: redis.url,
          keyPrefix,
          idempotencyWindowMs: options?.idempotencyWindowMs ?? 3600_000,
          commandTimeoutMs: 2000,
        }),
      // Redis expires the command keys by its own clock: only real time passes it.
      passTime: (ms) => sleep(ms),
      // What FLUSHALL does to this log: every key gone under the hubs that have it open.
      replaceLog: () => deleteKeys(redis.url, keyPrefix),
      dispose: async () => undefined,
    };
  },
  { aheadOfHead: 'lost' },
);

/** Deletes every key under `prefix`, as FLUSHALL would for this test's log. */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const page of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...page);
    if (keys.length > 0) await client.del(keys);
  } finally {
    client.destroy();
  }
}

/** Waits for a condition that changes by itself (a reconnect), checking every 20 ms. */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('redis: several hubs on one Redis', () => {
  let keyPrefix: string;
  const logs: RedisLog[] = [];
  const hub = async (overrides: Partial<RedisLogOptions> = {}) => {
    const log = createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: 2000,
      ...overrides,
    });
    logs.push(log);
    await log.open();
    return log;
  };

  beforeEach(() => {
    keyPrefix = `hubs-${randomUUID().slice(0, 8)}:`;
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
  });

  it('lets exactly one of two hubs appending at the same seq win; the other gets conflict', async () => {
    const [a, b] = await Promise.all([hub(), hub()]);
    for (let round = 0; round < 20; round++) {
      const outcomes = await Promise.all([
        appendOne(a, round, [buildLogEntryDraft()]),
        appendOne(b, round, [buildLogEntryDraft()]),
      ]);
      const statuses = outcomes.map((o) => o.status).sort();
      expect(statuses).toEqual(['appended', 'conflict']);
      const won = outcomes.flatMap((o) => (o.status === 'appended' ? o.events.flat() : []));
      const lost = outcomes.find((o) => o.status === 'conflict');
      // The loser either came second and catches up from the answer, or came first while
      // it was the winner's turn (the winner lost the round before) and waits for it.
      expect(lost).toEqual(
        lost?.status === 'conflict' && lost.retryAfterMs > 0
          ? { status: 'conflict', headSeq: round, events: [], retryAfterMs: lost.retryAfterMs }
          : { status: 'conflict', headSeq: round + 1, events: won, retryAfterMs: 0 },
      );
    }
    expect((await a.read(0, 100)).map((e) => e.seq)).toEqual(range(1, 20));
  });

  it('gives the next turn to the hub whose batch met a conflict', async () => {
    // A long turn, so that a slow machine does not let it lapse mid-test.
    const [a, b] = [await hub({ turnMs: 10_000 }), await hub({ turnMs: 10_000 })];
    const batch = (text: string) => [
      {
        commandId: randomUUID(),
        drafts: [buildLogEntryDraft(text)],
        by: buildAttribution(),
        payloadHash: null,
      },
    ];
    expect(appendedSeqs(await appendOne(a, 0, [buildLogEntryDraft()]))).toEqual([1]);
    // b lost the race for seq 1: it catches up from the answer and has the next turn.
    const lost = await b.appendBatch(0, batch('b'), testTime());
    expect(lost).toMatchObject({ status: 'conflict', headSeq: 1, retryAfterMs: 0 });
    const waiting = await a.appendBatch(1, batch('a'), testTime());
    expect(waiting).toMatchObject({ status: 'conflict', headSeq: 1, events: [] });
    expect(waiting.status === 'conflict' && waiting.retryAfterMs).toBeGreaterThan(5000);
    // b appends; that ends its turn and a goes next.
    expect((await b.appendBatch(1, batch('b'), testTime())).status).toBe('appended');
    expect((await a.appendBatch(2, batch('a'), testTime())).status).toBe('appended');
  });

  it('lets a turn lapse when its hub does not use it', async () => {
    const [a, b] = [await hub({ turnMs: 50 }), await hub({ turnMs: 50 })];
    const batch = () => [
      { commandId: randomUUID(), drafts: [buildLogEntryDraft()], by: buildAttribution(), payloadHash: null },
    ];
    await appendOne(a, 0, [buildLogEntryDraft()]);
    expect((await b.appendBatch(0, batch(), testTime())).status).toBe('conflict');
    await sleep(100);
    expect((await a.appendBatch(1, batch(), testTime())).status).toBe('appended');
  });

  it('answers duplicate on one hub for a command appended through another', async () => {
    const [a, b] = await Promise.all([hub(), hub()]);
    const commandId = randomUUID();
    await appendOne(a, 0, [buildLogEntryDraft()], commandId);
    expect(await appendOne(b, 1, [buildLogEntryDraft()], commandId)).toEqual(duplicateOf(commandId, 1, 1));
    expect(
      await b.findCommand(commandId, { sender: buildAttribution().userId, payloadHash: 'payload-hash-1' }),
    ).toEqual({
      seq: 1,
      sameCommand: true,
    });
    // The check is in the append script, so it holds whichever hub the retry reaches.
    expect(await appendOne(b, 1, [buildLogEntryDraft()], commandId, { userId: 'u-mallory' })).toEqual(
      idConflictOf(commandId, 1),
    );
    expect(await b.findCommand(commandId, { sender: 'u-mallory', payloadHash: 'payload-hash-1' })).toEqual({
      seq: 1,
      sameCommand: false,
    });
  });

  it('compares the sender of a command id stored before senders were, from its event', async () => {
    const log = await hub();
    const commandId = randomUUID();
    await appendOne(log, 0, [buildLogEntryDraft()], commandId);
    // What an older hub stored under the id: the seq alone.
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.set(`${keyPrefix}cmd:${commandId}`, '1', { PX: 60_000 });
    await raw.close();
    const by = buildAttribution();
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId, { payloadHash: 'other-hash' })).toEqual(
      duplicateOf(commandId, 1, 1),
    );
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId, { userId: 'u-mallory' })).toEqual(
      idConflictOf(commandId, 1),
    );
    expect(await log.findCommand(commandId, { sender: 'u-mallory', payloadHash: null })).toEqual({
      seq: 1,
      sameCommand: false,
    });
    expect(await log.findCommand(commandId, { sender: by.userId, payloadHash: 'x' })).toEqual({
      seq: 1,
      sameCommand: true,
    });
  });

  it("delivers one hub's appends to another hub's tail, in order", async () => {
    const [a, b] = await Promise.all([hub(), hub()]);
    const seen = collector();
    b.tail(0, seen.onEvents);
    let head = 0;
    for (let i = 0; i < 30; i++) {
      const drafts = [buildLogEntryDraft(`rad ${i}`), buildLogEntryDraft(`rad ${i}b`)];
      head = appendedSeqs(await appendOne(a, head, drafts)).at(-1) ?? head;
    }
    await seen.until(60);
    expect(seen.seqs()).toEqual(range(1, 60));
  });

  it('expires command ids after the idempotency window', async () => {
    const log = await hub({ idempotencyWindowMs: 60_000 });
    const commandId = randomUUID();
    await appendOne(log, 0, [buildLogEntryDraft()], commandId);
    const raw = await createClient({ url: redis.url }).connect();
    try {
      const ttl = Number(await raw.sendCommand(['PTTL', `${keyPrefix}cmd:${commandId}`]));
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      raw.destroy();
    }
  });

  it('trims the stream to the retained history before the newest snapshot', async () => {
    const log = await hub({ retainEvents: 5 });
    const events: StoredEvent[] = [];
    for (let i = 0; i < 20; i++)
      events.push(...appendedEvents(await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)])));
    await log.saveSnapshot({
      seq: 15,
      state: applyInPlace(initialState(), events.slice(0, 15)),
      directory: initialDirectory(),
    });
    expect((await log.read(0, 100)).map((e) => e.seq)).toEqual(range(11, 20));

    const reopened = createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 1000,
      commandTimeoutMs: 2000,
    });
    logs.push(reopened);
    const result = await reopened.open();
    expect(result.snapshot?.seq).toBe(15);
    expect(result.events.map((e) => e.seq)).toEqual(range(16, 20));
  });
});

describe('redis: unreachable', () => {
  it('fails to open with LogUnavailableError within the command timeout', async () => {
    const down = await startRedis();
    const url = down.url;
    await down.stop();
    const log = createRedisLog({ url, keyPrefix: 'x:', idempotencyWindowMs: 1000, commandTimeoutMs: 500 });
    const started = Date.now();
    await expect(log.open()).rejects.toBeInstanceOf(LogUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(log.isHealthy()).toBe(false);
    await log.close();
  });
});

describe('redis: when Redis crashes', () => {
  let server: RedisServer;
  const logs: RedisLog[] = [];
  const TIMEOUT_MS = 1000;
  const hub = async (overrides: Partial<RedisLogOptions> = {}) => {
    const log = createRedisLog({
      url: server.url,
      keyPrefix: 'crash:',
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: TIMEOUT_MS,
      tailBlockMs: 1000,
      // Scripts are counted below: the identity check's own script would blur the count.
      identityCheckMs: 60_000,
      ...overrides,
    });
    logs.push(log);
    await log.open();
    return log;
  };

  beforeEach(async () => {
    server = await startRedis({ appendfsync: 'always' });
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await server.stop();
  });

  it('keeps every acknowledged event through a SIGKILL of Redis', async () => {
    const log = await hub();
    const acked: StoredEvent[] = [];
    for (let i = 0; i < 50; i++)
      acked.push(...appendedEvents(await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)])));

    await server.kill('SIGKILL');
    await server.restart();

    const after = createRedisLog({
      url: server.url,
      keyPrefix: 'crash:',
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: TIMEOUT_MS,
    });
    logs.push(after);
    expect((await after.open()).events).toEqual(acked);
  });

  it('fails appends fast while Redis is down, then recovers and the tail resumes without gaps', async () => {
    const writer = await hub();
    const reader = await hub();
    const seen = collector();
    reader.tail(0, seen.onEvents);
    for (let i = 0; i < 5; i++) await appendOne(writer, i, [buildLogEntryDraft(`före ${i}`)]);
    await seen.until(5);

    await server.kill('SIGKILL');
    const started = Date.now();
    await expect(appendOne(writer, 5, [buildLogEntryDraft('under avbrottet')])).rejects.toBeInstanceOf(
      LogUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    await eventually(() => !writer.isHealthy());

    await server.restart();
    await eventually(() => writer.isHealthy());
    // The script cache died with Redis: this append also exercises the NOSCRIPT fallback.
    let head = 5;
    for (let i = 0; i < 5; i++)
      head = appendedSeqs(await appendOne(writer, head, [buildLogEntryDraft(`efter ${i}`)])).at(-1) ?? head;
    await seen.until(10);
    expect(seen.seqs()).toEqual(range(1, 10));
    const raw = await createClient({ url: server.url }).connect();
    try {
      expect(String(await raw.sendCommand(['INFO', 'commandstats']))).toMatch(/cmdstat_eval:calls=1,/);
    } finally {
      raw.destroy();
    }
    expect(writer.lostReason()).toBeNull();
    expect(reader.lostReason()).toBeNull();
  });

  it('is not lost when Redis restarts with its data, however often its identity is checked', async () => {
    const log = await hub({ identityCheckMs: 100 });
    for (let i = 0; i < 3; i++) await appendOne(log, i, [buildLogEntryDraft(`före ${i}`)]);
    await server.kill('SIGKILL');
    await sleep(300);
    await server.restart();
    await eventually(() => log.isHealthy());
    await sleep(500);
    expect(log.lostReason()).toBeNull();
    expect(appendedSeqs(await appendOne(log, 3, [buildLogEntryDraft('efter')]))).toEqual([4]);
  });

  it('is lost when Redis comes back without its data, and appends nothing into the empty Redis', async () => {
    const log = await hub({ identityCheckMs: 100 });
    for (let i = 0; i < 3; i++) await appendOne(log, i, [buildLogEntryDraft(`före ${i}`)]);
    await server.kill('SIGKILL');
    // A restart without its AOF, as a failover to an empty replica would look.
    await rm(path.join(server.dir, 'appendonlydir'), { recursive: true, force: true });
    await server.restart();
    await eventually(() => log.lostReason() !== null);
    expect(log.lostReason()).toMatch(/no longer holds the log/);
    expect(log.isHealthy()).toBe(false);
    await expect(appendOne(log, 3, [buildLogEntryDraft('in i fel logg')])).rejects.toBeInstanceOf(
      LogLostError,
    );
    const raw = await createClient({ url: server.url }).connect();
    try {
      expect(await raw.keys('crash:*')).toEqual([]);
    } finally {
      raw.destroy();
    }
  });
});
