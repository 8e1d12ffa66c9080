import { AuditRecord } from '@lagesbild/shared';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import { AuditBacklog, type AuditWriteOutcome } from './audit-backlog.js';
import { matchesFilter, type AuditFilter, type AuditStore } from './audit-store.js';

/** The one Redis call the store needs; the hub adapts its node-redis client to it. */
export type RedisCommander = { sendCommand(args: string[]): Promise<unknown> };

/** Roughly how many records the stream keeps (`MAXLEN ~`): the oldest are trimmed. */
export const AUDIT_STREAM_MAXLEN = 1_000_000;

/** Entries read per XREVRANGE page while scanning backwards. */
const PAGE = 1000;

const StreamReply = z.array(z.tuple([z.string(), z.array(z.string())]));

/**
 * The audit trail of hubs sharing Redis: a stream `<prefix>audit` that every hub and the
 * admin tool append to. Stream ids are millisecond timestamps, so a time range maps to an
 * id range and a query scans only that range, newest first.
 *
 * Records recorded in one turn of the event loop are sent together (pipelined). While
 * Redis refuses them (away, out of memory) they wait in memory (see AuditBacklog) and are
 * sent once it takes them; such a record's stream id is the time it was written, so a
 * query by time range finds it from then on.
 */
export function createRedisAuditStore(
  redis: RedisCommander,
  keyPrefix: string,
  logger: Logger,
  options: { maxHeld?: number } = {},
): AuditStore {
  const key = `${keyPrefix}audit`;
  const write = async (records: readonly AuditRecord[]): Promise<AuditWriteOutcome> => {
    const results = await Promise.allSettled(
      records.map((record) =>
        redis.sendCommand([
          'XADD',
          key,
          'MAXLEN',
          '~',
          String(AUDIT_STREAM_MAXLEN),
          '*',
          'r',
          JSON.stringify(record),
        ]),
      ),
    );
    const unwritten = records.filter((_, i) => results[i]?.status === 'rejected');
    const refused = results.find((result) => result.status === 'rejected');
    const error = refused ? toError(refused.reason) : null;
    return { unwritten, error };
  };
  const backlog = new AuditBacklog({ write, logger, store: 'redis', delayMs: 0, maxHeld: options.maxHeld });
  return {
    append(record) {
      backlog.push(record);
    },
    query(filter: AuditFilter) {
      return backlog.read(async (held) => {
        const newestFirst: AuditRecord[] = [];
        let end = filter.to === undefined ? '+' : String(Math.floor(filter.to));
        const start = filter.from === undefined ? '-' : String(Math.floor(filter.from));
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

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
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
