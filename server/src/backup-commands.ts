import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RegionConfig } from '@lagesbild/shared';
import type { Config } from './base/config.js';
import type { Logger } from './base/logger.js';
import { HubState } from './hub/hub-state.js';
import { openFoldedLog, redisKeyPrefix } from './hub/open-log.js';
import {
  BackupError,
  NOT_IN_A_BACKUP,
  describeLog,
  entriesOf,
  prepareBackupDir,
  readCheckedBackup,
  writeManifest,
  type LogSummary,
  type Manifest,
} from './log/backup/backup-manifest.js';
import {
  assertEmptyDataDir,
  backupJournal,
  removeRestored,
  restoreJournalFiles,
} from './log/backup/journal-backup.js';
import { backupRedis, type RedisTarget } from './log/backup/redis-backup.js';
import { assertEmptyRedis, removeRedisKeys, restoreRedisKeys } from './log/backup/redis-restore.js';
import { lockDataDir } from './log/journal/data-dir-lock.js';
import { createJournalLog } from './log/journal/journal-log.js';
import { redactUrl } from './log/redis/redis-preflight.js';

export { BackupError } from './log/backup/backup-manifest.js';

/** What `backup` and `restore` need from the admin tool. */
export type BackupContext = { config: Config; region: RegionConfig; logger: Logger };

/**
 * `npm run admin -- backup DIR`: a consistent copy of the configured log, taken while hubs
 * run, into a new or empty directory, with a manifest (identity, head, checksums) written last.
 */
export async function backupCommand(dirArg: string | undefined, ctx: BackupContext): Promise<number> {
  const { config } = ctx;
  const dir = backupDirOf(dirArg, 'backup');
  if (!config.redis && isWithin(dir, config.dataDir)) {
    throw new BackupError(`Refused: the backup directory ${dir} lies inside DATA_DIR ${config.dataDir}.`);
  }
  const existed = (await entriesOf(dir)) !== null;
  await prepareBackupDir(dir);
  const createdAt = new Date().toISOString();
  let taken: Omit<Manifest, 'createdAt' | 'notIncluded'>;
  try {
    taken = config.redis
      ? await backupRedis(redisTarget(ctx), dir)
      : await backupJournal(config.dataDir, dir, ctx.logger);
    await writeManifest(dir, { ...taken, createdAt, notIncluded: NOT_IN_A_BACKUP });
  } catch (error) {
    // An incomplete backup has no manifest and would only mislead: it is removed.
    if (existed)
      for (const name of (await entriesOf(dir)) ?? []) await rm(path.join(dir, name), { recursive: true });
    else await rm(dir, { recursive: true, force: true });
    throw error;
  }
  console.log(
    [
      `Backed up ${describeLog(taken.log)} from ${taken.source} into ${dir}:`,
      `  ${reach(taken.log)}`,
      `  every event up to seq ${taken.headAtStart} (the head when the backup began) is in it`,
      `  files: ${taken.files.map((f) => f.name).join(', ')}, manifest.json`,
      'Not in a backup:',
      ...NOT_IN_A_BACKUP.map((line) => `  ${line}`),
    ].join('\n'),
  );
  return 0;
}

/**
 * `npm run admin -- restore DIR`: checks a backup (every file's checksum), writes it into an
 * empty DATA_DIR or an empty Redis, and opens the result with the hub's own start-up (which
 * replays the events and refuses a gap) before saying what it restored.
 */
export async function restoreCommand(dirArg: string | undefined, ctx: BackupContext): Promise<number> {
  const { config } = ctx;
  const dir = backupDirOf(dirArg, 'restore');
  const manifest = await readCheckedBackup(dir);
  const into = config.redis ? 'redis' : 'embedded';
  if (manifest.mode !== into) {
    throw new BackupError(
      manifest.mode === 'redis'
        ? `This backup was taken from a Redis log; set REDIS_URL (and REDIS_KEY_PREFIX) to restore it into Redis.`
        : `This backup was taken from an embedded log; restore it without REDIS_URL, into an empty DATA_DIR.`,
    );
  }

  // The same log, a new epoch: see restoredMeta.
  const epoch = randomUUID();
  const expected = { epoch, headSeq: manifest.log.headSeq };
  let where: string;
  if (config.redis) {
    const target = redisTarget(ctx);
    await assertEmptyRedis(target);
    const keys = await restoreRedisKeys(target, dir, manifest, epoch);
    where = `Redis ${redactUrl(target.url)} under the key prefix "${target.keyPrefix}"`;
    await checkRestored(
      () => checkRestoredRedis(expected, ctx),
      () => removeRedisKeys(target, keys),
    );
  } else {
    await assertEmptyDataDir(config.dataDir);
    await mkdir(config.dataDir, { recursive: true });
    // Held through the copy and the check: a hub started meanwhile refuses to start (the
    // directory is in use) rather than open half a log, and a failed check removes the
    // files while no hub can have them open.
    const release = await lockDataDir(config.dataDir);
    try {
      const names = await restoreJournalFiles(dir, manifest, config.dataDir, epoch);
      await checkRestored(
        () => checkRestoredJournal(expected, ctx),
        () => removeRestored(config.dataDir, names),
      );
    } finally {
      await release();
    }
    where = `DATA_DIR ${config.dataDir}`;
  }
  console.log(
    [
      `Restored log ${manifest.log.logId} into ${where}:`,
      `  log id ${manifest.log.logId}, epoch ${epoch}, head seq ${manifest.log.headSeq}`,
      `  ${
        config.redis
          ? reach(manifest.log)
          : `${reach({ ...manifest.log, snapshotSeq: null })} (the backup's snapshot names the old epoch: the hub replays the journal and writes a new one)`
      }`,
      `  a new epoch (the backup's was ${manifest.log.epoch}): clients that held a picture of this log ` +
        'get the restored one whole, never merged with events the backup does not hold',
      `  from the backup taken ${manifest.createdAt} of ${manifest.source}`,
      '  checked: every file against its checksum; the events replayed without a gap by the hub’s own start-up',
      'Not restored (never in a backup):',
      ...manifest.notIncluded.map((line) => `  ${line}`),
      'Start the hubs now.',
    ].join('\n'),
  );
  return 0;
}

type Restored = { epoch: string; headSeq: number };

/** Runs a check of the restored log; when it fails, removes what was restored. */
async function checkRestored(check: () => Promise<void>, undo: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await undo();
    throw new BackupError(
      `The restored log did not open as the backup describes, so it was removed again: ${(error as Error).message}`,
    );
  }
}

/** Opens the restored Redis log as a hub does and compares it with what was restored. */
async function checkRestoredRedis(expected: Restored, ctx: BackupContext): Promise<void> {
  const folded = await openFoldedLog(ctx.config, ctx.region, ctx.logger);
  try {
    compareRestored(folded.hub, expected);
  } finally {
    await folded.close();
  }
}

/**
 * Opens the restored journal and folds it as a hub's start-up does (openFoldedLog), but
 * under the lock the restore holds, which a hub's start-up would take itself.
 */
async function checkRestoredJournal(expected: Restored, { config, logger }: BackupContext): Promise<void> {
  const log = createJournalLog({
    dir: config.dataDir,
    idempotencyWindowMs: config.idempotencyWindowMs,
    retainEvents: config.logRetainEvents,
    logger,
  });
  try {
    const opened = await log.open();
    const hub = new HubState(opened.epoch, config.historyRetain, opened.snapshot);
    hub.ingest(opened.events);
    compareRestored(hub, expected);
  } finally {
    await log.close();
  }
}

function compareRestored({ epoch, headSeq }: Restored, expected: Restored): void {
  if (epoch !== expected.epoch || headSeq !== expected.headSeq) {
    throw new Error(
      `it opened as epoch ${epoch} at seq ${headSeq}, not as epoch ${expected.epoch} at seq ${expected.headSeq}`,
    );
  }
}

function reach(log: LogSummary): string {
  const events =
    log.eventCount === 0 ? 'no events' : `events ${log.firstSeq}–${log.headSeq} (${log.eventCount})`;
  return `${events}, ${log.snapshotSeq === null ? 'no snapshot' : `snapshot at seq ${log.snapshotSeq}`}`;
}

function backupDirOf(dirArg: string | undefined, command: string): string {
  if (!dirArg || dirArg.trim() === '') {
    throw new BackupError(`Name the backup directory: npm run admin -- ${command} DIR`);
  }
  return path.resolve(dirArg);
}

function redisTarget(ctx: BackupContext): RedisTarget {
  const redis = ctx.config.redis;
  if (!redis) throw new Error('no Redis configured');
  return {
    url: redis.url,
    keyPrefix: redisKeyPrefix(ctx.config, ctx.region),
    timeoutMs: ctx.config.commandTimeoutMs,
  };
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
