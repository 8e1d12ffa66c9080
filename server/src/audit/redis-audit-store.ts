import { randomUUID } from 'node:crypto';
import { AuditRecord } from '@lagesbild/shared';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import { AuditBacklog, type AuditWriteOutcome } from './audit-backlog.js';
import { matchesFilter, type AuditFilter, type AuditStore } from './audit-store.js';
import { redisLogKeys } from '../log/redis/redis-keys.js';

/** The one Redis call the store needs; the hub adapts its node-redis client to it. */
export type RedisCommander = { sendCommand(args: string[]): Promise<unknown> };

/** Roughly how many records the stream keeps (`MAXLEN ~`): the oldest are trimmed. */
export const AUDIT_STREAM_MAXLEN = 1_000_000;

/**
 * How long Redis remembers what a writer (one store in one process) has written. A write
 * whose answer was lost (a timeout, a dropped connection) and that is sent again within
 * this is not written twice; only an outage longer than this right after such a write
 * could add a record twice.
 */
export const AUDIT_WRITER_TTL_MS = 24 * 3600_000;

/** Entries read per XREVRANGE page while scanning backwards. */
const PAGE = 1000;

/**
 * Writes a batch of one writer's records, in order, once. ARGV: the stream's MAXLEN, the
 * writer key's time to live, then for each record its number in the writer's sequence,
 * its time (`at`, ms) and its JSON. A record whose number the writer key has already seen
 * was written by an earlier attempt whose answer never arrived, and is skipped. The
 * bounds hash keeps how much later than its `at` a record reached the stream at most
 * (`heldMs`, a record held through an outage) and how much earlier (`aheadMs`, a hub's
 * clock ahead of Redis), so a query by time knows how far past its window to look.
 */
const WRITE_SCRIPT = `
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('HGET', KEYS[3], 'heldMs') or '0')
local ahead = tonumber(redis.call('HGET', KEYS[3], 'aheadMs') or '0')
local oldHeld, oldAhead = held, ahead
local written = 0
for i = 3, #ARGV, 3 do
  local seq = tonumber(ARGV[i])
  if seq > last then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'r', ARGV[i + 2])
    last = seq
    written = written + 1
    local late = now - tonumber(ARGV[i + 1])
    if late > held then held = late end
    if -late > ahead then ahead = -late end
  end
end
redis.call('SET', KEYS[2], last, 'PX', ARGV[2])
if held ~= oldHeld or ahead ~= oldAhead then
  redis.call('HSET', KEYS[3], 'heldMs', held, 'aheadMs', ahead)
end
return written
`;

const StreamReply = z.array(z.tuple([z.string(), z.array(z.string())]));

const Bounds = z.array(z.union([z.string(), z.null()])).length(2);

/**
 * The audit trail of hubs sharing Redis: a stream `<prefix>audit` that every hub and the
 * admin tool append to. Stream ids are Redis's time of the write, so a query by time
 * scans the ids of its window, widened by how late (or early) any record ever reached the
 * stream (the bounds hash, see WRITE_SCRIPT), and keeps the records whose own `at` is in
 * the window, newest first.
 *
 * Records recorded in one turn of the event loop are sent together, in one script call,
 * in order. While Redis refuses them (away, out of memory) they wait in memory (see
 * AuditBacklog), later ones behind earlier ones, and are sent once it takes them. Each
 * record has a number in this writer's sequence, which Redis remembers, so a batch sent
 * again after its answer was lost is not written twice.
 */
export function createRedisAuditStore(
  redis: RedisCommander,
  keyPrefix: string,
  logger: Logger,
  options: { maxHeld?: number } = {},
): AuditStore {
  const keys = redisLogKeys(keyPrefix);
  const key = keys.audit;
  const boundsKey = keys.auditBounds;
  const writerKey = keys.auditWriter(randomUUID());
  const numbers = new WeakMap<AuditRecord, number>();
  let next = 0;
  const write = async (records: readonly AuditRecord[]): Promise<AuditWriteOutcome> => {
    const args = records.flatMap((record) => {
      const at = Date.parse(record.at);
      return [
        String(numbers.get(record) ?? ++next),
        String(Number.isFinite(at) ? at : Date.now()),
        JSON.stringify(record),
      ];
    });
    try {
      await redis.sendCommand([
        'EVAL',
        WRITE_SCRIPT,
        '3',
        key,
        writerKey,
        boundsKey,
        String(AUDIT_STREAM_MAXLEN),
        String(AUDIT_WRITER_TTL_MS),
        ...args,
      ]);
      return { unwritten: [], error: null };
    } catch (error) {
      // All of the batch waits, in order: the script wrote all of it or (the answer lost)
      // will skip what it wrote when the batch is sent again.
      return { unwritten: [...records], error: error instanceof Error ? error : new Error(String(error)) };
    }
  };
  const backlog = new AuditBacklog({ write, logger, store: 'redis', delayMs: 0, maxHeld: options.maxHeld });
  return {
    append(record) {
      numbers.set(record, ++next);
      backlog.push(record);
    },
    query(filter: AuditFilter) {
      return backlog.read(async (held) => {
        const [heldText, aheadText] = Bounds.parse(
          await redis.sendCommand(['HMGET', boundsKey, 'heldMs', 'aheadMs']),
        );
        const heldMs = Number(heldText ?? 0) || 0;
        const aheadMs = Number(aheadText ?? 0) || 0;
        const newestFirst: AuditRecord[] = [];
        let end = filter.to === undefined ? '+' : String(Math.floor(filter.to + heldMs));
        const start =
          filter.from === undefined ? '-' : String(Math.max(0, Math.floor(filter.from - aheadMs)));
        while (newestFirst.length < filter.limit) {
          const page = StreamReply.parse(
            await redis.sendCommand(['XREVRANGE', key, end, start, 'COUNT', String(PAGE)]),
          );
          for (const [, fields] of page) {
            const record = parseFields(fields);
            if (record && matchesFilter(record, filter)) newestFirst.push(record);
            if (newestFirst.length >= filter.limit) break;
          }
          const last = page[page.length - 1];
          if (page.length < PAGE || !last) break;
          end = `(${last[0]}`;
        }
        // Held records come after the stream's, where they will be once written.
        const all = [...newestFirst.reverse(), ...held.filter((record) => matchesFilter(record, filter))];
        return all.slice(Math.max(0, all.length - filter.limit));
      });
    },
    health: () => backlog.health(),
    async close() {
      await backlog.close();
    },
  };
}

function parseFields(fields: string[]): AuditRecord | null {
  const index = fields.indexOf('r');
  const raw = index >= 0 ? fields[index + 1] : undefined;
  if (raw === undefined) return null;
  try {
    const parsed = AuditRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
