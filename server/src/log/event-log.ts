import type { Attribution, DirectoryState, EventDraft, State, StoredEvent } from '@lagesbild/shared';

/** What an append did. */
export type AppendOutcome =
  /** The events are durable at these sequence numbers. */
  | { status: 'appended'; events: StoredEvent[] }
  /** This command id was appended before; `seq` is the sequence number of its last event. */
  | { status: 'duplicate'; seq: number }
  /** Another writer appended after `expectedSeq`: catch up, decide again, retry. */
  | { status: 'conflict'; headSeq: number };

/**
 * A fold of the log up to and including `seq` — the domain state and the hubs' directory —
 * so start-up need not replay everything.
 */
export type Snapshot = { seq: number; state: State; directory: DirectoryState };

/** Where a log starts from when a hub opens it. */
export type OpenedLog = {
  /** Identifies this log's history; a client holding another epoch's state gets a snapshot. */
  epoch: string;
  /** The newest snapshot, or null when the log has none. */
  snapshot: Snapshot | null;
  /** Every event after the snapshot (or after 0), in order. */
  events: StoredEvent[];
};

/** Raised when the log cannot be reached or written; the hub answers `log_unavailable`. */
export class LogUnavailableError extends Error {
  override readonly name = 'LogUnavailableError';
}

/**
 * The one ordered, durable event log. Two implementations: the embedded journal (one
 * process) and Redis Streams (several hubs). Sequence numbers start at 1 and have no gaps.
 */
export interface EventLog {
  readonly kind: 'embedded' | 'redis';

  /**
   * Whether this process is the log's only writer (the embedded journal, locked to one hub).
   * Only then may the hub append several commands it decided in a row without waiting: no
   * other writer can slip between them.
   */
  readonly singleWriter: boolean;

  /** Loads the newest snapshot and the events after it. Called once, before anything else. */
  open(): Promise<OpenedLog>;

  /**
   * Appends the events of one command atomically and durably, if the log's last sequence
   * number is still `expectedSeq` and `commandId` has not been appended within the
   * idempotency window. Resolves only once the events survive a crash of the process (and,
   * for Redis, of Redis). Rejects with LogUnavailableError when the log cannot be written;
   * the events may or may not have been written then, which a retry with the same command
   * id resolves.
   */
  append(
    expectedSeq: number,
    commandId: string,
    drafts: readonly EventDraft[],
    at: string,
    by: Attribution,
  ): Promise<AppendOutcome>;

  /** The sequence number of the last event of an appended command, or null if unknown. */
  findCommand(commandId: string): Promise<number | null>;

  /** Reads up to `limit` events with seq > `after`, in order, from what the log retains. */
  read(after: number, limit: number): Promise<StoredEvent[]>;

  /**
   * Delivers, in order and without gaps, every event with seq > `afterSeq` appended by any
   * writer, including this process. Events may be delivered that the caller already has.
   */
  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void;

  /** Stores a snapshot unless a newer one is stored already. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;

  /** Reports whether the log can be written right now (for `/readyz`). */
  isHealthy(): boolean;

  /** Stops tailing and releases files and connections. */
  close(): Promise<void>;
}
