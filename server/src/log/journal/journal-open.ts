import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { StoredEvent } from '@lagesbild/shared';
import type { Snapshot } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import type { RecentCommands } from '../recent-commands.js';
import type { DurableHistory } from './durable-history.js';
import { fsyncDir } from './journal-io.js';
import { JournalIdentity } from './journal-identity.js';
import { META_FILE, loadOrCreateIdentity } from './journal-meta.js';
import { replayJournal } from './journal-replay.js';
import { readSnapshotFile } from './snapshot-file.js';

/** The journal's files opened and replayed. */
export type OpenedJournal = {
  epoch: string;
  logId: string;
  writer: FileHandle;
  reader: FileHandle;
  snapshot: Snapshot | null;
  /** The events after the snapshot, for the caller to fold. */
  events: StoredEvent[];
  /** The files as they are after replay, for the checks before every append. */
  identity: JournalIdentity;
};

export type OpenJournalOptions = {
  dir: string;
  journalPath: string;
  now: () => number;
  /** Filled by replay: what is on disk, and the line index. */
  history: DurableHistory;
  /** Filled by replay: the command ids inside the idempotency window. */
  commands: RecentCommands;
  logger: LogSink;
};

/**
 * Opens the embedded log's files (made when missing): the meta file with the epoch, the
 * journal for appending and for reading, the snapshot if it is usable with this journal,
 * and replays the journal after it (journal-replay.ts refuses corruption and cuts a torn
 * tail). Closes what it opened when anything fails.
 */
export async function openJournal(options: OpenJournalOptions): Promise<OpenedJournal> {
  const { dir, journalPath, history, logger } = options;
  let writer: FileHandle | null = null;
  let reader: FileHandle | null = null;
  try {
    await mkdir(dir, { recursive: true });
    const { epoch, logId } = await loadOrCreateIdentity(dir, options.now);

    const created = !(await exists(journalPath));
    writer = await open(journalPath, 'a');
    if (created) await fsyncDir(dir);
    reader = await open(journalPath, 'r');
    const size = (await reader.stat()).size;

    const journal = { file: journalPath, size };
    const loaded = await readSnapshotFile(dir, epoch, journal, logger);
    const replayed = await replayJournal({
      ...journal,
      reader,
      writer,
      snapshot: loaded,
      index: history.index,
      commands: options.commands,
      logger,
    });
    history.opened(replayed);
    // After replay, which may have cut a torn tail: the size the checks compare with.
    const identity = await JournalIdentity.capture(path.join(dir, META_FILE), journalPath);
    return {
      epoch,
      logId,
      writer,
      reader,
      snapshot: loaded && { seq: loaded.seq, state: loaded.state, directory: loaded.directory },
      events: replayed.events,
      identity,
    };
  } catch (error) {
    await writer?.close();
    await reader?.close();
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
