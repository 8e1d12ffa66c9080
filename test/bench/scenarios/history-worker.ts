import { z } from 'zod';
import { createJournalLog } from '../../../server/src/log/journal/journal-log.js';
import { createRedisLog } from '../../../server/src/log/redis/redis-log.js';
import type { EventLog } from '../../../server/src/log/event-log.js';
import { HistoryWriter } from './log-history.js';

/**
 * A child process that writes S4's history, so that the writing runs on the core the
 * hubs are not using yet (and, for Redis, beside Redis instead of on top of it), with a
 * larger young generation for this allocation-heavy job. Driven over IPC by history.ts.
 */
export const HistoryRequest = z.discriminatedUnion('op', [
  z.strictObject({
    id: z.number(),
    op: z.literal('open'),
    backend: z.enum(['embedded', 'redis']),
    /** Journal directory or Redis URL. */
    target: z.string(),
    keyPrefix: z.string(),
    idempotencyWindowMs: z.number(),
  }),
  z.strictObject({ id: z.number(), op: z.literal('append'), until: z.number().int() }),
  z.strictObject({ id: z.number(), op: z.literal('snapshot') }),
  z.strictObject({ id: z.number(), op: z.literal('close') }),
]);
export type HistoryRequest = z.infer<typeof HistoryRequest>;

export const HistoryResponse = z.strictObject({
  id: z.number(),
  ok: z.boolean(),
  headSeq: z.number(),
  error: z.string().optional(),
  /** For `snapshot`: how long the save took, and the longest the event loop was held meanwhile. */
  snapshot: z.strictObject({ saveMs: z.number(), longestBlockMs: z.number() }).optional(),
});
export type HistoryResponse = z.infer<typeof HistoryResponse>;

let log: EventLog | null = null;
let writer: HistoryWriter | null = null;

/**
 * Saves a snapshot as the hub's snapshotter does, timing it and the longest stretch the
 * event loop could not run meanwhile (a 1 ms timer that measures its own lateness), which
 * is how long a hub would stall for clients while storing a snapshot of this size.
 */
async function timedSnapshot(
  target: EventLog,
  from: HistoryWriter,
): Promise<{ saveMs: number; longestBlockMs: number }> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    const saving = target.saveSnapshot(from.snapshot());
    // The synchronous part counts too: the timer cannot fire during it.
    longest = Math.max(longest, performance.now() - last);
    last = performance.now();
    await saving;
  } finally {
    clearInterval(timer);
  }
  longest = Math.max(longest, performance.now() - last);
  return { saveMs: performance.now() - started, longestBlockMs: longest };
}

let lastSnapshot: { saveMs: number; longestBlockMs: number } | undefined;

async function handle(request: HistoryRequest): Promise<void> {
  switch (request.op) {
    case 'open': {
      log =
        request.backend === 'embedded'
          ? createJournalLog({ dir: request.target, idempotencyWindowMs: request.idempotencyWindowMs })
          : createRedisLog({
              url: request.target,
              keyPrefix: request.keyPrefix,
              idempotencyWindowMs: request.idempotencyWindowMs,
              commandTimeoutMs: 60_000,
            });
      const opened = await log.open();
      // A reopened journal continues from the state this process has folded so far.
      writer = new HistoryWriter(log, opened.epoch, writer?.hub ?? null);
      return;
    }
    case 'append':
      if (!writer) throw new Error('not open');
      await writer.appendUntil(request.until);
      return;
    case 'snapshot':
      if (!log || !writer) throw new Error('not open');
      lastSnapshot = await timedSnapshot(log, writer);
      return;
    case 'close':
      await log?.close();
      log = null;
      return;
  }
}

process.on('message', (message) => {
  const request = HistoryRequest.safeParse(message);
  if (!request.success) return;
  const { id } = request.data;
  lastSnapshot = undefined;
  handle(request.data).then(
    () =>
      process.send?.({
        id,
        ok: true,
        headSeq: writer?.headSeq ?? 0,
        ...(lastSnapshot ? { snapshot: lastSnapshot } : {}),
      }),
    (error: unknown) =>
      process.send?.({ id, ok: false, headSeq: writer?.headSeq ?? 0, error: (error as Error).stack }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, headSeq: 0 });
