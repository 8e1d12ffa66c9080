import { constants } from 'node:fs';
import { copyFile, open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LogSink } from '../log-sink.js';
import { safeJson } from '../safe-json.js';
import { BadLineError, decodeRecordHeader } from '../journal/journal-format.js';
import { fsyncDir, readLineBatches, writeAll } from '../journal/journal-io.js';
import { META_FILE } from '../journal/journal-meta.js';
import { corruptJournalError } from '../journal/journal-replay.js';
import { SNAPSHOT_FILE, readSnapshotFile } from '../journal/snapshot-file.js';
import { JOURNAL_FILE } from '../journal/journal-log.js';
import {
  BackupError,
  FileDigest,
  digestFile,
  entriesOf,
  identityOf,
  listed,
  restoredMeta,
  type FileEntry,
  type LogSummary,
  type Manifest,
} from './backup-manifest.js';

/** The audit file in DATA_DIR (audit/file-audit-store.ts), copied along with the log. */
export const AUDIT_FILE = 'audit.jsonl';

/** Names in an otherwise empty directory that a restore may ignore: a new volume's own. */
const IGNORED_IN_EMPTY_DIR = new Set(['lost+found']);

const NEWLINE = Buffer.from('\n', 'latin1');

/**
 * Takes a consistent copy of the embedded log in `dataDir` while its hub runs: the meta
 * file, then the snapshot, then the journal up to its last complete line, then the audit
 * file. Taken in that order, the snapshot never reaches past the journal copied after it
 * (the journal only grows, and a snapshot only names lines already on disk), so the copy
 * is the log as it was at one moment. Every event acknowledged before the backup began is
 * in the journal's copy: an acknowledgement comes after the fsync. The journal's size is
 * taken first, so that the manifest can say up to which seq that is (`headAtStart`); the
 * copy reaches further, to whatever was written while it ran. The lock file and the
 * sessions are not copied.
 */
export async function backupJournal(
  dataDir: string,
  target: string,
  logger: LogSink,
): Promise<Omit<Manifest, 'createdAt' | 'notIncluded'>> {
  const files: FileEntry[] = [];
  // Before anything else: every line acknowledged before the backup began ends within it.
  const sizeAtStart = await sizeOf(path.join(dataDir, JOURNAL_FILE));
  const metaText = await readRequired(path.join(dataDir, META_FILE), dataDir);
  const meta = safeJson(metaText);
  if (typeof meta !== 'object' || meta === null)
    throw new BackupError(`${META_FILE} in ${dataDir} is not JSON`);
  const identity = identityOf(meta as Record<string, unknown>);
  await copyFile(path.join(dataDir, META_FILE), path.join(target, META_FILE), constants.COPYFILE_EXCL);

  // copyFile opens the snapshot once: a newer one renamed over it meanwhile is not mixed in.
  let hasSnapshot = true;
  try {
    await copyFile(
      path.join(dataDir, SNAPSHOT_FILE),
      path.join(target, SNAPSHOT_FILE),
      constants.COPYFILE_EXCL,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    hasSnapshot = false;
  }

  const journal = await copyJournal(
    path.join(dataDir, JOURNAL_FILE),
    path.join(target, JOURNAL_FILE),
    sizeAtStart,
  );

  let snapshotSeq: number | null = null;
  if (hasSnapshot) {
    const loaded = await readSnapshotFile(
      target,
      identity.epoch,
      { file: path.join(target, JOURNAL_FILE), size: journal.entry.bytes },
      logger,
    );
    if (loaded) {
      snapshotSeq = loaded.seq;
    } else {
      // Unusable with this journal (it said why): the journal alone is the whole log.
      await rm(path.join(target, SNAPSHOT_FILE));
      hasSnapshot = false;
    }
  }

  const audit = await copyCompleteLines(path.join(dataDir, AUDIT_FILE), path.join(target, AUDIT_FILE));
  files.push(await digestFile(target, META_FILE));
  if (hasSnapshot) files.push(await digestFile(target, SNAPSHOT_FILE));
  files.push(journal.entry);
  if (audit) files.push(audit);
  await fsyncDir(target);

  const log: LogSummary = {
    ...identity,
    firstSeq: journal.head > 0 ? 1 : 0,
    headSeq: journal.head,
    eventCount: journal.head,
    snapshotSeq,
  };
  return {
    format: 'lagesbild-backup',
    version: 1,
    mode: 'embedded',
    source: dataDir,
    headAtStart: journal.headAtStart,
    log,
    files,
  };
}

/**
 * Copies the journal's complete, intact lines, checking the sequence as it goes. A line
 * being written right now (no newline yet, or not all its bytes) ends the copy; a bad line
 * followed by a good one is corruption, which a backup must not carry on silently. Also
 * returns the last seq of the lines that end within `sizeAtStart` bytes.
 */
async function copyJournal(
  source: string,
  target: string,
  sizeAtStart: number,
): Promise<{ entry: FileEntry; head: number; headAtStart: number }> {
  const reader = await openForReading(source, path.dirname(source));
  const writer = await open(target, 'wx');
  const digest = new FileDigest(JOURNAL_FILE);
  let head = 0;
  let headAtStart = 0;
  try {
    const size = (await reader.stat()).size;
    let bad: { offset: number; reason: string } | null = null;
    for await (const lines of readLineBatches(reader, 0, size)) {
      const good: Buffer[] = [];
      for (const line of lines) {
        let header: { firstSeq: number; count: number };
        try {
          if (!line.terminated) throw new BadLineError('line has no end');
          header = decodeRecordHeader(line.bytes);
        } catch (error) {
          bad ??= { offset: line.offset, reason: (error as Error).message };
          continue;
        }
        if (bad) throw corruptJournalError(source, bad.offset, `${bad.reason}, yet a valid record follows`);
        if (header.firstSeq !== head + 1) {
          throw corruptJournalError(
            source,
            line.offset,
            `expected seq ${head + 1}, found ${header.firstSeq}`,
          );
        }
        head = header.firstSeq + header.count - 1;
        if (line.offset + line.bytes.length + NEWLINE.length <= sizeAtStart) headAtStart = head;
        good.push(line.bytes, NEWLINE);
      }
      const chunk = Buffer.concat(good);
      digest.update(chunk);
      await writeAll(writer, chunk);
    }
    await writer.sync();
  } finally {
    await writer.close();
    await reader.close();
  }
  return { entry: digest.entry(), head, headAtStart };
}

/** Copies a line-per-record file up to its last newline; null when there is none. */
async function copyCompleteLines(source: string, target: string): Promise<FileEntry | null> {
  let reader: FileHandle;
  try {
    reader = await open(source, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const writer = await open(target, 'wx');
  const digest = new FileDigest(path.basename(target));
  try {
    const size = (await reader.stat()).size;
    for await (const lines of readLineBatches(reader, 0, size)) {
      const whole = lines.filter((line) => line.terminated).flatMap((line) => [line.bytes, NEWLINE]);
      const chunk = Buffer.concat(whole);
      digest.update(chunk);
      await writeAll(writer, chunk);
    }
    await writer.sync();
  } finally {
    await writer.close();
    await reader.close();
  }
  return digest.entry();
}

/**
 * Refuses a DATA_DIR that holds anything: a restore never overwrites or merges into a log.
 * A missing directory is fine (it is made).
 */
export async function assertEmptyDataDir(dataDir: string): Promise<void> {
  const present = (await entriesOf(dataDir))?.filter((name) => !IGNORED_IN_EMPTY_DIR.has(name)) ?? [];
  if (present.length > 0) {
    throw new BackupError(
      `Refused: DATA_DIR ${dataDir} is not empty (it holds ${listed(present)}). A restore only goes into an ` +
        'empty DATA_DIR, so it can never overwrite a log. Stop the hub, move that directory aside, and ' +
        'restore into a new one. Nothing was changed.',
    );
  }
}

/**
 * Writes a checked embedded backup into an empty DATA_DIR, made durable (fsynced, and the
 * directory too): the journal and audit file as they are, the meta file with a new epoch
 * (see restoredMeta). The snapshot stays out: it names the old epoch, so the hub would
 * ignore it; the journal holds the whole history, and the hub writes a new snapshot.
 * Returns the names written, so a failed check can remove them.
 */
export async function restoreJournalFiles(
  backupDir: string,
  manifest: Manifest,
  dataDir: string,
  epoch: string,
): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const { name } of manifest.files) {
      if (name === SNAPSHOT_FILE) continue;
      const target = path.join(dataDir, name);
      written.push(name);
      if (name === META_FILE) {
        const meta = safeJson(await readFile(path.join(backupDir, name), 'utf8'));
        if (typeof meta !== 'object' || meta === null)
          throw new BackupError(`${name} in the backup is not JSON`);
        await writeFile(target, JSON.stringify(restoredMeta(meta as Record<string, unknown>, epoch)), {
          flag: 'wx',
        });
      } else {
        await copyFile(path.join(backupDir, name), target, constants.COPYFILE_EXCL);
      }
      const handle = await open(target, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await fsyncDir(dataDir);
  } catch (error) {
    // A file that was there already is not ours to remove.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') written.pop();
    // Half a restore is no log: DATA_DIR is left empty again.
    await removeRestored(dataDir, written);
    throw error;
  }
  return written;
}

/** Removes the files a restore wrote, after its check failed: DATA_DIR is left empty again. */
export async function removeRestored(dataDir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await rm(path.join(dataDir, name), { force: true });
}

/** A file's size; 0 when it does not exist (the copy then says what is missing). */
async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function readRequired(file: string, dataDir: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(
        `DATA_DIR ${dataDir} holds no embedded log (there is no ${path.basename(file)}).`,
      );
    }
    throw error;
  }
}

async function openForReading(file: string, dataDir: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(
        `DATA_DIR ${dataDir} holds no embedded log (there is no ${path.basename(file)}).`,
      );
    }
    throw error;
  }
}
