import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { StoredEvent } from '@lagesbild/shared';
import { deferred } from '../deferred.js';
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
} from '../event-log.js';
import { silentLogSink, type LogSink } from '../log-sink.js';
import { RecentCommands } from '../recent-commands.js';
import { captureSnapshot, type CapturedSnapshot } from '../snapshot-codec.js';
import { stampBatch } from '../stamp-batch.js';
import { TailSubscriber } from '../tail-subscriber.js';
import { GroupCommit, durable, type QueuedLine } from './group-commit.js';
import { DurableHistory } from './durable-history.js';
import { encodeRecord, journalRecord } from './journal-format.js';
import { JournalWatch } from './journal-identity.js';
import { openJournal, type OpenedJournal } from './journal-open.js';
import { repairJournal } from './journal-repair.js';
import { writeSnapshotFile } from './snapshot-file.js';

export { META_FILE } from './journal-meta.js';
export { SNAPSHOT_FILE } from './snapshot-file.js';

export type JournalLogOptions = {
  /** Directory holding meta.json, events.jsonl and snapshot.json; created if missing. */
  dir: string;
  idempotencyWindowMs: number;
  /** The clock for the idempotency window (ms since the epoch); injectable for tests. */
  now?: () => number;
  logger?: LogSink;
  /**
   * How many events before the newest snapshot `read` can still serve (the rest stay in
   * the file but are not indexed). Everything after the snapshot is always readable.
   */
  retainEvents?: number;
};

/** Counters for tests and benchmarks: how well group commit is working. */
export type JournalStats = { appends: number; fsyncs: number; headSeq: number; indexedLines: number };

/** The embedded log, plus its counters. */
export type JournalLog = EventLog & { readonly kind: 'embedded'; stats(): JournalStats };

export const JOURNAL_FILE = 'events.jsonl';

/** Largest page a tail reads from the file at once. */
const TAIL_PAGE = 1000;

/** How often the journal's files are checked while no append checks them (JournalWatch). */
const IDENTITY_CHECK_MS = 1000;

/**
 * The embedded event log: one append-only file, every append fsynced before it resolves.
 *
 * The files and the jobs, each in its own module: opening the files (journal-open.ts),
 * the meta file with the epoch (journal-meta.ts), the journal's lines (journal-format.ts),
 * replay and its corruption checks (journal-replay.ts), the snapshot file
 * (snapshot-file.ts), group commit (group-commit.ts) and its repair after a failed write
 * (journal-repair.ts), the checks that the files are still the log (journal-identity.ts),
 * and what is on disk with the read index (durable-history.ts, line-index.ts). This module
 * checks and numbers appends and serves reads and tails.
 *
 * Appends are checked and numbered synchronously, then queued for group commit.
 *
 * Memory: the events after the snapshot are returned by `open` (the caller folds them);
 * afterwards the log keeps the last few thousand events, the command ids inside the
 * idempotency window, and an index (offset, first seq) of every journal line from
 * `retainEvents` before the newest snapshot onwards, which `read` uses to read the file.
 */
export function createJournalLog(options: JournalLogOptions): JournalLog {
  return new Journal(options);
}

class Journal implements JournalLog {
  readonly kind = 'embedded' as const;

  readonly #dir: string;
  readonly #journalPath: string;
  readonly #now: () => number;
  readonly #logger: LogSink;
  readonly #retain: number;
  readonly #commands: RecentCommands;
  readonly #commit: GroupCommit;
  readonly #history: DurableHistory;

  #epoch = '';
  #logId = '';
  #opened = false;
  #closed = false;
  /** Checks the files are still the ones opened; a journal replaced under the hub is lost. */
  #watch: JournalWatch | null = null;
  #lost: string | null = null;
  #writer: FileHandle | null = null;
  #reader: FileHandle | null = null;

  /** Last seq handed out, including appends not yet on disk (see DurableHistory for those). */
  #assignedHead = 0;
  /** Commands queued and not yet on disk: a retry racing its original waits for it. */
  #pendingByCommand = new Map<string, QueuedLine['done']>();

  #snapshotSeq = 0;
  #snapshotChain: Promise<void> = Promise.resolve();

  #tails = new Set<TailSubscriber>();
  #appends = 0;

  constructor(options: JournalLogOptions) {
    this.#dir = path.resolve(options.dir);
    this.#journalPath = path.join(this.#dir, JOURNAL_FILE);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogSink;
    this.#retain = options.retainEvents ?? 100_000;
    this.#commands = new RecentCommands(options.idempotencyWindowMs);
    this.#history = new DurableHistory(this.#journalPath, () => this.#requireReader());
    this.#commit = new GroupCommit({
      file: this.#journalPath,
      writer: () => this.#requireWriter(),
      written: (entry) => this.#history.written(entry.line, entry.events),
      discarded: (entry) => {
        const last = entry.events[entry.events.length - 1];
        if (last) this.#commands.forget(last.commandId, last.seq);
      },
      flushed: () => {
        for (const tail of this.#tails) tail.wake();
      },
      repair: () => this.#repair(),
      resumed: () => {
        // The refused appends' seqs are handed out again: the journal goes on from what is on disk.
        this.#assignedHead = this.#history.head;
      },
      logger: this.#logger,
    });
  }

  async open(): Promise<OpenedLog> {
    if (this.#opened) throw new Error('the journal is already open');
    this.#opened = true;
    let opened: OpenedJournal;
    try {
      opened = await openJournal({
        dir: this.#dir,
        journalPath: this.#journalPath,
        now: this.#now,
        history: this.#history,
        commands: this.#commands,
        logger: this.#logger,
      });
    } catch (error) {
      this.#closed = true;
      throw error;
    }
    ({ epoch: this.#epoch, logId: this.#logId, writer: this.#writer, reader: this.#reader } = opened);
    this.#watch = new JournalWatch(opened.identity, {
      durableSize: () => this.#history.size,
      done: () => this.#lost !== null || this.#closed,
      onLost: (problem) => {
        this.#lost = problem;
        this.#logger.error({ reason: problem, dir: this.#dir }, 'journal.lost');
      },
    });
    const { snapshot, events } = opened;
    this.#snapshotSeq = snapshot?.seq ?? 0;
    this.#commands.mapLater();
    this.#assignedHead = this.#history.head;
    this.#logger.info(
      {
        dir: this.#dir,
        headSeq: this.#history.head,
        snapshotSeq: snapshot?.seq ?? null,
        replayed: events.length,
      },
      'journal.opened',
    );
    this.#watch.start(IDENTITY_CHECK_MS);
    return { logId: this.#logId, epoch: this.#epoch, snapshot, events };
  }

  async appendBatch(
    expectedSeq: number,
    commands: readonly BatchCommand[],
    at: string,
  ): Promise<BatchOutcome> {
    this.#assertWritable();
    // Before anything is numbered: an append must never go into a file that is no longer
    // the log. Concurrent appends share one check and go on in the order they came.
    await this.#watch?.verify();
    this.#assertWritable();
    // Validated before it is written, so the file never holds what replay would refuse.
    const events = stampBatch(expectedSeq, commands, at);
    const t = this.#now();
    // Nothing to write, nothing to remember: a command without events changes nothing.
    const written = commands.flatMap((command, i) => {
      const own = events[i] ?? [];
      return own.length > 0
        ? [
            {
              commandId: command.commandId,
              sender: command.by.userId,
              payloadHash: command.payloadHash,
              events: own,
            },
          ]
        : [];
    });
    if (written.length === 0) return { status: 'appended', events };
    const seqs = new Map<string, number>();
    const idConflicts = new Set<string>();
    for (const command of written) {
      const known = this.#commands.get(command.commandId, t);
      if (!known) continue;
      if (isSameCommand(known, command)) seqs.set(command.commandId, known.seq);
      else idConflicts.add(command.commandId);
    }
    if (seqs.size > 0 || idConflicts.size > 0 || expectedSeq !== this.#assignedHead) {
      // Answered only once what the answer names is on disk: a retry racing its original
      // must not be told of a seq that a crash could still take back, and everything up to
      // the head the caller is told about can be read once it has the answer.
      const headSeq = this.#assignedHead;
      await this.#commit.allQueued();
      const missed = (this.#history.readRecent(expectedSeq, TAIL_PAGE) ?? []).filter((e) => e.seq <= headSeq);
      return seqs.size > 0 || idConflicts.size > 0
        ? { status: 'duplicate', seqs, idConflicts, headSeq, events: missed }
        : { status: 'conflict', headSeq, events: missed, retryAfterMs: 0 };
    }
    // One record per command, queued together: the flush loop writes them with one fsync.
    const done = deferred<null>();
    const lines: QueuedLine[] = [];
    for (const command of written) {
      const lastSeq = command.events[command.events.length - 1]?.seq ?? this.#assignedHead;
      lines.push({
        line: encodeRecord(journalRecord(command.commandId, t, command.payloadHash, command.events)),
        events: command.events,
        done,
      });
      this.#commands.remember(command.commandId, {
        seq: lastSeq,
        t,
        sender: command.sender,
        payloadHash: command.payloadHash,
      });
      this.#pendingByCommand.set(command.commandId, done);
      this.#assignedHead = lastSeq;
      this.#appends++;
    }
    this.#commit.enqueue(lines, done);
    try {
      await durable(done);
    } finally {
      for (const { commandId } of written)
        if (this.#pendingByCommand.get(commandId) === done) this.#pendingByCommand.delete(commandId);
    }
    return { status: 'appended', events };
  }

  async findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null> {
    this.#assertOpen();
    const known = this.#commands.get(commandId, this.#now());
    if (!known) return null;
    await durable(this.#pendingByCommand.get(commandId));
    return { seq: known.seq, sameCommand: isSameCommand(known, sent) };
  }

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    this.#assertOpen();
    const count = Math.floor(limit);
    if (count <= 0 || after >= this.#history.head) return [];
    return this.#history.readRecent(after, count) ?? this.#history.readFile(after, count);
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertOpen();
    const subscriber = new TailSubscriber(afterSeq, onEvents, {
      head: () => this.#history.head,
      readRecent: (after) => this.#history.readRecent(after, TAIL_PAGE),
      read: (after) => this.#history.readFile(after, TAIL_PAGE),
      // A lost journal delivers nothing more: what it would read is no longer the log.
      closed: () => this.#closed || this.#lost !== null,
      logger: this.#logger,
    });
    this.#tails.add(subscriber);
    subscriber.wake();
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    try {
      this.#assertWritable();
    } catch (error) {
      return Promise.reject(error);
    }
    const seq = snapshot.seq;
    if (seq > this.#history.head) {
      return Promise.reject(
        new Error(`cannot snapshot seq ${seq}: the journal ends at ${this.#history.head}`),
      );
    }
    // Captured now: the caller goes on folding events into the same state object. The
    // serialising happens chunk by chunk while the file is written.
    const captured = captureSnapshot(snapshot.state, snapshot.directory);
    const write = this.#snapshotChain.then(() => this.#writeSnapshot(seq, captured));
    this.#snapshotChain = write.catch(() => undefined);
    return write;
  }

  isHealthy(): boolean {
    return this.#opened && !this.#closed && this.#lost === null && this.#commit.failed === null;
  }

  lostReason(): string | null {
    return this.#lost;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watch?.stop();
    this.#tails.clear();
    // Appends already accepted finish (or fail), and probing stops, before the file is closed under them.
    await this.#commit.stop();
    await this.#snapshotChain;
    await this.#writer?.close();
    await this.#reader?.close();
    this.#writer = null;
    this.#reader = null;
  }

  stats(): JournalStats {
    return {
      appends: this.#appends,
      fsyncs: this.#commit.fsyncs,
      headSeq: this.#history.head,
      indexedLines: this.#history.index.length,
    };
  }

  async #writeSnapshot(seq: number, captured: CapturedSnapshot): Promise<void> {
    if (seq <= this.#snapshotSeq) return;
    const index = this.#history.index;
    const offset = this.#history.offsetOfSeq(seq + 1);
    if (offset === null) throw new Error(`cannot snapshot seq ${seq}: it is older than the retained history`);
    const historyStart = Math.max(1, seq - this.#retain + 1);
    const historyLine = Math.max(0, index.lineFor(historyStart));
    const historyOffset = Math.min(offset, index.offsetAt(historyLine) ?? offset);
    // Commands are read lazily while writing; those appended meanwhile are past `seq` and left out.
    await writeSnapshotFile(this.#dir, { epoch: this.#epoch, seq, offset, historyOffset }, captured, () =>
      this.#commands.entriesUpTo(this.#now(), seq),
    );
    this.#snapshotSeq = seq;
    index.dropBefore(historyLine);
  }

  /** After a failed write: the journal cut back and the disk proven (journal-repair.ts). */
  async #repair(): Promise<void> {
    // A file replaced under the hub is not to be cut or written: it is no longer the log.
    if (this.#lost !== null) throw new LogLostError(this.#lost);
    await repairJournal(this.#requireWriter(), this.#history.size, this.#dir);
  }

  // --- guards --------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new LogUnavailableError('the journal is closed');
    if (!this.#opened || !this.#reader) throw new Error('open() the journal first');
    if (this.#lost !== null) throw new LogLostError(this.#lost);
  }

  #assertWritable(): void {
    this.#assertOpen();
    const failed = this.#commit.failed;
    if (failed) throw new LogUnavailableError(`journal write failed earlier: ${failed.message}`);
  }

  #requireReader(): FileHandle {
    if (!this.#reader) throw new LogUnavailableError('the journal is closed');
    return this.#reader;
  }

  #requireWriter(): FileHandle {
    if (!this.#writer) throw new LogUnavailableError('the journal is closed');
    return this.#writer;
  }
}
