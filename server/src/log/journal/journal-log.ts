import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  DirectoryState,
  parseStoredEvent,
  type Attribution,
  type EventDraft,
  type StoredEvent,
} from '@lagesbild/shared';
import { deferred, type Deferred } from '../deferred.js';
import {
  LogUnavailableError,
  isSameCommand,
  type AppendOutcome,
  type BatchCommand,
  type BatchOutcome,
  type CommandFingerprint,
  type CommandLookup,
  type EventLog,
  type OpenedLog,
  type Snapshot,
} from '../event-log.js';
import {
  BadLineError,
  decodeRecord,
  decodeRecordHeader,
  encodeRecord,
  splitLines,
  type JournalRecord,
} from './journal-format.js';
import { fsyncDir, readLineBatches, readRange, writeAll, writeFileAtomic } from './journal-io.js';
import {
  SnapshotDataError,
  SnapshotDecoder,
  SnapshotV1State,
  captureSnapshot,
  encodeSnapshot,
  isSnapshotV2,
  type CapturedSnapshot,
} from '../snapshot-codec.js';
import { silentLogSink, type LogSink } from '../log-sink.js';
import { RecentCommands, type CommandColumns } from '../recent-commands.js';
import { stampBatch } from '../stamp-batch.js';
import { TailSubscriber } from '../tail-subscriber.js';

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
export const SNAPSHOT_FILE = 'snapshot.json';
export const META_FILE = 'meta.json';

/** Events kept in memory for catch-up reads and tails; older ones are read from the file. */
const RECENT_EVENTS = 4096;
/** Largest page a tail reads from the file at once. */
const TAIL_PAGE = 1000;

const MetaFile = z.strictObject({ version: z.literal(1), epoch: z.uuid(), createdAt: z.string() });

/** Snapshot format 1: one JSON object, validated whole with the schemas. Still read. */
const SnapshotFile = z.strictObject({
  version: z.literal(1),
  epoch: z.string(),
  seq: z.number().int().min(0),
  /** Where the journal line holding event `seq + 1` starts (the file's end when none). */
  offset: z.number().int().min(0),
  /** Where the retained history (indexed for `read`) starts; at or before `offset`. */
  historyOffset: z.number().int().min(0),
  /**
   * [commandId, seq of its last event, appended at (ms)] within the idempotency window.
   * Format 1 predates stored senders and payload hashes: these commands match any sender.
   */
  commands: z.array(z.tuple([z.string(), z.number().int().positive(), z.number()])),
  state: SnapshotV1State,
  directory: DirectoryState,
});
type SnapshotFile = z.infer<typeof SnapshotFile>;
/** A snapshot as start-up uses it, whichever format it was read from. */
type LoadedSnapshot = Omit<SnapshotFile, 'version' | 'epoch' | 'commands'> & { commands: CommandColumns };

/** The header line of snapshot format 2 (see snapshot-codec.ts); the state follows in chunks. */
const SnapshotHeader = z.strictObject({
  version: z.literal(2),
  epoch: z.string(),
  seq: z.number().int().min(0),
  offset: z.number().int().min(0),
  historyOffset: z.number().int().min(0),
});
/**
 * The journal's table of commandId, seq of its last event, appended at (ms), sender and
 * payload hash (null when unknown), in a snapshot. Snapshots written before the last two
 * were stored have only the first three columns.
 */
const COMMANDS_TABLE = 'commands';
const COMMAND_COLUMNS = 5;

/**
 * The embedded event log: one append-only file, every append fsynced before it resolves.
 *
 * Appends are checked and numbered synchronously, queued, and written by one flush loop
 * that writes everything queued so far and fsyncs once (group commit). A write or fsync
 * error is terminal: what reached the disk is unknown, so the log refuses further appends
 * until the process restarts and replays the file.
 *
 * Memory: the events after the snapshot are returned by `open` (the caller folds them);
 * afterwards the log keeps the last RECENT_EVENTS events, the command ids inside the
 * idempotency window, and an index (offset, first seq) of every journal line from
 * `retainEvents` before the newest snapshot onwards, which `read` uses to read the file.
 */
export function createJournalLog(options: JournalLogOptions): JournalLog {
  return new Journal(options);
}

type QueuedAppend = { line: Buffer; events: StoredEvent[]; done: Deferred<null> };

class Journal implements JournalLog {
  readonly kind = 'embedded' as const;

  readonly #dir: string;
  readonly #journalPath: string;
  readonly #now: () => number;
  readonly #logger: LogSink;
  readonly #retain: number;
  readonly #commands: RecentCommands;

  #epoch = '';
  #opened = false;
  #closed = false;
  #failed: Error | null = null;
  #writer: FileHandle | null = null;
  #reader: FileHandle | null = null;

  /** Last seq handed out (including appends not yet on disk) and last seq on disk. */
  #assignedHead = 0;
  #durableHead = 0;
  #durableSize = 0;

  /** The read index: byte offset and first seq of each retained line, in file order. */
  #lineOffsets: number[] = [];
  #lineFirstSeqs: number[] = [];
  /** The newest durable events, contiguous up to #durableHead. */
  #recent: StoredEvent[] = [];

  #queue: QueuedAppend[] = [];
  #lastQueued: Deferred<null> | null = null;
  #pendingByCommand = new Map<string, Deferred<null>>();
  #flushing = false;
  #flushIdle: Deferred<null> | null = null;

  #snapshotSeq = 0;
  #snapshotChain: Promise<void> = Promise.resolve();

  #tails = new Set<TailSubscriber>();
  #appends = 0;
  #fsyncs = 0;

  constructor(options: JournalLogOptions) {
    this.#dir = path.resolve(options.dir);
    this.#journalPath = path.join(this.#dir, JOURNAL_FILE);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogSink;
    this.#retain = options.retainEvents ?? 100_000;
    this.#commands = new RecentCommands(options.idempotencyWindowMs);
  }

  async open(): Promise<OpenedLog> {
    if (this.#opened) throw new Error('the journal is already open');
    this.#opened = true;
    let snapshot: LoadedSnapshot | null;
    let events: StoredEvent[];
    try {
      await mkdir(this.#dir, { recursive: true });
      this.#epoch = await this.#loadOrCreateMeta();

      const created = !(await exists(this.#journalPath));
      this.#writer = await open(this.#journalPath, 'a');
      if (created) await fsyncDir(this.#dir);
      this.#reader = await open(this.#journalPath, 'r');
      const size = (await this.#reader.stat()).size;

      snapshot = await this.#loadSnapshot(size);
      events = await this.#replay(snapshot, size);
    } catch (error) {
      this.#closed = true;
      await this.#writer?.close();
      await this.#reader?.close();
      this.#writer = null;
      this.#reader = null;
      throw error;
    }

    this.#snapshotSeq = snapshot?.seq ?? 0;
    this.#commands.mapLater();
    this.#assignedHead = this.#durableHead;
    this.#recent = events.slice(-RECENT_EVENTS);
    this.#logger.info(
      {
        dir: this.#dir,
        headSeq: this.#durableHead,
        snapshotSeq: snapshot?.seq ?? null,
        replayed: events.length,
      },
      'journal.opened',
    );
    return {
      epoch: this.#epoch,
      snapshot: snapshot ? { seq: snapshot.seq, state: snapshot.state, directory: snapshot.directory } : null,
      events,
    };
  }

  async append(
    expectedSeq: number,
    commandId: string,
    drafts: readonly EventDraft[],
    at: string,
    by: Attribution,
    payloadHash: string | null,
  ): Promise<AppendOutcome> {
    this.#assertWritable();
    // Nothing to write, nothing to remember: repeating an empty command changes nothing.
    if (drafts.length === 0) return { status: 'appended', events: [] };
    const t = this.#now();
    const known = this.#commands.get(commandId, t);
    if (known) {
      // A retry racing its original: answer only once the original is on disk.
      await this.#durable(this.#pendingByCommand.get(commandId));
      const same = isSameCommand(known, { sender: by.userId, payloadHash });
      return { status: same ? 'duplicate' : 'id_conflict', seq: known.seq };
    }
    if (expectedSeq !== this.#assignedHead) {
      // Everything up to the head the caller is told about can be read once we answer.
      const headSeq = this.#assignedHead;
      await this.#durable(this.#lastQueued);
      return { status: 'conflict', headSeq };
    }
    // Validated before it is written, so the file never holds what replay would refuse.
    const events = drafts.map((draft, i) =>
      parseStoredEvent({
        seq: expectedSeq + i + 1,
        type: draft.type,
        at,
        by,
        commandId,
        payload: draft.payload,
      }),
    );
    const lastSeq = expectedSeq + events.length;
    const done = deferred<null>();
    this.#queue.push({ line: encodeRecord(journalRecord(commandId, t, payloadHash, events)), events, done });
    this.#lastQueued = done;
    this.#assignedHead = lastSeq;
    this.#commands.remember(commandId, { seq: lastSeq, t, sender: by.userId, payloadHash });
    this.#pendingByCommand.set(commandId, done);
    this.#appends++;
    this.#startFlush();
    try {
      await this.#durable(done);
    } finally {
      if (this.#pendingByCommand.get(commandId) === done) this.#pendingByCommand.delete(commandId);
    }
    return { status: 'appended', events };
  }

  async appendBatch(
    expectedSeq: number,
    commands: readonly BatchCommand[],
    at: string,
  ): Promise<BatchOutcome> {
    this.#assertWritable();
    const events = stampBatch(expectedSeq, commands, at);
    const t = this.#now();
    // As for append: a command without events is neither written nor remembered.
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
      // Answered only once what the answer names is on disk (see append).
      const headSeq = this.#assignedHead;
      await this.#durable(this.#lastQueued);
      const missed = (this.#readRecent(expectedSeq, TAIL_PAGE) ?? []).filter((e) => e.seq <= headSeq);
      return seqs.size > 0 || idConflicts.size > 0
        ? { status: 'duplicate', seqs, idConflicts, headSeq, events: missed }
        : { status: 'conflict', headSeq, events: missed, retryAfterMs: 0 };
    }
    // One record per command, queued together: the flush loop writes them with one fsync.
    const done = deferred<null>();
    for (const command of written) {
      const lastSeq = command.events[command.events.length - 1]?.seq ?? this.#assignedHead;
      this.#queue.push({
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
    this.#lastQueued = done;
    this.#startFlush();
    try {
      await this.#durable(done);
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
    await this.#durable(this.#pendingByCommand.get(commandId));
    return { seq: known.seq, sameCommand: isSameCommand(known, sent) };
  }

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    this.#assertOpen();
    const count = Math.floor(limit);
    if (count <= 0 || after >= this.#durableHead) return [];
    const recent = this.#readRecent(after, count);
    if (recent) return recent;
    return this.#readFile(after, count);
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertOpen();
    const subscriber = new TailSubscriber(afterSeq, onEvents, {
      head: () => this.#durableHead,
      readRecent: (after) => this.#readRecent(after, TAIL_PAGE),
      read: (after) => this.#readFile(after, TAIL_PAGE),
      closed: () => this.#closed,
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
    if (seq > this.#durableHead) {
      return Promise.reject(
        new Error(`cannot snapshot seq ${seq}: the journal ends at ${this.#durableHead}`),
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
    return this.#opened && !this.#closed && this.#failed === null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#tails.clear();
    // Appends already accepted finish (or fail) before the file is closed under them.
    if (this.#flushIdle) await this.#flushIdle.promise;
    await this.#snapshotChain;
    await this.#writer?.close();
    await this.#reader?.close();
    this.#writer = null;
    this.#reader = null;
  }

  stats(): JournalStats {
    return {
      appends: this.#appends,
      fsyncs: this.#fsyncs,
      headSeq: this.#durableHead,
      indexedLines: this.#lineOffsets.length,
    };
  }

  // --- opening -------------------------------------------------------------------------

  async #loadOrCreateMeta(): Promise<string> {
    const file = path.join(this.#dir, META_FILE);
    const text = await readIfExists(file);
    if (text !== null) {
      const meta = MetaFile.safeParse(safeJson(text));
      if (!meta.success) throw new Error(`${file} is not a valid journal meta file: ${meta.error.message}`);
      return meta.data.epoch;
    }
    const epoch = randomUUID();
    const meta: z.infer<typeof MetaFile> = {
      version: 1,
      epoch,
      createdAt: new Date(this.#now()).toISOString(),
    };
    await writeFileAtomic(file, JSON.stringify(meta));
    return epoch;
  }

  /** The snapshot if there is a usable one; a bad one is ignored in favour of a full replay. */
  async #loadSnapshot(journalSize: number): Promise<LoadedSnapshot | null> {
    const file = path.join(this.#dir, SNAPSHOT_FILE);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let loaded: { epoch: string; snapshot: LoadedSnapshot } | { problem: string };
    try {
      const size = (await handle.stat()).size;
      const start = await readRange(handle, 0, Math.min(size, 16));
      loaded = isSnapshotV2(start)
        ? await this.#readSnapshotV2(handle, size)
        : this.#parseSnapshotV1((await readRange(handle, 0, size)).toString('utf8'));
    } finally {
      await handle.close();
    }
    if ('problem' in loaded || loaded.epoch !== this.#epoch) {
      // The journal holds the whole history, so it alone is enough; only slower.
      const problem =
        'problem' in loaded
          ? loaded.problem
          : `belongs to epoch ${loaded.epoch}, the journal to ${this.#epoch}`;
      this.#logger.warn({ file, problem }, 'journal.snapshotIgnored: replaying the whole journal instead');
      return null;
    }
    const snapshot = loaded.snapshot;
    if (snapshot.offset > journalSize || snapshot.historyOffset > snapshot.offset) {
      throw new Error(
        `${file} points to byte ${snapshot.offset} of ${this.#journalPath}, which has only ${journalSize} bytes: ` +
          'events the snapshot includes are missing from the journal. Restore the journal from a backup.',
      );
    }
    return snapshot;
  }

  /**
   * Format 2, read line by line: the checksum over every line stands for the schemas (the
   * file is ours, written from a state folded from validated events); the header and the
   * structure are still checked.
   */
  async #readSnapshotV2(
    handle: FileHandle,
    size: number,
  ): Promise<{ epoch: string; snapshot: LoadedSnapshot } | { problem: string }> {
    const decoder = new SnapshotDecoder();
    try {
      for await (const lines of readLineBatches(handle, 0, size)) {
        for (const line of lines) {
          if (!line.terminated) throw new SnapshotDataError('the last line has no end');
          decoder.push(line.bytes);
        }
      }
      const decoded = decoder.finish();
      const header = SnapshotHeader.safeParse(decoded.header);
      if (!header.success) return { problem: `invalid header: ${header.error.message.slice(0, 500)}` };
      const commands = commandColumns(decoded.tables.get(COMMANDS_TABLE) ?? [[], [], [], [], []]);
      if (!commands) return { problem: 'invalid table of commands' };
      if (decoded.tables.size > (decoded.tables.has(COMMANDS_TABLE) ? 1 : 0))
        return { problem: 'unknown tables' };
      const { epoch, seq, offset, historyOffset } = header.data;
      return {
        epoch,
        snapshot: {
          seq,
          offset,
          historyOffset,
          commands,
          state: decoded.state,
          directory: decoded.directory,
        },
      };
    } catch (error) {
      if (error instanceof SnapshotDataError) return { problem: `invalid: ${error.message}` };
      throw error;
    }
  }

  /** Format 1: one JSON object, validated whole. */
  #parseSnapshotV1(text: string): { epoch: string; snapshot: LoadedSnapshot } | { problem: string } {
    const parsed = SnapshotFile.safeParse(safeJson(text));
    if (!parsed.success) return { problem: `invalid: ${parsed.error.message.slice(0, 500)}` };
    const { version: _version, epoch, commands, ...rest } = parsed.data;
    const columns: CommandColumns = {
      ids: commands.map((c) => c[0]),
      seqs: commands.map((c) => c[1]),
      ts: commands.map((c) => c[2]),
    };
    return { epoch, snapshot: { ...rest, commands: columns } };
  }

  /**
   * Indexes the retained history before the snapshot, then decodes everything after it.
   * A bad line followed only by bad lines is a torn write from a crash and is cut off; a
   * bad line followed by a good one is corruption, which no automatic repair may hide.
   */
  async #replay(snapshot: LoadedSnapshot | null, size: number): Promise<StoredEvent[]> {
    const reader = this.#requireReader();
    const start = snapshot?.offset ?? 0;
    let expectedNext: number | null = snapshot ? null : 1;

    if (snapshot) {
      for await (const lines of readLineBatches(reader, snapshot.historyOffset, start)) {
        for (const line of lines) {
          let header: { firstSeq: number; count: number };
          try {
            if (!line.terminated) throw new BadLineError('line has no end');
            header = decodeRecordHeader(line.bytes);
          } catch (error) {
            throw this.#corrupt(line.offset, (error as Error).message);
          }
          if (expectedNext !== null && header.firstSeq !== expectedNext) {
            throw this.#corrupt(line.offset, `expected seq ${expectedNext}, found ${header.firstSeq}`);
          }
          this.#indexLine(line.offset, header.firstSeq);
          expectedNext = header.firstSeq + header.count;
        }
      }
    }
    // The commands are listed now and mapped after start-up (see RecentCommands.restore);
    // the ones replayed below queue behind the snapshot's.
    this.#commands.restore(
      snapshot?.commands ?? { ids: [], seqs: [], ts: [], senders: [], payloadHashes: [] },
    );

    const events: StoredEvent[] = [];
    let head = snapshot ? snapshot.seq : 0;
    let bad: { offset: number; reason: string } | null = null;
    let validEnd = start;
    for await (const lines of readLineBatches(reader, start, size)) {
      for (const line of lines) {
        let record;
        try {
          if (!line.terminated) throw new BadLineError('line has no end');
          record = decodeRecord(line.bytes);
        } catch (error) {
          bad ??= { offset: line.offset, reason: (error as Error).message };
          continue;
        }
        if (bad) {
          throw this.#corrupt(bad.offset, `${bad.reason}, yet a valid record follows at byte ${line.offset}`);
        }
        const first = record.events[0]?.seq ?? 0;
        const last = first + record.events.length - 1;
        const fits =
          expectedNext !== null
            ? first === expectedNext
            : snapshot !== null && first <= snapshot.seq + 1 && last > snapshot.seq;
        if (!fits)
          throw this.#corrupt(
            line.offset,
            `expected seq ${expectedNext ?? (snapshot?.seq ?? 0) + 1}, found ${first}`,
          );
        this.#indexLine(line.offset, first);
        for (const event of record.events) if (event.seq > head) events.push(event);
        this.#commands.remember(record.commandId, {
          seq: last,
          t: record.t,
          // Every event of a record carries its command's attribution.
          sender: record.events[0]?.by.userId ?? null,
          payloadHash: record.h ?? null,
        });
        head = Math.max(head, last);
        expectedNext = last + 1;
        validEnd = line.offset + line.bytes.length + 1;
      }
    }

    if (snapshot && expectedNext !== null && expectedNext - 1 < snapshot.seq) {
      throw new Error(
        `journal ${this.#journalPath} ends at seq ${expectedNext - 1} but the snapshot is at ${snapshot.seq}: ` +
          'events the snapshot includes are missing from the journal. Restore the journal from a backup.',
      );
    }
    if (bad) {
      const writer = this.#requireWriter();
      await writer.truncate(validEnd);
      await writer.sync();
      this.#logger.warn(
        { file: this.#journalPath, offset: validEnd, droppedBytes: size - validEnd, reason: bad.reason },
        'journal.tornTailTruncated',
      );
    }
    this.#durableHead = head;
    this.#durableSize = validEnd;
    return events;
  }

  #corrupt(offset: number, reason: string): Error {
    return new Error(
      `journal ${this.#journalPath} is corrupt at byte ${offset}: ${reason}. This is not a torn final write, ` +
        'so it is not repaired automatically. Restore the file from a backup; or, if it was damaged by a power ' +
        `loss during the last writes, keep what precedes it with \`truncate -s ${offset}\` (the events from that ` +
        'point on are then lost).',
    );
  }

  // --- writing -------------------------------------------------------------------------

  #startFlush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    this.#flushIdle = deferred<null>();
    void this.#flushLoop();
  }

  async #flushLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        if (this.#failed) {
          this.#rejectAll(batch, this.#failed);
          continue;
        }
        try {
          const writer = this.#requireWriter();
          const only = batch.length === 1 ? batch[0] : undefined;
          await writeAll(writer, only ? only.line : Buffer.concat(batch.map((b) => b.line)));
          // fdatasync covers the file size too, which is all an append changes besides data.
          await writer.datasync();
          this.#fsyncs++;
        } catch (error) {
          this.#failed = error instanceof Error ? error : new Error(String(error));
          this.#logger.error(
            { err: this.#failed.message, file: this.#journalPath },
            'journal.writeFailed: refusing appends until the hub restarts and replays the journal',
          );
          this.#rejectAll(batch, this.#failed);
          continue;
        }
        for (const entry of batch) {
          this.#indexLine(this.#durableSize, entry.events[0]?.seq ?? this.#durableHead + 1);
          this.#durableSize += entry.line.length;
          this.#durableHead += entry.events.length;
          this.#pushRecent(entry.events);
        }
        for (const entry of batch) entry.done.resolve(null);
        for (const tail of this.#tails) tail.wake();
      }
    } finally {
      this.#flushing = false;
      this.#flushIdle?.resolve(null);
    }
  }

  #rejectAll(batch: QueuedAppend[], cause: Error): void {
    for (const entry of batch)
      entry.done.reject(new LogUnavailableError(`journal write failed: ${cause.message}`));
  }

  /** Waits until an append is on disk; its failure becomes the caller's LogUnavailableError. */
  async #durable(done: Deferred<null> | null | undefined): Promise<void> {
    if (!done) return;
    await done.promise;
  }

  async #writeSnapshot(seq: number, captured: CapturedSnapshot): Promise<void> {
    if (seq <= this.#snapshotSeq) return;
    const offset = this.#offsetOfSeq(seq + 1);
    if (offset === null) throw new Error(`cannot snapshot seq ${seq}: it is older than the retained history`);
    const historyStart = Math.max(1, seq - this.#retain + 1);
    const historyLine = Math.max(0, this.#lineIndexFor(historyStart));
    const historyOffset = Math.min(offset, this.#lineOffsets[historyLine] ?? offset);
    const header: z.infer<typeof SnapshotHeader> = {
      version: 2,
      epoch: this.#epoch,
      seq,
      offset,
      historyOffset,
    };
    // Read lazily while writing; commands appended meanwhile are past `seq` and left out.
    const commands = {
      name: COMMANDS_TABLE,
      columns: COMMAND_COLUMNS,
      rows: () => this.#commands.entriesUpTo(this.#now(), seq),
    };
    await writeFileAtomic(path.join(this.#dir, SNAPSHOT_FILE), encodeSnapshot(header, captured, [commands]));
    this.#snapshotSeq = seq;
    if (historyLine > 0) {
      this.#lineOffsets.splice(0, historyLine);
      this.#lineFirstSeqs.splice(0, historyLine);
    }
  }

  // --- reading -------------------------------------------------------------------------

  #indexLine(offset: number, firstSeq: number): void {
    this.#lineOffsets.push(offset);
    this.#lineFirstSeqs.push(firstSeq);
  }

  /** Index of the last retained line whose first seq is at or below `seq`, or -1. */
  #lineIndexFor(seq: number): number {
    let lo = 0;
    let hi = this.#lineFirstSeqs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#lineFirstSeqs[mid] ?? Infinity) <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Where the line holding `seq` starts; the end of the file for the next seq to come. */
  #offsetOfSeq(seq: number): number | null {
    if (seq > this.#durableHead) return this.#durableSize;
    const i = this.#lineIndexFor(seq);
    return i < 0 ? null : (this.#lineOffsets[i] ?? null);
  }

  #pushRecent(events: StoredEvent[]): void {
    for (const event of events) this.#recent.push(event);
    if (this.#recent.length > 2 * RECENT_EVENTS) this.#recent.splice(0, this.#recent.length - RECENT_EVENTS);
  }

  /** Events after `after` from memory, or null when memory does not reach back that far. */
  #readRecent(after: number, limit: number): StoredEvent[] | null {
    const first = this.#recent[0];
    if (!first || after + 1 < first.seq) return after >= this.#durableHead ? [] : null;
    const start = after + 1 - first.seq;
    return this.#recent.slice(start, start + limit);
  }

  /**
   * Reads events after `after` from the file via the line index. When the index does not
   * reach back to `after + 1`, the page starts at the oldest retained event: the caller
   * sees the jump in seq and must not treat it as contiguous.
   */
  async #readFile(after: number, limit: number): Promise<StoredEvent[]> {
    const reader = this.#requireReader();
    if (this.#lineOffsets.length === 0 || after >= this.#durableHead) return [];
    const from = after + 1;
    const firstLine = Math.max(0, this.#lineIndexFor(from));
    const startSeq = Math.max(from, this.#lineFirstSeqs[firstLine] ?? from);
    const endLine = this.#lineIndexFor(startSeq + limit - 1) + 1;
    const start = this.#lineOffsets[firstLine] ?? 0;
    const end = this.#lineOffsets[endLine] ?? this.#durableSize;
    let buffer: Buffer;
    try {
      buffer = await readRange(reader, start, end);
    } catch (error) {
      throw new LogUnavailableError(`journal read failed: ${(error as Error).message}`);
    }
    const out: StoredEvent[] = [];
    for (const line of splitLines(buffer, start)) {
      let record;
      try {
        record = decodeRecord(line.bytes);
      } catch (error) {
        throw this.#corrupt(line.offset, (error as Error).message);
      }
      for (const event of record.events) {
        if (event.seq >= from && out.length < limit) out.push(event);
      }
    }
    return out;
  }

  // --- guards --------------------------------------------------------------------------

  #assertOpen(): void {
    if (this.#closed) throw new LogUnavailableError('the journal is closed');
    if (!this.#opened || !this.#reader) throw new Error('open() the journal first');
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#failed) throw new LogUnavailableError(`journal write failed earlier: ${this.#failed.message}`);
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

/**
 * The command table of a format-2 snapshot, if each column holds what it should: three
 * columns from before senders and payload hashes were stored, or all five.
 */
function commandColumns(table: unknown[][]): CommandColumns | null {
  const [ids, seqs, ts, senders, payloadHashes] = table;
  if ((table.length !== 3 && table.length !== COMMAND_COLUMNS) || !ids || !seqs || !ts) return null;
  if (!ids.every((id) => typeof id === 'string')) return null;
  if (!seqs.every((seq) => Number.isSafeInteger(seq) && (seq as number) > 0)) return null;
  if (!ts.every((t) => Number.isFinite(t))) return null;
  const columns: CommandColumns = { ids: ids as string[], seqs: seqs as number[], ts: ts as number[] };
  if (!senders || !payloadHashes) return columns;
  const stringOrNull = (value: unknown) => value === null || typeof value === 'string';
  if (!senders.every(stringOrNull) || !payloadHashes.every(stringOrNull)) return null;
  return {
    ...columns,
    senders: senders as (string | null)[],
    payloadHashes: payloadHashes as (string | null)[],
  };
}

/** A journal line's record; the payload hash only when there is one (see JournalRecord). */
function journalRecord(
  commandId: string,
  t: number,
  payloadHash: string | null,
  events: StoredEvent[],
): JournalRecord {
  return payloadHash === null ? { commandId, t, events } : { commandId, t, h: payloadHash, events };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
