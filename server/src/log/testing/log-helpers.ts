import { randomUUID } from 'node:crypto';
import type { EventDraft, StoredEvent } from '@lagesbild/shared';
import type { BatchCommand, BatchOutcome, EventLog } from '../event-log.js';
import { buildAttribution, testTime } from './test-events.js';

/** The payload hash the log tests send their commands with unless a test says otherwise. */
export const PAYLOAD_HASH = 'payload-hash-1';

/** The shortest window the contract uses; long enough for an immediate retry to fall inside. */
export const CONTRACT_WINDOW_MS = 400;

/** Who sent a test command and with which payload hash, where a test needs other ones. */
export type Sent = { userId?: string; payloadHash?: string | null };

/** One command for `appendBatch`, sent by the test attribution's user with PAYLOAD_HASH. */
export function buildCommand(
  drafts: readonly EventDraft[],
  commandId: string = randomUUID(),
  sent: Sent = {},
): BatchCommand {
  return {
    commandId,
    drafts,
    by: buildAttribution(sent.userId === undefined ? {} : { userId: sent.userId }),
    payloadHash: sent.payloadHash === undefined ? PAYLOAD_HASH : sent.payloadHash,
  };
}

/** Appends one command through `appendBatch`, as the hub does for a batch of one. */
export function appendOne(
  log: EventLog,
  expectedSeq: number,
  drafts: readonly EventDraft[],
  commandId: string = randomUUID(),
  sent: Sent = {},
): Promise<BatchOutcome> {
  return log.appendBatch(expectedSeq, [buildCommand(drafts, commandId, sent)], testTime());
}

/** Every event a batch appended, in order; throws when it appended nothing. */
export function appendedEvents(outcome: BatchOutcome): StoredEvent[] {
  return batchEvents(outcome).flat();
}

export function appendedSeqs(outcome: BatchOutcome): number[] {
  return appendedEvents(outcome).map((e) => e.seq);
}

/** Each command's events of an appended batch; throws when the batch was refused. */
export function batchEvents(outcome: BatchOutcome): StoredEvent[][] {
  if (outcome.status !== 'appended') throw new Error(`expected appended, got ${JSON.stringify(outcome)}`);
  return outcome.events;
}

export function batchSeqs(outcome: BatchOutcome): number[][] {
  return batchEvents(outcome).map((events) => events.map((e) => e.seq));
}

/** What a log answers to a command sent again by the same sender with the same payload. */
export function duplicateOf(
  commandId: string,
  seq: number,
  headSeq: number,
  events: StoredEvent[] = [],
): BatchOutcome {
  return { status: 'duplicate', seqs: new Map([[commandId, seq]]), idConflicts: new Set(), headSeq, events };
}

/** What a log answers to a command id sent again by another sender or with another payload. */
export function idConflictOf(commandId: string, headSeq: number, events: StoredEvent[] = []): BatchOutcome {
  return { status: 'duplicate', seqs: new Map(), idConflicts: new Set([commandId]), headSeq, events };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Collects what a tail delivers and lets a test await a seq without polling. */
export function collector() {
  const events: StoredEvent[] = [];
  const waiters: { seq: number; resolve: () => void }[] = [];
  return {
    onEvents(batch: StoredEvent[]) {
      events.push(...batch);
      const last = events.at(-1)?.seq ?? 0;
      for (const w of waiters.splice(0)) {
        if (last >= w.seq) w.resolve();
        else waiters.push(w);
      }
    },
    until(seq: number, timeoutMs = 10_000): Promise<void> {
      if ((events.at(-1)?.seq ?? 0) >= seq) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`tail reached ${events.at(-1)?.seq ?? 0}, waited for ${seq}`)),
          timeoutMs,
        );
        waiters.push({
          seq,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    seqs: () => events.map((e) => e.seq),
    events,
  };
}
