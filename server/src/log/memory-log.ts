import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@lagesbild/shared';
import {
  LogLostError,
  LogUnavailableError,
  isSameCommand,
  type BatchCommand,
  type BatchOutcome,
  type CommandFingerprint,
  type CommandLookup,
  type EventLog,
  type OpenedLog,
  type Snapshot,
} from './event-log.js';
import { silentLogSink, type LogSink } from './log-sink.js';
import { stampBatch } from './stamp-batch.js';

export type MemoryLogOptions = {
  /**
   * What the log holds. Logs opened over one store share it as hubs share one Redis: a
   * log reopened over it finds what was appended before, and every log's tails see every
   * log's appends. A new, empty store when left out.
   */
  store?: MemoryLogStore;
  idempotencyWindowMs: number;
  /** The clock for the idempotency window (ms since the epoch); injectable for tests. */
  now?: () => number;
  logger?: LogSink;
  /** Events older than the newest snapshot kept for `read`; the rest are dropped. */
  retainEvents?: number;
};

/** The in-memory log. */
export type MemoryLog = EventLog & { readonly kind: 'memory' };

/** Most events a refused batch sends back for the caller's catch-up, as the journal does. */
const CATCH_UP_EVENTS = 1000;

/** A command id the store remembers, until `expiresAt` (ms since the epoch). */
type StoredCommand = { seq: number; expiresAt: number; sender: string; payloadHash: string | null };

/**
 * The storage behind memory logs: the events, the command ids of the idempotency window
 * and the newest snapshot. It outlives the logs opened over it, as a journal's directory
 * does, so that tests can close a log and open it again.
 */
export class MemoryLogStore {
  #logId = randomUUID();
  #epoch = randomUUID();
  /** The retained events, contiguous: `#events[i].seq === #firstSeq + i`. */
  #events: StoredEvent[] = [];
  #firstSeq = 1;
  #head = 0;
  /** Insertion order is expiry order while every log over the store has one window. */
  readonly #commands = new Map<string, StoredCommand>();
  #snapshot: Snapshot | null = null;
  readonly #listeners = new Set<() => void>();
  #unavailable: string | null = null;

  /** The log's identity: logs opened over the store check it (see `replaceWithEmpty`). */
  get logId(): string {
    return this.#logId;
  }

  get epoch(): string {
    return this.#epoch;
  }

  /**
   * Replaces what the store holds with a new, empty log of its own id and epoch, as a
   * Redis that lost its data (FLUSHALL, a restart without its AOF) does under running
   * hubs: logs opened before find themselves lost (EventLog.lostReason).
   */
  replaceWithEmpty(): void {
    this.#logId = randomUUID();
    this.#epoch = randomUUID();
    this.#events = [];
    this.#firstSeq = 1;
    this.#head = 0;
    this.#commands.clear();
    this.#snapshot = null;
    this.notify();
  }

  /** The last seq. */
  get head(): number {
    return this.#head;
  }

  get snapshot(): Snapshot | null {
    return this.#snapshot;
  }

  /**
   * Makes every log over this store fail as an unreachable log does (LogUnavailableError,
   * not healthy) until called with null; nothing that was stored is lost.
   */
  setUnavailable(reason: string | null): void {
    this.#unavailable = reason;
  }

  get available(): boolean {
    return this.#unavailable === null;
  }

  /** Throws LogUnavailableError while `setUnavailable` holds. */
  assertAvailable(): void {
    if (this.#unavailable !== null)
      throw new LogUnavailableError(`memory log unavailable: ${this.#unavailable}`);
  }

  /** Events with seq > `after`, at most `limit`, from the oldest retained on. */
  eventsAfter(after: number, limit: number): StoredEvent[] {
    const start = Math.max(0, after + 1 - this.#firstSeq);
    return this.#events.slice(start, start + limit);
  }

  /** The command if it was appended less than its window ago. */
  command(commandId: string, now: number): StoredCommand | undefined {
    const known = this.#commands.get(commandId);
    return known && now < known.expiresAt ? known : undefined;
  }

  /** Stores one command's events, numbered from the head on, and remembers its id. */
  append(commandId: string, events: readonly StoredEvent[], remembered: Omit<StoredCommand, 'seq'>): void {
    for (const event of events) this.#events.push(event);
    this.#head += events.length;
    this.#commands.delete(commandId);
    this.#commands.set(commandId, { ...remembered, seq: this.#head });
  }

  /** Drops expired commands from the front, so the store does not grow with every command. */
  forgetExpired(now: number): void {
    for (const [id, command] of this.#commands) {
      if (now < command.expiresAt) return;
      this.#commands.delete(id);
    }
  }

  /**
   * Keeps a copy of the snapshot unless a newer one is kept, and drops the events more
   * than `retain` before it.
   */
  saveSnapshot(snapshot: Snapshot, retain: number): void {
    if (this.#snapshot && this.#snapshot.seq >= snapshot.seq) return;
    this.#snapshot = structuredClone(snapshot);
    const keepFrom = snapshot.seq - retain + 1;
    if (keepFrom > this.#firstSeq) {
      this.#events.splice(0, keepFrom - this.#firstSeq);
      this.#firstSeq = keepFrom;
    }
  }

  /** Calls `listener` after every append, from any log over the store; returns the unsubscribe. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

/**
 * An EventLog in memory, for tests that need a log's guarantees without files or a Redis:
 * it runs through the same contract suite as the journal and the Redis log. An append is
 * checked, numbered and stored at once, and answered on the next turn of the microtask
 * queue, as a log that writes durably answers later; tails are woken after that.
 */
export function createMemoryLog(options: MemoryLogOptions): MemoryLog {
  return new MemoryEventLog(options);
}

class MemoryEventLog implements MemoryLog {
  readonly kind = 'memory' as const;

  readonly #store: MemoryLogStore;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #logger: LogSink;
  readonly #retain: number;
  readonly #unsubscribes = new Set<() => void>();
  #opened = false;
  #closed = false;
  /** The epoch this log opened; the store's must stay the same (see `#checkIdentity`). */
  #epoch = '';
  /** The highest seq this log has seen: the store's head must never go below it. */
  #seen = 0;
  #lost: string | null = null;

  constructor(options: MemoryLogOptions) {
    this.#store = options.store ?? new MemoryLogStore();
    this.#windowMs = options.idempotencyWindowMs;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogSink;
    this.#retain = options.retainEvents ?? 100_000;
  }

  async open(): Promise<OpenedLog> {
    if (this.#opened) throw new Error('the memory log is already open');
    this.#opened = true;
    this.#store.assertAvailable();
    const { snapshot, epoch, logId } = this.#store;
    this.#epoch = epoch;
    this.#seen = this.#store.head;
    // The snapshot is copied: the caller folds into it, and the store must not change with it.
    return {
      logId,
      epoch,
      snapshot: snapshot && structuredClone(snapshot),
      events: this.#store.eventsAfter(snapshot?.seq ?? 0, Infinity),
    };
  }

  async appendBatch(
    expectedSeq: number,
    commands: readonly BatchCommand[],
    at: string,
  ): Promise<BatchOutcome> {
    this.#assertAvailable();
    const store = this.#store;
    const events = stampBatch(expectedSeq, commands, at);
    // A command without events is neither written nor remembered, as in the other logs.
    const written = commands.flatMap((command, i) => {
      const own = events[i] ?? [];
      return own.length > 0 ? [{ command, events: own }] : [];
    });
    if (written.length === 0) return { status: 'appended', events };
    const now = this.#now();
    const seqs = new Map<string, number>();
    const idConflicts = new Set<string>();
    for (const { command } of written) {
      const known = store.command(command.commandId, now);
      if (!known) continue;
      if (isSameCommand(known, { sender: command.by.userId, payloadHash: command.payloadHash })) {
        seqs.set(command.commandId, known.seq);
      } else {
        idConflicts.add(command.commandId);
      }
    }
    if (seqs.size > 0 || idConflicts.size > 0 || expectedSeq !== store.head) {
      const missed = expectedSeq < store.head ? store.eventsAfter(expectedSeq, CATCH_UP_EVENTS) : [];
      return seqs.size > 0 || idConflicts.size > 0
        ? { status: 'duplicate', seqs, idConflicts, headSeq: store.head, events: missed }
        : { status: 'conflict', headSeq: store.head, events: missed, retryAfterMs: 0 };
    }
    store.forgetExpired(now);
    for (const { command, events: own } of written) {
      store.append(command.commandId, own, {
        expiresAt: now + this.#windowMs,
        sender: command.by.userId,
        payloadHash: command.payloadHash,
      });
    }
    this.#seen = store.head;
    // Answered and delivered after this call returns, never within it, as a durable log would.
    await Promise.resolve();
    queueMicrotask(() => store.notify());
    return { status: 'appended', events };
  }

  async findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null> {
    this.#assertAvailable();
    const known = this.#store.command(commandId, this.#now());
    return known ? { seq: known.seq, sameCommand: isSameCommand(known, sent) } : null;
  }

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    this.#assertAvailable();
    const count = Math.floor(limit);
    return count > 0 ? this.#store.eventsAfter(after, count) : [];
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertOpen();
    let last = afterSeq;
    const deliver = () => {
      if (this.#closed || this.lostReason() !== null) return;
      const fresh = this.#store.eventsAfter(last, Infinity);
      if (fresh.length === 0) return;
      const first = fresh[0];
      if (first && first.seq !== last + 1) {
        this.#logger.error({ afterSeq: last, firstSeq: first.seq }, 'memoryLog.tailBeyondRetainedHistory');
      }
      last = fresh[fresh.length - 1]?.seq ?? last;
      this.#seen = Math.max(this.#seen, last);
      try {
        onEvents(fresh);
      } catch (error) {
        // A failing consumer must not stop the log nor the other tails.
        this.#logger.error({ err: (error as Error).message }, 'memoryLog.tailConsumerThrew');
      }
    };
    this.#unsubscribes.add(this.#store.listen(deliver));
    // The catch-up, like every delivery, after the caller has returned.
    queueMicrotask(deliver);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#assertAvailable();
    const store = this.#store;
    if (snapshot.seq > store.head) {
      throw new Error(`cannot snapshot seq ${snapshot.seq}: the memory log ends at ${store.head}`);
    }
    // Copied now: the caller goes on folding into the same objects.
    store.saveSnapshot(snapshot, this.#retain);
  }

  isHealthy(): boolean {
    return this.#opened && !this.#closed && this.#store.available && this.lostReason() === null;
  }

  lostReason(): string | null {
    if (this.#opened && !this.#closed) this.#checkIdentity();
    return this.#lost;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.#unsubscribes.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogUnavailableError('the memory log is closed');
    if (!this.#opened) throw new Error('open() the memory log first');
  }

  #assertAvailable(): void {
    this.#assertOpen();
    const lost = this.lostReason();
    if (lost !== null) throw new LogLostError(lost);
    this.#store.assertAvailable();
  }

  /** Notices, once, that the store holds another log than the one this log opened. */
  #checkIdentity(): void {
    if (this.#lost !== null) return;
    const store = this.#store;
    if (store.epoch !== this.#epoch) {
      this.#lost = `the log was replaced: its epoch is ${store.epoch}, this process opened ${this.#epoch}`;
    } else if (store.head < this.#seen) {
      this.#lost = `the log's head went back from seq ${this.#seen} to ${store.head}`;
    } else {
      return;
    }
    this.#logger.error({ reason: this.#lost }, 'memoryLog.lost');
  }
}
