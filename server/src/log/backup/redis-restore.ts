import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { StoredEvent } from '@lagesbild/shared';
import { safeJson } from '../safe-json.js';
import { BadLineError, decodeRecord } from '../journal/journal-format.js';
import { readLineBatches } from '../journal/journal-io.js';
import type { RedisCalls } from '../redis/redis-calls.js';
import { redisLogKeys, type RedisLogKeys } from '../redis/redis-keys.js';
import { redactUrl } from '../redis/redis-preflight.js';
import { RESTORE_BEGIN_SCRIPT, RESTORING_FIELD } from '../redis/redis-scripts.js';
import { EVENT_FIELD, entryId } from '../redis/redis-stream.js';
import { BackupError, listed, restoredMeta, type Manifest } from './backup-manifest.js';
import {
  REDIS_BACKUP_FILES,
  connect,
  globEscape,
  removeKeys,
  scan,
  type RedisTarget,
} from './redis-target.js';

/** Commands sent together (node-redis pipelines them) while restoring. */
const RESTORE_BATCH = 500;

const CommandLine = z.strictObject({ key: z.string().min(1), value: z.string(), ttlMs: z.number().int() });
const AuditLine = z.strictObject({ id: z.string().regex(/^\d+-\d+$/), r: z.string() });

/**
 * Refuses a Redis that holds any key under the prefix: a restore never overwrites or merges
 * into a log. Hubs started on it meanwhile would have created keys: they must be stopped.
 */
export async function assertEmptyRedis(target: RedisTarget): Promise<void> {
  const { calls, close } = await connect(target);
  try {
    for await (const keys of scan(calls, `${globEscape(target.keyPrefix)}*`)) {
      throw new BackupError(
        `Refused: Redis at ${redactUrl(target.url)} already holds keys under the prefix "${target.keyPrefix}" ` +
          `(${listed(keys)}). A restore only goes into an empty Redis (or an unused prefix), so it can never ` +
          'overwrite a log. Stop every hub of this region, then FLUSHALL a Redis of its own, or delete the ' +
          "prefix's keys, and restore again. Nothing was changed.",
      );
    }
  } finally {
    await close();
  }
}

/**
 * Writes a checked Redis backup under the prefix of an empty Redis, with the same log id
 * and a new epoch (see restoredMeta). The meta hash goes first, with the restoring field
 * (RESTORING_FIELD), and only if there is none yet; the field is cleared last. Until then a
 * hub that opens the log refuses to start (redis-open.ts), rather than serving part of it.
 * Returns the keys written, for removal if the check fails.
 */
export async function restoreRedisKeys(
  target: RedisTarget,
  backupDir: string,
  manifest: Manifest,
  epoch: string,
): Promise<string[]> {
  const keys = redisLogKeys(target.keyPrefix);
  const written: string[] = [];
  const { calls, close } = await connect(target);
  try {
    const meta = safeJson(await readFile(path.join(backupDir, REDIS_BACKUP_FILES.meta), 'utf8'));
    // A backup never holds an unfinished restore's field (backupRedis refuses one); should
    // a hand-made one, it is dropped here rather than left to keep the log closed for good.
    const fields = Object.entries(restoredMeta(z.record(z.string(), z.string()).parse(meta), epoch)).filter(
      ([field]) => field !== RESTORING_FIELD,
    );
    const began = await calls.runScript(
      RESTORE_BEGIN_SCRIPT,
      [keys.meta],
      [...fields.flat(), RESTORING_FIELD, new Date().toISOString()],
      'begin restore',
    );
    if (began !== 1) {
      throw new BackupError(
        `Refused: a log appeared under the prefix "${target.keyPrefix}" while the restore began (a hub started ` +
          'on it?). Stop every hub of this region, delete the prefix’s keys, and restore again.',
      );
    }
    written.push(keys.meta);

    written.push(keys.head);
    await calls.call(['SET', keys.head, String(manifest.log.headSeq)], 'SET head');
    if (manifest.log.snapshotSeq !== null) {
      const state = await readFile(path.join(backupDir, REDIS_BACKUP_FILES.snapshotState));
      const directory = await readFile(path.join(backupDir, REDIS_BACKUP_FILES.snapshotDirectory));
      written.push(keys.snapshot);
      await calls.call(
        [
          'HSET',
          keys.snapshot,
          'seq',
          String(manifest.log.snapshotSeq),
          'state',
          state,
          'directory',
          directory,
        ],
        'HSET snapshot',
      );
    }
    written.push(keys.events);
    await restoreEvents(calls, keys.events, path.join(backupDir, REDIS_BACKUP_FILES.events), manifest);
    written.push(...(await restoreCommands(calls, keys.cmdPrefix, backupDir, manifest)));
    if (await restoreAudit(calls, keys, backupDir)) written.push(keys.audit, keys.auditBounds);

    await calls.call(['HDEL', keys.meta, RESTORING_FIELD], 'HDEL restoring');
    return written;
  } catch (error) {
    await removeKeys(calls, written);
    throw error;
  } finally {
    await close();
  }
}

/** Adds the backup's events to the stream, checking each line's checksum and the seqs. */
async function restoreEvents(
  calls: RedisCalls,
  stream: string,
  file: string,
  manifest: Manifest,
): Promise<void> {
  const handle = await open(file, 'r');
  let next = manifest.log.firstSeq;
  try {
    const size = (await handle.stat()).size;
    for await (const lines of readLineBatches(handle, 0, size)) {
      const sends: Promise<unknown>[] = [];
      for (const line of lines) {
        let events: StoredEvent[];
        try {
          if (!line.terminated) throw new BadLineError('line has no end');
          events = decodeRecord(line.bytes).events;
        } catch (error) {
          throw new BackupError(`${file} is damaged at byte ${line.offset}: ${(error as Error).message}`);
        }
        for (const event of events) {
          if (event.seq !== next) {
            throw new BackupError(
              `${file} skips from seq ${next - 1} to ${event.seq} at byte ${line.offset}`,
            );
          }
          next++;
          const sent = calls.call(
            ['XADD', stream, entryId(event.seq), EVENT_FIELD, JSON.stringify(event)],
            'XADD',
          );
          // Awaited below; a refusal meanwhile must not leave it unhandled.
          sent.catch(() => undefined);
          sends.push(sent);
          if (sends.length >= RESTORE_BATCH) await Promise.all(sends.splice(0));
        }
      }
      await Promise.all(sends);
    }
  } finally {
    await handle.close();
  }
  const head = next === manifest.log.firstSeq ? manifest.log.headSeq : next - 1;
  if (head !== manifest.log.headSeq) {
    throw new BackupError(`${file} ends at seq ${head}, the manifest says ${manifest.log.headSeq}`);
  }
}

/**
 * Sets the idempotency keys, each with the rest of its window counted from when the
 * backup was taken. Returns the keys set.
 */
async function restoreCommands(
  calls: RedisCalls,
  cmdPrefix: string,
  backupDir: string,
  manifest: Manifest,
): Promise<string[]> {
  const elapsed = Date.now() - Date.parse(manifest.createdAt);
  const commands = (await readFile(path.join(backupDir, REDIS_BACKUP_FILES.commands), 'utf8'))
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => CommandLine.parse(safeJson(line)));
  const set: string[] = [];
  for (let i = 0; i < commands.length; i += RESTORE_BATCH) {
    await Promise.all(
      commands.slice(i, i + RESTORE_BATCH).map(async ({ key, value, ttlMs }) => {
        const left = ttlMs - elapsed;
        if (ttlMs >= 0 && left <= 0) return;
        set.push(`${cmdPrefix}${key}`);
        await calls.call(
          ['SET', `${cmdPrefix}${key}`, value, ...(ttlMs >= 0 ? ['PX', String(left)] : [])],
          'SET cmd',
        );
      }),
    );
  }
  return set;
}

/**
 * Adds the audit stream's entries with their ids, and the bounds the audit store's time
 * queries widen their scan by (how much later, or earlier, than its own time a record
 * reached the stream), derived from the records themselves; whether there were any.
 */
async function restoreAudit(calls: RedisCalls, keys: RedisLogKeys, backupDir: string): Promise<boolean> {
  const audit = (await readFile(path.join(backupDir, REDIS_BACKUP_FILES.audit), 'utf8'))
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => AuditLine.parse(safeJson(line)));
  let heldMs = 0;
  let aheadMs = 0;
  for (const { id, r } of audit) {
    const written = Number(id.split('-')[0]);
    const at = Date.parse(AuditTime.parse(safeJson(r)).at);
    if (!Number.isFinite(written) || !Number.isFinite(at)) continue;
    heldMs = Math.max(heldMs, written - at);
    aheadMs = Math.max(aheadMs, at - written);
  }
  for (let i = 0; i < audit.length; i += RESTORE_BATCH) {
    await Promise.all(
      audit
        .slice(i, i + RESTORE_BATCH)
        .map(({ id, r }) => calls.call(['XADD', keys.audit, id, 'r', r], 'XADD audit')),
    );
  }
  if (audit.length > 0) {
    await calls.call(
      ['HSET', keys.auditBounds, 'heldMs', String(heldMs), 'aheadMs', String(aheadMs)],
      'HSET audit bounds',
    );
  }
  return audit.length > 0;
}

/** The one field of an audit record a restore reads: its own time. */
const AuditTime = z.object({ at: z.string() });

/** Deletes the keys a failed restore wrote: the prefix is left empty again. */
export async function removeRedisKeys(target: RedisTarget, keys: readonly string[]): Promise<void> {
  const { calls, close } = await connect(target);
  try {
    await removeKeys(calls, keys);
  } finally {
    await close();
  }
}
