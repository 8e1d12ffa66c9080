import type { RegionConfig } from '@lagesbild/shared';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { DataDirLockedError, lockDataDir } from '../log/journal/data-dir-lock.js';
import type { EventLog } from '../log/event-log.js';
import { createJournalLog } from '../log/journal/journal-log.js';
import { HubState } from './hub-state.js';

/** Raised for a configuration the hub must not run with; main prints it and exits 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Raised when a running hub owns the embedded journal in DATA_DIR. */
export class DataDirInUseError extends StartupError {}

/**
 * Raised when start-up could not write what it seeds into the log (the demo accounts): the
 * log refused the command, which says why only as `log_unavailable` (a full disk, say).
 */
export class SeedingError extends StartupError {}

/** Raised when the disk holding DATA_DIR has no space for what start-up must write. */
export class DiskFullError extends StartupError {
  constructor(dataDir: string, options?: ErrorOptions) {
    super(
      `the disk holding DATA_DIR (${dataDir}) is full; free space on it, then start the hub again`,
      options,
    );
  }
}

/** Error codes of a write refused for want of space (a full disk, a used-up quota). */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Whether an error, or one it was caused by, is a write refused for want of space. The
 * journal passes a write error on as its message (LogUnavailableError), so that is read too.
 */
export function isDiskFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && NO_SPACE_CODES.has(code)) return true;
    if (/\b(ENOSPC|EDQUOT)\b/.test(e.message)) return true;
  }
  return false;
}

/** A log opened and folded, not yet tailed, with nothing listening on the network. */
export type FoldedLog = {
  log: EventLog;
  hub: HubState;
  /** The prefix of every Redis key of this region (sessions, log, audit). */
  keyPrefix: string;
  /** Closes the log and releases the data directory. */
  close: () => Promise<void>;
};

/** The Redis key prefix of a region unless configured. */
export const redisKeyPrefix = (config: Config, region: RegionConfig): string =>
  config.redis?.keyPrefix ?? `lagesbild:${region.id}:`;

/**
 * Opens the configured log (Redis, or the embedded journal in DATA_DIR) and folds it into
 * a HubState: what a hub does at start, and what the admin tool does to change the
 * directory without a hub. The embedded journal is taken with a lock file, so a second
 * process refuses to open a journal a running hub owns.
 */
export async function openFoldedLog(
  config: Config,
  region: RegionConfig,
  logger: Logger,
): Promise<FoldedLog> {
  const keyPrefix = redisKeyPrefix(config, region);
  let log: EventLog;
  let release = async (): Promise<void> => undefined;
  if (config.redis) {
    // Loaded only when configured, so the embedded mode does not load the Redis modules.
    const { checkRedis } = await import('../log/redis/redis-preflight.js');
    const { createRedisLog } = await import('../log/redis/redis-log.js');
    const problem = await checkRedis(config.redis.url, config.redis.requireAppendfsync);
    if (problem) throw new StartupError(problem);
    log = createRedisLog({
      url: config.redis.url,
      keyPrefix,
      idempotencyWindowMs: config.idempotencyWindowMs,
      commandTimeoutMs: config.commandTimeoutMs,
      retainEvents: config.logRetainEvents,
      hubName: config.hubId,
      logger,
    });
  } else {
    try {
      release = await lockDataDir(config.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) throw new DataDirInUseError(error.message, { cause: error });
      if (isDiskFull(error)) throw new DiskFullError(config.dataDir, { cause: error });
      throw error;
    }
    log = createJournalLog({
      dir: config.dataDir,
      idempotencyWindowMs: config.idempotencyWindowMs,
      retainEvents: config.logRetainEvents,
      logger,
    });
  }

  const started = performance.now();
  let hub: HubState;
  try {
    const opened = await log.open();
    hub = new HubState(opened.epoch, config.historyRetain, opened.snapshot);
    hub.ingest(opened.events);
    logger.info(
      {
        log: log.kind,
        headSeq: hub.headSeq,
        snapshotSeq: opened.snapshot?.seq ?? null,
        replayed: opened.events.length,
        ms: Math.round(performance.now() - started),
      },
      'log opened',
    );
  } catch (error) {
    await release();
    if (!config.redis && isDiskFull(error)) throw new DiskFullError(config.dataDir, { cause: error });
    throw error;
  }
  return {
    log,
    hub,
    keyPrefix,
    close: async () => {
      await log.close();
      await release();
    },
  };
}
