import { z } from 'zod';
import { IsoTime, type StoredEvent } from '@lagesbild/shared';
import type { RedisCalls } from './redis-calls.js';
import type { RedisLogKeys } from './redis-keys.js';
import { APPEND_BATCH_SCRIPT } from './redis-scripts.js';
import { parseXRange } from './redis-stream.js';

/**
 * The batch script's answer: status, head, duplicates (position and seq pairs), entries,
 * wait, and the positions of id conflicts.
 */
const BatchScriptReply = z
  .tuple([
    z.enum(['appended', 'duplicate', 'conflict', 'lost', 'behind']),
    z.string().regex(/^\d+$/),
    z.array(z.string().regex(/^\d+$/)),
    z.unknown(),
    z.number().int().min(0),
    z.array(z.string().regex(/^\d+$/)),
  ])
  // 'appended' adds the time the script stamped the events with (Redis TIME).
  .rest(IsoTime);

/**
 * The value of `cmd:<commandId>`: `<seq>|<payload hash>|<sender>`, or the seq alone when
 * stored before senders and hashes were (see redis-scripts.ts).
 */
const CommandValue = z.string().regex(/^\d+(\|[A-Za-z0-9_-]*\|.*)?$/s);

/** Stream entries a refused batch append sends back for the caller's catch-up. */
const CATCH_UP_ENTRIES = 500;

/**
 * How long a hub whose batch met a conflict has the next turn (APPEND_BATCH_SCRIPT): long
 * enough to catch up, decide again and send, short enough that a hub that dies holding it
 * delays the others only briefly.
 */
export const TURN_MS = 30;

/** One command of a batch with its events, as the script writes them. */
export type WrittenCommand = {
  commandId: string;
  payloadHash: string | null;
  by: { userId: string };
  events: StoredEvent[];
};

export type AppendParams = {
  expectedSeq: number;
  commands: readonly WrittenCommand[];
  idempotencyWindowMs: number;
  /** Names this process in turns. */
  writer: string;
  turnMs: number;
  /** The epoch the hub opened. */
  epoch: string;
};

/** What the script did, its positions turned into command ids. */
export type AppendReply =
  | { status: 'appended'; headSeq: number; at: string }
  | { status: 'conflict'; headSeq: number; events: StoredEvent[]; retryAfterMs: number }
  | {
      status: 'duplicate';
      headSeq: number;
      seqs: Map<string, number>;
      idConflicts: Set<string>;
      events: StoredEvent[];
    }
  | { status: 'lost'; stored: string | null }
  | { status: 'behind'; headSeq: number };

/** Runs APPEND_BATCH_SCRIPT for a batch and reads its answer. */
export async function runAppendScript(
  calls: RedisCalls,
  keys: Pick<RedisLogKeys, 'head' | 'events' | 'turn' | 'meta' | 'cmd'>,
  params: AppendParams,
): Promise<AppendReply> {
  const { expectedSeq, commands } = params;
  const args = [
    String(expectedSeq),
    String(Math.max(1, Math.round(params.idempotencyWindowMs))),
    String(CATCH_UP_ENTRIES),
    params.writer,
    String(params.turnMs),
    params.epoch,
  ];
  let count = 0;
  for (const command of commands) {
    args.push(String(command.events.length), command.payloadHash ?? '', command.by.userId);
    // Without `at`: the script stamps the events with the log's clock (redis-scripts.ts).
    for (const { at: _writerTime, ...event } of command.events) args.push(JSON.stringify(event));
    count += command.events.length;
  }
  const reply = await calls.runScript(
    APPEND_BATCH_SCRIPT,
    [keys.head, keys.events, keys.turn, keys.meta, ...commands.map((c) => keys.cmd(c.commandId))],
    args,
    'appendBatch',
  );
  const [status, headText, pairs, entries, wait, conflictPositions, stampedAt] =
    BatchScriptReply.parse(reply);
  const headSeq = Number(headText);
  switch (status) {
    case 'lost':
      return { status, stored: z.string().parse(entries) || null };
    case 'behind':
      return { status, headSeq };
    case 'conflict':
      return { status, headSeq, events: parseXRange(entries), retryAfterMs: wait };
    case 'duplicate': {
      const named = (position: string | undefined) => {
        const command = commands[Number(position) - 1];
        if (!command) throw new Error(`append batch script named command ${position} of ${commands.length}`);
        return command.commandId;
      };
      const seqs = new Map<string, number>();
      for (let i = 0; i + 1 < pairs.length; i += 2) seqs.set(named(pairs[i]), Number(pairs[i + 1]));
      const idConflicts = new Set(conflictPositions.map(named));
      return { status, seqs, idConflicts, headSeq, events: parseXRange(entries) };
    }
    case 'appended':
      if (headSeq !== expectedSeq + count || stampedAt === undefined) {
        throw new Error(
          `append batch script answered seq ${headSeq} at ${stampedAt}, expected ${expectedSeq + count}`,
        );
      }
      return { status, headSeq, at: stampedAt };
  }
}

/**
 * Reads an idempotency key's value: the command's last seq, and its sender and payload
 * hash unless stored before they were (then `known` is null). Null for anything else.
 */
export function parseCommandValue(
  value: unknown,
): { seq: number; known: { sender: string; payloadHash: string | null } | null } | null {
  const parsed = CommandValue.safeParse(value);
  if (!parsed.success) return null;
  const [seqText = '', payloadHash, ...senderParts] = parsed.data.split('|');
  const seq = Number(seqText);
  if (payloadHash === undefined) return { seq, known: null };
  return {
    seq,
    known: { sender: senderParts.join('|'), payloadHash: payloadHash === '' ? null : payloadHash },
  };
}
