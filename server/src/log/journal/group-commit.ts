import type { FileHandle } from 'node:fs/promises';
import type { StoredEvent } from '@lagesbild/shared';
import { deferred, type Deferred } from '../deferred.js';
import { LogUnavailableError } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { writeAll } from './journal-io.js';

/** One command's journal line waiting to be written; `done` settles once it is on disk. */
export type QueuedLine = { line: Buffer; events: StoredEvent[]; done: Deferred<null> };

/** What the flush loop writes to and tells. */
export type GroupCommitTarget = {
  file: string;
  writer(): FileHandle;
  /** Called for each line once it is on disk, in file order, before its append resolves. */
  written(entry: QueuedLine): void;
  /** Called after each write and fsync, once its appends have resolved. */
  flushed(): void;
  logger: LogSink;
};

/**
 * Group commit: appends are queued, and one flush loop writes everything queued so far
 * and fsyncs once, so that many concurrent appends cost one fsync. A write or fsync error
 * is terminal: what reached the disk is unknown, so every later append is refused until
 * the process restarts and replays the file.
 */
export class GroupCommit {
  #queue: QueuedLine[] = [];
  #lastQueued: Deferred<null> | null = null;
  #flushing = false;
  #idle: Deferred<null> | null = null;
  #failed: Error | null = null;
  #fsyncs = 0;

  constructor(private readonly target: GroupCommitTarget) {}

  /** The write error that stopped the journal, if one did. */
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

  async #flushLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        if (this.#failed) {
          rejectAll(batch, this.#failed);
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
            'journal.writeFailed: refusing appends until the hub restarts and replays the journal',
          );
          rejectAll(batch, this.#failed);
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
}

/** Waits until an append is on disk; its failure becomes the caller's LogUnavailableError. */
export async function durable(done: Deferred<null> | null | undefined): Promise<void> {
  if (!done) return;
  await done.promise;
}

function rejectAll(batch: QueuedLine[], cause: Error): void {
  for (const entry of batch)
    entry.done.reject(new LogUnavailableError(`journal write failed: ${cause.message}`));
}
