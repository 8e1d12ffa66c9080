import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../../../test/support/redis-server.js';
import { appendOne } from '../testing/log-helpers.js';
import { buildLogEntryDraft } from '../testing/test-events.js';
import { createRedisLog, type RedisLog } from '../redis/redis-log.js';
import { NOT_IN_A_BACKUP, type Manifest } from './backup-manifest.js';
import { REDIS_BACKUP_FILES, backupRedis } from './redis-backup.js';
import { restoreRedisKeys } from './redis-restore.js';

let redis: RedisServer;
const dirs: string[] = [];
const logs: RedisLog[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
});
afterAll(async () => {
  await redis.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const target = (keyPrefix: string) => ({ url: redis.url, keyPrefix, timeoutMs: 2000 });
const prefix = (name: string) => `${name}-${randomUUID().slice(0, 8)}:`;

async function openLog(keyPrefix: string): Promise<RedisLog> {
  const log = createRedisLog({
    url: redis.url,
    keyPrefix,
    idempotencyWindowMs: 3600_000,
    commandTimeoutMs: 2000,
  });
  logs.push(log);
  await log.open();
  return log;
}

/** Runs raw commands, as an operator, a failover or a hub of another process would. */
async function onRedis(commands: string[][]): Promise<void> {
  const raw = createClient({ url: redis.url });
  await raw.connect();
  try {
    for (const command of commands) await raw.sendCommand(command);
  } finally {
    raw.destroy();
  }
}

/** A backup of the log under `keyPrefix`, with its manifest as the admin tool writes it. */
async function backUp(keyPrefix: string): Promise<{ dir: string; manifest: Manifest }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-redis-backup-unit-'));
  dirs.push(dir);
  const createdAt = new Date().toISOString();
  const taken = await backupRedis(target(keyPrefix), dir);
  return { dir, manifest: { ...taken, createdAt, notIncluded: NOT_IN_A_BACKUP } };
}

const SENT = { sender: 'user-1', payloadHash: null };

describe('Redis backup and restore', () => {
  it('keeps only the idempotency keys of commands the backup holds; a resend of a later one is appended anew', async () => {
    const source = prefix('source');
    const log = await openLog(source);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      ids.push(id);
      await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)], id);
    }
    // What a command appended while the backup ran leaves behind: its key past the head the
    // stream was copied to (here written by hand, so that it is there when the keys are read).
    const late = randomUUID();
    await onRedis([['SET', `${source}cmd:${late}`, '9|h|user-1', 'PX', '3600000']]);

    const { dir, manifest } = await backUp(source);
    expect(manifest.log.headSeq).toBe(3);
    const kept = await readFile(path.join(dir, REDIS_BACKUP_FILES.commands), 'utf8');
    for (const id of ids) expect(kept).toContain(id);
    expect(kept).not.toContain(late);

    const into = prefix('restored');
    await restoreRedisKeys(target(into), dir, manifest, randomUUID());
    const restored = await openLog(into);
    expect(await restored.findCommand(ids[2] ?? '', SENT)).toMatchObject({ seq: 3 });
    expect(await restored.findCommand(late, SENT)).toBeNull();
    expect((await appendOne(restored, 3, [buildLogEntryDraft()], late)).status).toBe('appended');
  });

  it('leaves a log a hub refuses to open until the restore has finished', async () => {
    const source = prefix('source');
    const log = await openLog(source);
    await appendOne(log, 0, [buildLogEntryDraft()]);
    const { dir, manifest } = await backUp(source);

    // Where a restore stands once it has begun: the meta hash with the restoring field.
    const midway = prefix('midway');
    await onRedis([
      ['HSET', `${midway}meta`, 'logId', 'l', 'epoch', 'e', 'restoring', '2025-01-01T00:00:00.000Z'],
    ]);
    const early = createRedisLog({
      url: redis.url,
      keyPrefix: midway,
      idempotencyWindowMs: 1000,
      commandTimeoutMs: 2000,
    });
    await expect(early.open()).rejects.toThrow(
      /a restore into the Redis log midway-.* began at 2025-01-01T00:00:00.000Z and has not finished/,
    );
    await expect(backupRedis(target(midway), dir)).rejects.toThrow(/is being restored/);

    // Once done, the field is gone and the log opens whole.
    const into = prefix('restored');
    await restoreRedisKeys(target(into), dir, manifest, randomUUID());
    const opened = await openLog(into);
    expect((await opened.read(0, 10)).map((e) => e.seq)).toEqual([1]);
  });

  it('refuses to begin when a log appeared under the prefix since it was found empty, and leaves it', async () => {
    const source = prefix('source');
    await appendOne(await openLog(source), 0, [buildLogEntryDraft()]);
    const { dir, manifest } = await backUp(source);
    const taken = prefix('taken');
    const hub = await openLog(taken);
    await expect(restoreRedisKeys(target(taken), dir, manifest, randomUUID())).rejects.toThrow(
      /a log appeared under the prefix/,
    );
    // The hub's log is untouched: it appends at seq 1 as before.
    expect((await appendOne(hub, 0, [buildLogEntryDraft()])).status).toBe('appended');
  });
});
