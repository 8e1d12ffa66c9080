import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoredEvent } from '@lagesbild/shared';
import type { OpenedLog } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import type { RedisCalls } from './redis-calls.js';
import type { RedisLogKeys } from './redis-keys.js';
import { OPEN_LOG_SCRIPT } from './redis-scripts.js';
import type { RedisSnapshots } from './redis-snapshot.js';
import { entryId, parseXRange, StreamDataError } from './redis-stream.js';

/** Events per XRANGE page when opening; large enough to replay 100k events in a few round trips. */
const OPEN_PAGE = 5000;

const NumberString = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));
/** OPEN_LOG_SCRIPT's answer: the log id and the epoch, or, mid-restore, when the restore began. */
const OpenLogReply = z.union([
  z.tuple([z.string().min(1), z.string().min(1), z.null()]),
  z.tuple([z.literal(''), z.literal(''), z.string()]),
]);

export type LoadOptions = {
  calls: RedisCalls;
  keys: Pick<RedisLogKeys, 'meta' | 'head' | 'events'>;
  snapshots: RedisSnapshots;
  keyPrefix: string;
  logger: LogSink;
};

/**
 * Opens the Redis log: names it if it is new, then reads the snapshot, the head and the
 * events after the snapshot up to that head, refusing a log whose stream does not reach
 * the head (keys deleted or evicted, or a restore not finished) rather than serving part
 * of it. Also returns the newest event read, whose seq and command the identity check
 * holds the log to.
 */
export async function loadRedisLog(
  options: LoadOptions,
): Promise<{ opened: OpenedLog; head: number; newest: StoredEvent | null }> {
  const { calls, keys, snapshots, keyPrefix, logger } = options;
  // The first hub to open the log names it; every later one reads its name.
  const [logId, epoch, restoring] = OpenLogReply.parse(
    await calls.runScript(OPEN_LOG_SCRIPT, [keys.meta], [randomUUID()], 'open log'),
  );
  if (restoring !== null) {
    throw new StreamDataError(
      `a restore into the Redis log ${keyPrefix} began at ${restoring} and has not finished: the log is not ` +
        'whole yet. Start the hub once the restore says it is done; if the restore was interrupted, delete the ' +
        "prefix's keys and restore again.",
    );
  }

  const snapshot = await snapshots.load();
  const headReply = z
    .string()
    .nullable()
    .parse(await calls.call(['GET', keys.head], 'GET head'));
  const head = headReply === null ? 0 : NumberString.parse(headReply);

  const from = (snapshot?.seq ?? 0) + 1;
  const events: StoredEvent[] = [];
  const fetchPage = (first: number) => {
    // Up to the head read above, not '+': another hub may append between the two reads,
    // and those events reach this hub through tail().
    const reply = calls.call(
      ['XRANGE', keys.events, entryId(first), entryId(head), 'COUNT', String(OPEN_PAGE)],
      'XRANGE on open',
    );
    // A prefetched page that is never awaited (an error ended the loop) must not go unhandled.
    reply.catch(() => undefined);
    return reply;
  };
  let pending: Promise<unknown> | null = fetchPage(from);
  let next = from;
  while (pending) {
    const reply = await pending;
    // Entry ids are the seqs, so the next page's first id is known before this page is
    // parsed: fetching it meanwhile lets Redis and the validation below overlap.
    pending = head >= next + OPEN_PAGE ? fetchPage(next + OPEN_PAGE) : null;
    const page = parseXRange(reply);
    for (const event of page) {
      if (event.seq !== next) {
        throw new StreamDataError(
          `stream ${keys.events} jumps from seq ${next - 1} to ${event.seq}: events after the snapshot are ` +
            'missing (trimmed or evicted). ' +
            (snapshots.problem ? `The snapshot was not usable either (${snapshots.problem}). ` : '') +
            'Restore Redis from a backup.',
        );
      }
      events.push(event);
      next++;
    }
    if (page.length < OPEN_PAGE) break;
  }
  const last = events.at(-1)?.seq ?? snapshot?.seq ?? 0;
  if (last !== head) {
    throw new StreamDataError(
      `Redis log ${keyPrefix} is inconsistent: head is ${head} but the stream ends at ${last}. ` +
        'Keys were deleted or evicted (is maxmemory-policy noeviction?). Restore Redis from a backup.',
    );
  }
  logger.info(
    { logId, epoch, headSeq: head, snapshotSeq: snapshot?.seq ?? null, replayed: events.length },
    'redis.opened',
  );
  return { opened: { logId, epoch, snapshot, events }, head, newest: events.at(-1) ?? null };
}
