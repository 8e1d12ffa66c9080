import type { AuditRecord } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';

/**
 * What one write attempt came to: the records it could not write, and why. They are the
 * batch's last ones, in order (all of it, or a tail): a store never writes a record past
 * one it could not, so the medium keeps the order the records were recorded in.
 */
export type AuditWriteOutcome = { unwritten: AuditRecord[]; error: Error | null };

/** Writes records to the store's medium, in order; resolves (never rejects) with what it could not write. */
export type AuditWrite = (records: readonly AuditRecord[]) => Promise<AuditWriteOutcome>;

/** What the backlog holds and has lost, for `/readyz`. */
export type AuditHealth = {
  /** Records recorded but not yet written (a full disk, Redis away). */
  held: number;
  /** Records lost since the hub started because the backlog was full. */
  dropped: number;
};

/** Most records held while they cannot be written (a few hundred bytes each). */
export const MAX_HELD_RECORDS = 100_000;

/** Most records one write attempt takes. */
const WRITE_BATCH = 1000;

/** The longest wait between write attempts while they fail. */
const RETRY_MAX_MS = 5000;

/** Lost records are reported again at most this often while they go on being lost. */
const REPORT_DROPS_EVERY_MS = 10_000;

export type AuditBacklogOptions = {
  write: AuditWrite;
  logger: Logger;
  /** Names the store in log lines (`file`, `redis`). */
  store: string;
  /** How long a new record waits, so that records written together share one write. */
  delayMs: number;
  maxHeld?: number;
  now?: () => number;
};

/**
 * The records an audit store has been given and not yet written, in order. They are
 * written in batches; when a write fails (a full disk, Redis away) they stay here, later
 * records behind them, and the write is tried again with backoff, so an outage delays the
 * audit trail instead of losing it. A record keeps the time it was recorded (`at`), not
 * the time it was finally written: each store's query finds it by that time (the Redis
 * store widens its scan by the longest delay, see redis-audit-store.ts). Queries see held
 * records too (`read`). Past `maxHeld` records new ones are dropped and counted, loudly:
 * in the log and in `/readyz`.
 */
export class AuditBacklog {
  #held: AuditRecord[] = [];
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failingSince: number | null = null;
  #retryMs: number;
  #dropped = 0;
  #dropsReportedAt: number | null = null;
  #closed = false;
  readonly #maxHeld: number;
  readonly #now: () => number;

  constructor(private readonly options: AuditBacklogOptions) {
    this.#maxHeld = options.maxHeld ?? MAX_HELD_RECORDS;
    this.#now = options.now ?? Date.now;
    this.#retryMs = this.#firstRetryMs();
  }

  /** Takes a record to write soon; never waits and never throws. */
  push(record: AuditRecord): void {
    if (this.#closed) return;
    if (this.#held.length >= this.#maxHeld) {
      this.#drop();
      return;
    }
    this.#held.push(record);
    // While writes fail, the retry timer is already set and takes this record along.
    this.#schedule(this.options.delayMs);
  }

  health(): AuditHealth {
    return { held: this.#held.length, dropped: this.#dropped };
  }

  /**
   * Tries to write what is held, then runs `read` with no write in between, passing the
   * records still held: a query sees each record once, from the medium or from here.
   */
  read<T>(read: (held: readonly AuditRecord[]) => Promise<T>): Promise<T> {
    this.#cancelTimer();
    this.#chain = this.#chain.then(() => this.#writeHeld());
    const result = this.#chain.then(() => read([...this.#held]));
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Writes what it can and stops; records it could not write are reported as lost. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelTimer();
    this.#chain = this.#chain.then(() => this.#writeHeld());
    await this.#chain;
    this.#cancelTimer();
    if (this.#held.length > 0) {
      this.options.logger.error(
        { store: this.options.store, lost: this.#held.length, dropped: this.#dropped },
        'audit.closedUnwritten: audit records could not be written before the hub stopped',
      );
    }
  }

  #schedule(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#chain = this.#chain.then(() => this.#writeHeld());
    }, ms);
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** One write attempt of the oldest held records; schedules what follows. Never rejects. */
  async #writeHeld(): Promise<void> {
    const batch = this.#held.slice(0, WRITE_BATCH);
    if (batch.length === 0) return;
    let outcome: AuditWriteOutcome;
    try {
      outcome = await this.options.write(batch);
    } catch (error) {
      outcome = { unwritten: batch, error: error instanceof Error ? error : new Error(String(error)) };
    }
    // Records pushed during the write follow the batch.
    this.#held = [...outcome.unwritten, ...this.#held.slice(batch.length)];
    if (outcome.unwritten.length > 0) {
      this.#failed(outcome.error);
      if (!this.#closed) this.#schedule(this.#retryMs);
      this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs * 2);
      return;
    }
    if (this.#failingSince !== null) {
      this.options.logger.info(
        {
          store: this.options.store,
          downMs: this.#now() - this.#failingSince,
          stillHeld: this.#held.length,
          dropped: this.#dropped,
        },
        'audit.resumed: held audit records are being written',
      );
      this.#failingSince = null;
      this.#retryMs = this.#firstRetryMs();
    }
    if (this.#held.length > 0 && !this.#closed) {
      // More than one batch held: the next one at once.
      this.#schedule(this.#held.length >= WRITE_BATCH ? 0 : this.options.delayMs);
    }
  }

  #failed(error: Error | null): void {
    if (this.#failingSince !== null) return;
    this.#failingSince = this.#now();
    this.options.logger.error(
      { store: this.options.store, err: error?.message ?? 'unknown', held: this.#held.length },
      'audit.writeFailed: holding audit records in memory until they can be written',
    );
  }

  #drop(): void {
    this.#dropped++;
    const now = this.#now();
    if (this.#dropsReportedAt !== null && now - this.#dropsReportedAt < REPORT_DROPS_EVERY_MS) return;
    this.#dropsReportedAt = now;
    this.options.logger.error(
      { store: this.options.store, dropped: this.#dropped, maxHeld: this.#maxHeld },
      'audit.recordsDropped: the audit backlog is full; audit records are being lost',
    );
  }

  #firstRetryMs(): number {
    return Math.max(100, this.options.delayMs);
  }
}
