import type { StoredEvent } from '@lagesbild/shared';
import { deferred, type Deferred } from '../deferred.js';
import { LogUnavailableError } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { writeAll, type ByteSink } from './journal-io.js';

/** One command's journal line waiting to be written; `done` settles once it is on disk. */
export type QueuedLine = { line: Buffer; events: StoredEvent[]; done: Deferred<null> };

/** What the flush loop needs of the journal file: the seam tests fail writes through. */
export type JournalWriter = ByteSink & { datasync(): Promise<void> };

/** What the flush loop writes to and tells. */
export type GroupCommitTarget = {
  file: string;
  writer(): JournalWriter;
  /** Called for each line once it is on disk, in file order, before its append resolves. */
  written(entry: QueuedLine): void;
  /** Called for each line whose write failed (or was never tried), before its append rejects. */
  discarded(entry: QueuedLine): void;
  /** Called after each write and fsync, once its appends have resolved. */
  flushed(): void;
  /**
   * Makes the file whole again after a failed write and proves the disk takes writes once
   * more: cuts what the failed write left past the last whole line, then writes and fsyncs
   * a small probe. Throws while the disk still refuses.
   */
  repair(): Promise<void>;
  /** Called once a repair succeeded, before appends are accepted again. */
  resumed(): void;
  logger: LogSink;
};

/** The first probe after a write error comes this soon; each failed one doubles the wait. */
const PROBE_FIRST_MS = 100;
/** The longest wait between probes: space that returns is used within this. */
const PROBE_MAX_MS = 2000;
/** A disk that stays unwritable is reported again this often, not at every probe. */
const REPORT_EVERY_MS = 60_000;

/**
 * Group commit: appends are queued, and one flush loop writes everything queued so far
 * and fsyncs once, so that many concurrent appends cost one fsync.
 *
 * A write or fsync error (a full disk, an I/O error) fails that batch and everything
 * queued behind it, and appends are refused while the journal is unwritable: what reached
 * the disk is unknown. Meanwhile the journal probes, with backoff, until a repair succeeds
 * (see GroupCommitTarget.repair), and then accepts appends again by itself, so that a disk
 * that was full heals without a restart.
 */
export class GroupCommit {
  #queue: QueuedLine[] = [];
  #lastQueued: Deferred<null> | null = null;
  #flushing = false;
  #idle: Deferred<null> | null = null;
  #failed: Error | null = null;
  #fsyncs = 0;
  #healing: Promise<void> | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;

  constructor(private readonly target: GroupCommitTarget) {}

  /** The write error that stops appends until a probe succeeds, if there is one. */
  get failed(): Error | null {
    return this.#failed;
  }

  get fsyncs(): number {
    return this.#fsyncs;
  }

  /** Queues lines (one batch, sharing `done`) and starts the flush loop if it is not running. */
  enqueue(lines: readonly QueuedLine[], done: Deferred<null>): void {
    for (const line of lines) this.#queue.push(line);
    this.#lastQueued = done;
    if (this.#flushing) return;
    this.#flushing = true;
    this.#idle = deferred<null>();
    void this.#flushLoop();
  }

  /** Resolves once everything queued so far is on disk; rejects if its write failed. */
  async allQueued(): Promise<void> {
    await durable(this.#lastQueued);
  }

  /** Resolves once the flush loop has nothing left to write. */
  async idle(): Promise<void> {
    if (this.#idle) await this.#idle.promise;
  }

  /** Stops probing (the journal is closing) once the flush loop is idle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.idle();
    this.#wake?.();
    await this.#healing;
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        if (this.#failed) {
          this.#discard(batch, this.#failed);
          continue;
        }
        try {
          const writer = this.target.writer();
          const only = batch.length === 1 ? batch[0] : undefined;
          await writeAll(writer, only ? only.line : Buffer.concat(batch.map((b) => b.line)));
          // fdatasync covers the file size too, which is all an append changes besides data.
          await writer.datasync();
          this.#fsyncs++;
        } catch (error) {
          this.#failed = error instanceof Error ? error : new Error(String(error));
          this.target.logger.error(
            { err: this.#failed.message, file: this.target.file },
            'journal.writeFailed: refusing appends until a probe write succeeds',
          );
          this.#discard(batch, this.#failed);
          this.#healing ??= this.#heal();
          continue;
        }
        for (const entry of batch) this.target.written(entry);
        for (const entry of batch) entry.done.resolve(null);
        this.target.flushed();
      }
    } finally {
      this.#flushing = false;
      this.#idle?.resolve(null);
    }
  }

  #discard(batch: QueuedLine[], cause: Error): void {
    for (const entry of batch) this.target.discarded(entry);
    for (const entry of batch)
      entry.done.reject(new LogUnavailableError(`journal write failed: ${cause.message}`));
  }

  /** Probes with backoff until a repair succeeds or the journal closes. */
  async #heal(): Promise<void> {
    const since = Date.now();
    let waitMs = PROBE_FIRST_MS;
    let probes = 0;
    let reportedAt = since;
    try {
      while (!this.#stopped) {
        await this.#sleep(waitMs);
        // Batches queued before the failure are refused first; nothing is in flight after.
        await this.idle();
        if (this.#stopped) return;
        probes++;
        try {
          await this.target.repair();
        } catch (error) {
          if (Date.now() - reportedAt >= REPORT_EVERY_MS) {
            reportedAt = Date.now();
            this.target.logger.error(
              { err: (error as Error).message, file: this.target.file, probes, downMs: reportedAt - since },
              'journal.stillUnwritable: refusing appends',
            );
          }
          waitMs = Math.min(PROBE_MAX_MS, waitMs * 2);
          continue;
        }
        // Nothing queued can be waiting on a batch that was refused: answers name only what is on disk.
        this.#lastQueued = null;
        this.target.resumed();
        this.#failed = null;
        this.target.logger.info(
          { file: this.target.file, probes, downMs: Date.now() - since },
          'journal.resumed: the disk takes writes again',
        );
        return;
      }
    } finally {
      this.#healing = null;
    }
  }

  /** Waits `ms`, or less when `stop` is called; the timer does not keep the process alive. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

/** Waits until an append is on disk; its failure becomes the caller's LogUnavailableError. */
export async function durable(done: Deferred<null> | null | undefined): Promise<void> {
  if (!done) return;
  await done.promise;
}
