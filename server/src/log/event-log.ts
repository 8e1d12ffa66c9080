import type { Attribution, DirectoryState, EventDraft, State, StoredEvent } from '@lagesbild/shared';

/**
 * What the idempotency check compares besides the command id: who sent the command (the
 * attribution's user id: a person, or `system` for what the hub decides itself) and a hash
 * of its type and payload (`commandPayloadHash`), or null when the sender has no payload
 * to compare (system changes), which then matches any payload of the same sender.
 */
export type CommandFingerprint = { sender: string; payloadHash: string | null };

/**
 * A command id the log remembers. `sender` and `payloadHash` are null when the log cannot
 * know them (remembered before they were stored, or a system change): unknown parts match.
 */
export type KnownCommand = { seq: number; sender: string | null; payloadHash: string | null };

/** What `findCommand` knows of a command id: its last seq, and whether it is the same command. */
export type CommandLookup = { seq: number; sameCommand: boolean };

/**
 * Whether a command sent again is the one the log remembers under its id: the same sender
 * and the same payload, as far as the log knows them.
 */
export function isSameCommand(known: Omit<KnownCommand, 'seq'>, sent: CommandFingerprint): boolean {
  if (known.sender !== null && known.sender !== sent.sender) return false;
  return known.payloadHash === null || sent.payloadHash === null || known.payloadHash === sent.payloadHash;
}

/**
 * One command's events in a batch append. The sender the idempotency check compares is
 * `by.userId`; `payloadHash` is as in CommandFingerprint.
 */
export type BatchCommand = {
  commandId: string;
  drafts: readonly EventDraft[];
  by: Attribution;
  payloadHash: string | null;
};

/**
 * What a batch append did: all of the batch, or none of it. When it wrote nothing, `events`
 * holds what the log could send along of the events after `expectedSeq` (in order, from
 * `expectedSeq + 1`, possibly fewer than up to the head), so that the caller can catch up
 * without another read.
 */
export type BatchOutcome =
  /** Every command's events are durable, back to back; `events[i]` are command i's. */
  | { status: 'appended'; events: StoredEvent[][] }
  /**
   * Some command ids were appended before: `seqs` holds the last seqs of those sent again
   * by the same sender with the same payload, `idConflicts` the ids appended before by
   * another sender or with another payload. Nothing was written. `headSeq` is the log's
   * head, so the caller can catch up before deciding the rest again.
   */
  | {
      status: 'duplicate';
      seqs: ReadonlyMap<string, number>;
      idConflicts: ReadonlySet<string>;
      headSeq: number;
      events: StoredEvent[];
    }
  /**
   * Another writer appended after `expectedSeq`, or (`retryAfterMs` > 0) another writer
   * that lost a race has the next turn and this one should try again after that long;
   * nothing was written.
   */
  | { status: 'conflict'; headSeq: number; events: StoredEvent[]; retryAfterMs: number };

/**
 * A fold of the log up to and including `seq` — the domain state and the hubs' directory —
 * so start-up need not replay everything.
 */
export type Snapshot = { seq: number; state: State; directory: DirectoryState };

/** Where a log starts from when a hub opens it. */
export type OpenedLog = {
  /**
   * Names the log: created once with it, kept by a restore (a backup of the same log). Logs
   * from before log ids had only an epoch: their first epoch is their id.
   */
  logId: string;
  /**
   * Identifies this log's history; a client holding another epoch's state gets a snapshot.
   * A log that lost its data and started over has a new one.
   */
  epoch: string;
  /** The newest snapshot, or null when the log has none. */
  snapshot: Snapshot | null;
  /** Every event after the snapshot (or after 0), in order. */
  events: StoredEvent[];
};

/** Raised when the log cannot be reached or written; the hub answers `log_unavailable`. */
export class LogUnavailableError extends Error {
  override readonly name: string = 'LogUnavailableError';
}

/**
 * Raised once the log this process opened is gone: its identity (epoch) changed or
 * vanished, or its head went backwards below what this process has seen (Redis flushed or
 * restarted without its data, a journal replaced under the hub). Nothing is written or
 * read any more: a hub answers `log_unavailable` and exits for its supervisor to restart it
 * against the log that is there now. See EventLog.lostReason.
 */
export class LogLostError extends LogUnavailableError {
  override readonly name: string = 'LogLostError';
}

/**
 * The one ordered, durable event log. Two implementations for production: the embedded
 * journal (one process) and Redis Streams (several hubs); and one in memory for tests.
 * All three pass one contract suite (testing/event-log-contract.ts). Sequence numbers
 * start at 1 and have no gaps.
 */
export interface EventLog {
  readonly kind: 'embedded' | 'redis' | 'memory';

  /** Loads the newest snapshot and the events after it. Called once, before anything else. */
  open(): Promise<OpenedLog>;

  /**
   * Appends several commands' events back to back, as one unit: only if the head is still
   * `expectedSeq` and none of the command ids has been appended within the idempotency
   * window; otherwise nothing is written and the outcome says which check failed (the
   * duplicate check first: a retry names whatever head its sender knew). A command id
   * appended before counts as a duplicate when `by.userId` and `payloadHash` match what was
   * stored with it (see isSameCommand), else as an id conflict. Each command keeps its own
   * id and idempotency record. A batch naming one command id twice, or holding an event
   * the shared schema refuses, is a caller's mistake and rejects before anything is
   * written. Commands without events are neither written nor remembered.
   *
   * Resolves only once the events survive a crash of the process (and, for Redis, of
   * Redis). Rejects with LogUnavailableError when the log cannot be written; the events may
   * or may not have been written then, which a retry with the same command ids resolves.
   * A Redis log rejects with LogLostError, and is lost, when `expectedSeq` is beyond its
   * head: a hub names only heads it read from the log, so Redis lost events it had
   * acknowledged (elsewhere such a head is answered `conflict`).
   * On Redis the batch is one script, written whole or not at all; should the embedded
   * journal's process crash during the write, a prefix of the batch (whole commands, none
   * of them acknowledged) may survive, which the senders' retries resolve alike.
   *
   * Events carry the log's time, from one clock per log: the embedded journal's writer is
   * this process, so `at` (the writer's clock) is it; Redis stamps every event of the batch
   * with its own `TIME` in the append script instead, never earlier than the last stamp,
   * and the appended events returned carry that stamp.
   */
  appendBatch(expectedSeq: number, commands: readonly BatchCommand[], at: string): Promise<BatchOutcome>;

  /**
   * The sequence number of the last event of a command appended within the window, and
   * whether `sent` is that same command; null if the id is unknown.
   */
  findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null>;

  /** Reads up to `limit` events with seq > `after`, in order, from what the log retains. */
  read(after: number, limit: number): Promise<StoredEvent[]>;

  /**
   * Delivers, in order and without gaps, every event with seq > `afterSeq` appended by any
   * writer, including this process. Events may be delivered that the caller already has.
   */
  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void;

  /** Stores a snapshot unless a newer one is stored already. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;

  /** Reports whether the log can be written right now (for `/readyz`); false once lost. */
  isHealthy(): boolean;

  /**
   * Why the log this process opened is lost, or null while it is not. Non-null for good
   * once the log notices (see LogLostError): on an append, a read, a tail read or its
   * periodic identity check, within a few seconds of the loss. A log that is merely
   * unreachable (Redis restarting with its data) is not lost.
   */
  lostReason(): string | null;

  /**
   * Whether this hub is in contact with its log: for Redis, whether its own heartbeat came
   * back through its tail lately (redis/heartbeat.ts). Absent where the log is local to the
   * process (the embedded journal, memory), which is always in contact.
   */
  contact?(): LogContact;

  /** Stops tailing and releases files and connections. */
  close(): Promise<void>;
}

/**
 * Whether a hub hears from its log. `stale`: it has not since `since` (ms, this process's
 * clock), so other hubs' events may not be reaching it and it may not be able to write.
 */
export type LogContact = { state: 'live' } | { state: 'stale'; since: number };
