import { AuditRecord } from '@lagesbild/shared';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
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
 */
export function createRedisAuditStore(redis: RedisCommander, keyPrefix: string, logger: Logger): AuditStore {
  const key = `${keyPrefix}audit`;
  let pending: Promise<unknown> = Promise.resolve();
  return {
    append(record) {
      const write = redis
        .sendCommand([
          'XADD',
          key,
          'MAXLEN',
          '~',
          String(AUDIT_STREAM_MAXLEN),
          '*',
          'r',
          JSON.stringify(record),
        ])
        .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'audit write failed'));
      pending = pending.then(() => write);
    },
    async query(filter: AuditFilter) {
      await pending;
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
      return newestFirst.reverse();
    },
    async close() {
      await pending;
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
