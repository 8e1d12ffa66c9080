import type { FileHandle } from 'node:fs/promises';
import type { StoredEvent } from '@lagesbild/shared';
import { LogUnavailableError } from '../event-log.js';
import { decodeRecord, splitLines } from './journal-format.js';
import { readRange } from './journal-io.js';
import { corruptJournalError } from './journal-replay.js';
import { LineIndex } from './line-index.js';

/** Events kept in memory for catch-up reads and tails; older ones are read from the file. */
const RECENT_EVENTS = 4096;

/**
 * What of the journal is on disk, and reading it back: the last durable seq and the
 * file's size, the newest events in memory, and the line index for older ones.
 */
export class DurableHistory {
  readonly index = new LineIndex();
  /** The last seq on disk. */
  head = 0;
  /** Where the next line will start. */
  size = 0;
  /** The newest durable events, contiguous up to `head`. */
  #recent: StoredEvent[] = [];

  constructor(
    private readonly file: string,
    private readonly reader: () => FileHandle,
  ) {}

  /** Takes what replay found: the events after the snapshot, the last seq and the valid end. */
  opened(replayed: { events: StoredEvent[]; head: number; size: number }): void {
    this.head = replayed.head;
    this.size = replayed.size;
    this.#recent = replayed.events.slice(-RECENT_EVENTS);
  }

  /** Records a line that is now on disk, right after the previous one. */
  written(line: Buffer, events: StoredEvent[]): void {
    this.index.add(this.size, events[0]?.seq ?? this.head + 1);
    this.size += line.length;
    this.head += events.length;
    for (const event of events) this.#recent.push(event);
    if (this.#recent.length > 2 * RECENT_EVENTS) this.#recent.splice(0, this.#recent.length - RECENT_EVENTS);
  }

  /** Where the line holding `seq` starts; the end of the file for the next seq to come. */
  offsetOfSeq(seq: number): number | null {
    if (seq > this.head) return this.size;
    const i = this.index.lineFor(seq);
    return i < 0 ? null : (this.index.offsetAt(i) ?? null);
  }

  /** Events after `after` from memory, or null when memory does not reach back that far. */
  readRecent(after: number, limit: number): StoredEvent[] | null {
    const first = this.#recent[0];
    if (!first || after + 1 < first.seq) return after >= this.head ? [] : null;
    const start = after + 1 - first.seq;
    return this.#recent.slice(start, start + limit);
  }

  /**
   * Reads events after `after` from the file via the line index. When the index does not
   * reach back to `after + 1`, the page starts at the oldest retained event: the caller
   * sees the jump in seq and must not treat it as contiguous.
   */
  async readFile(after: number, limit: number): Promise<StoredEvent[]> {
    const reader = this.reader();
    const index = this.index;
    if (index.length === 0 || after >= this.head) return [];
    const from = after + 1;
    const firstLine = Math.max(0, index.lineFor(from));
    const startSeq = Math.max(from, index.firstSeqAt(firstLine) ?? from);
    const endLine = index.lineFor(startSeq + limit - 1) + 1;
    const start = index.offsetAt(firstLine) ?? 0;
    const end = index.offsetAt(endLine) ?? this.size;
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
        throw corruptJournalError(this.file, line.offset, (error as Error).message);
      }
      for (const event of record.events) {
        if (event.seq >= from && out.length < limit) out.push(event);
      }
    }
    return out;
  }
}
