import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DirectoryState } from '@lagesbild/shared';
import type { Snapshot } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import type { CommandColumns, CommandRow } from '../recent-commands.js';
import { safeJson } from '../safe-json.js';
import {
  SnapshotDataError,
  SnapshotDecoder,
  SnapshotV1State,
  encodeSnapshot,
  isSnapshotV2,
  type CapturedSnapshot,
} from '../snapshot-codec.js';
import { readLineBatches, readRange, writeFileAtomic } from './journal-io.js';

export const SNAPSHOT_FILE = 'snapshot.json';

/** Snapshot format 1: one JSON object, validated whole with the schemas. Still read. */
const SnapshotFileV1 = z.strictObject({
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

/** The header line of snapshot format 2 (see snapshot-codec.ts); the state follows in chunks. */
const SnapshotHeader = z.strictObject({
  version: z.literal(2),
  epoch: z.string(),
  seq: z.number().int().min(0),
  offset: z.number().int().min(0),
  historyOffset: z.number().int().min(0),
});
/** What the journal writes in a snapshot's header besides the format version. */
export type SnapshotPosition = Omit<z.infer<typeof SnapshotHeader>, 'version'>;

/**
 * The journal's table of commandId, seq of its last event, appended at (ms), sender and
 * payload hash (null when unknown), in a snapshot. Snapshots written before the last two
 * were stored have only the first three columns.
 */
const COMMANDS_TABLE = 'commands';
const COMMAND_COLUMNS = 5;

/** A snapshot as start-up uses it, whichever format it was read from. */
export type LoadedSnapshot = Snapshot & { offset: number; historyOffset: number; commands: CommandColumns };

type ReadSnapshot = { epoch: string; snapshot: LoadedSnapshot } | { problem: string };

/**
 * Writes the snapshot file (format 2) so that a crash leaves the old one or the new one.
 * `commands` is read lazily while the file is written, chunk by chunk.
 */
export function writeSnapshotFile(
  dir: string,
  position: SnapshotPosition,
  captured: CapturedSnapshot,
  commands: () => Iterable<CommandRow>,
): Promise<void> {
  const header: z.infer<typeof SnapshotHeader> = { version: 2, ...position };
  const table = { name: COMMANDS_TABLE, columns: COMMAND_COLUMNS, rows: commands };
  return writeFileAtomic(path.join(dir, SNAPSHOT_FILE), encodeSnapshot(header, captured, [table]));
}

/**
 * The snapshot in `dir` if there is a usable one for this journal; a bad one, one of
 * another epoch, or one that points past the journal's end (a copy that took the journal
 * first) is ignored with a warning in favour of a full replay of the journal.
 */
export async function readSnapshotFile(
  dir: string,
  epoch: string,
  journal: { file: string; size: number },
  logger: LogSink,
): Promise<LoadedSnapshot | null> {
  const file = path.join(dir, SNAPSHOT_FILE);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let loaded: ReadSnapshot;
  try {
    const size = (await handle.stat()).size;
    const start = await readRange(handle, 0, Math.min(size, 16));
    loaded = isSnapshotV2(start)
      ? await readSnapshotV2(handle, size)
      : parseSnapshotV1((await readRange(handle, 0, size)).toString('utf8'));
  } finally {
    await handle.close();
  }
  if ('problem' in loaded || loaded.epoch !== epoch) {
    // The journal holds the whole history, so it alone is enough; only slower.
    const problem =
      'problem' in loaded ? loaded.problem : `belongs to epoch ${loaded.epoch}, the journal to ${epoch}`;
    logger.warn({ file, problem }, 'journal.snapshotIgnored: replaying the whole journal instead');
    return null;
  }
  const snapshot = loaded.snapshot;
  if (snapshot.offset > journal.size || snapshot.historyOffset > snapshot.offset) {
    // A copy of DATA_DIR that took the journal before the snapshot has a snapshot newer
    // than its journal. The journal alone is a consistent prefix of the log, so it is
    // opened as such; the events after its end are not in this copy.
    logger.warn(
      {
        file,
        snapshotSeq: snapshot.seq,
        offset: snapshot.offset,
        journalBytes: journal.size,
        problem: `points to byte ${snapshot.offset} of ${journal.file}, which has only ${journal.size} bytes`,
      },
      'journal.snapshotIgnored: the snapshot is newer than the journal (a copy taken journal first?); ' +
        'opening the journal alone, without the events after its end',
    );
    return null;
  }
  return snapshot;
}

/**
 * Format 2, read line by line: the checksum over every line stands for the schemas (the
 * file is ours, written from a state folded from validated events); the header and the
 * structure are still checked.
 */
async function readSnapshotV2(handle: FileHandle, size: number): Promise<ReadSnapshot> {
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
      snapshot: { seq, offset, historyOffset, commands, state: decoded.state, directory: decoded.directory },
    };
  } catch (error) {
    if (error instanceof SnapshotDataError) return { problem: `invalid: ${error.message}` };
    throw error;
  }
}

/** Format 1: one JSON object, validated whole. */
function parseSnapshotV1(text: string): ReadSnapshot {
  const parsed = SnapshotFileV1.safeParse(safeJson(text));
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
