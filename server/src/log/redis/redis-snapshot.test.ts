import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { State } from '@lagesbild/shared';
import { startRedis, type RedisServer } from '../../../../test/support/redis-server.js';
import type { LogSink } from '../log-sink.js';
import { captureSnapshot, encodeSnapshot } from '../snapshot-codec.js';
import {
  appendAll,
  appendIncidentAndCheckin,
  fold,
  stateAsOldHubStoredIt,
  upgradedFromOldHub,
  warnings,
} from '../testing/snapshot-fixtures.js';
import { createRedisLog } from './redis-log.js';

describe('redis snapshots', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const open = (keyPrefix: string, logger?: LogSink) =>
    createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: 2000,
      ...(logger ? { logger } : {}),
    });

  it('writes format 2, opens from it, and replays the stream when it is damaged', async () => {
    const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
    const log = open(keyPrefix);
    await log.open();
    const events = await appendAll(log, 8);
    await log.saveSnapshot({ seq: 6, ...fold(events.slice(0, 6)) });
    await log.close();

    const again = open(keyPrefix);
    const opened = await again.open();
    expect(opened.snapshot?.seq).toBe(6);
    expect(opened.snapshot?.state).toEqual(fold(events.slice(0, 6)).state);
    expect(opened.events.map((e) => e.seq)).toEqual([7, 8]);
    await again.close();

    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      const stored = await admin.hGet(`${keyPrefix}snapshot`, 'state');
      await admin.hSet(`${keyPrefix}snapshot`, 'state', (stored ?? '').replace('rad 2', 'rad 9'));
    } finally {
      await admin.close();
    }
    const { messages, sink } = warnings();
    const replayed = open(keyPrefix, sink);
    const fallback = await replayed.open();
    await replayed.close();
    expect(fallback.snapshot).toBeNull();
    expect(fallback.events).toEqual(events);
    expect(messages.some((m) => m.startsWith('redis.snapshotIgnored'))).toBe(true);
  });

  it('still opens from a format-1 snapshot', async () => {
    const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
    const log = open(keyPrefix);
    await log.open();
    const events = await appendAll(log, 5);
    await log.close();
    const { state, directory } = fold(events.slice(0, 3));
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      await admin.hSet(`${keyPrefix}snapshot`, {
        seq: '3',
        state: JSON.stringify(state),
        directory: JSON.stringify(directory),
      });
    } finally {
      await admin.close();
    }
    const again = open(keyPrefix);
    const opened = await again.open();
    await again.close();
    expect(opened.snapshot?.seq).toBe(3);
    expect(opened.snapshot?.state).toEqual(state);
    expect(opened.events.map((e) => e.seq)).toEqual([4, 5]);
  });
  it('opens snapshots of a hub before field reports when the stream before them is trimmed', async () => {
    for (const format of [2, 1]) {
      const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
      const log = open(keyPrefix);
      await log.open();
      const folded = await appendIncidentAndCheckin(log);
      const extra = await appendAll(log, 2, 3);
      await log.close();
      const { state, directory } = fold(folded);
      const old = stateAsOldHubStoredIt(state);
      const stateBytes =
        format === 2
          ? Buffer.concat([
              ...encodeSnapshot({ seq: 3 }, captureSnapshot(old as unknown as State, directory)),
            ]).toString('latin1')
          : JSON.stringify(old);
      const admin = createClient({ url: redis.url });
      await admin.connect();
      try {
        await admin.hSet(`${keyPrefix}snapshot`, {
          seq: '3',
          state: stateBytes,
          directory: JSON.stringify(directory),
        });
        // Trimmed as a hub trims its stream after a snapshot: replay is no longer possible.
        await admin.xTrim(`${keyPrefix}events`, 'MINID', '4-0');
      } finally {
        await admin.close();
      }
      const again = open(keyPrefix);
      const opened = await again.open();
      await again.close();
      expect(opened.snapshot?.seq, `format ${format}`).toBe(3);
      expect(opened.snapshot?.state, `format ${format}`).toEqual(upgradedFromOldHub(state));
      expect(opened.events.map((e) => e.seq)).toEqual(extra.map((e) => e.seq));
    }
  });
});
