import type { FileHandle } from 'node:fs/promises';
import type { StoredEvent } from '@lagesbild/shared';
import type { LogSink } from '../log-sink.js';
import type { RecentCommands } from '../recent-commands.js';
import { BadLineError, decodeRecord, decodeRecordHeader } from './journal-format.js';
import { readLineBatches } from './journal-io.js';
import type { LineIndex } from './line-index.js';
import type { LoadedSnapshot } from './snapshot-file.js';

/** The journal as start-up leaves it: the events to fold, the last seq and the file's valid end. */
export type Replayed = { events: StoredEvent[]; head: number; size: number };

/** What replay reads and fills. */
export type ReplaySource = {
  file: string;
  reader: FileHandle;
  /** Cuts a torn tail off; only called with a smaller size. */
  writer: FileHandle;
  /** The journal's size when it was opened. */
  size: number;
  snapshot: LoadedSnapshot | null;
  /** Gets every retained line, in file order. */
  index: LineIndex;
  /** Gets the snapshot's commands, then every replayed command, in order. */
  commands: RecentCommands;
  logger: LogSink;
};

/**
 * Indexes the retained history before the snapshot, then decodes everything after it.
 * A bad line followed only by bad lines is a torn write from a crash and is cut off; a
 * bad line followed by a good one is corruption, which no automatic repair may hide.
 */
export async function replayJournal(source: ReplaySource): Promise<Replayed> {
  const { file, reader, size, snapshot, index, commands } = source;
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
          throw corruptJournalError(file, line.offset, (error as Error).message);
        }
        if (expectedNext !== null && header.firstSeq !== expectedNext) {
          throw corruptJournalError(
            file,
            line.offset,
            `expected seq ${expectedNext}, found ${header.firstSeq}`,
          );
        }
        index.add(line.offset, header.firstSeq);
        expectedNext = header.firstSeq + header.count;
      }
    }
  }
  // The commands are listed now and mapped after start-up (see RecentCommands.restore);
  // the ones replayed below queue behind the snapshot's.
  commands.restore(snapshot?.commands ?? { ids: [], seqs: [], ts: [], senders: [], payloadHashes: [] });

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
        throw corruptJournalError(
          file,
          bad.offset,
          `${bad.reason}, yet a valid record follows at byte ${line.offset}`,
        );
      }
      const first = record.events[0]?.seq ?? 0;
      const last = first + record.events.length - 1;
      const fits =
        expectedNext !== null
          ? first === expectedNext
          : snapshot !== null && first <= snapshot.seq + 1 && last > snapshot.seq;
      if (!fits)
        throw corruptJournalError(
          file,
          line.offset,
          `expected seq ${expectedNext ?? (snapshot?.seq ?? 0) + 1}, found ${first}`,
        );
      index.add(line.offset, first);
      for (const event of record.events) if (event.seq > head) events.push(event);
      commands.remember(record.commandId, {
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
      `journal ${file} ends at seq ${expectedNext - 1} but the snapshot is at ${snapshot.seq}: ` +
        'events the snapshot includes are missing from the journal. Restore the journal from a backup.',
    );
  }
  if (bad) {
    await source.writer.truncate(validEnd);
    await source.writer.sync();
    source.logger.warn(
      { file, offset: validEnd, droppedBytes: size - validEnd, reason: bad.reason },
      'journal.tornTailTruncated',
    );
  }
  return { events, head, size: validEnd };
}

/** The error for a damaged line that is not a torn final write, with what the operator can do. */
export function corruptJournalError(file: string, offset: number, reason: string): Error {
  return new Error(
    `journal ${file} is corrupt at byte ${offset}: ${reason}. This is not a torn final write, ` +
      'so it is not repaired automatically. Restore the file from a backup; or, if it was damaged by a power ' +
      `loss during the last writes, keep what precedes it with \`truncate -s ${offset}\` (the events from that ` +
      'point on are then lost).',
  );
}
