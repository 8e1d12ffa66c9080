import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { safeJson } from '../safe-json.js';
import { writeFileAtomic } from '../journal/journal-io.js';

/** The file that describes a backup; written last, so a backup without it is incomplete. */
export const MANIFEST_FILE = 'manifest.json';

/** What a backup never holds, and why; printed by `backup` and kept in the manifest. */
export const NOT_IN_A_BACKUP = [
  'sessions: everyone signs in again after a restore',
  'the lock file (hub.lock): it names the process that owned the copied directory',
  'sign-in counters and pending OIDC sign-ins: they are short-lived',
];

/** Raised for a backup or restore that must not go ahead; the message says why and what to do. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

const FileEntry = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9.-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
/** One file of a backup with its size and checksum. */
export type FileEntry = z.infer<typeof FileEntry>;

/** Which log a backup holds, and how far it reaches. */
const LogSummary = z.strictObject({
  /** The log's id: set once when the log was created (a log from before ids: its first epoch). */
  logId: z.string().min(1),
  epoch: z.string().min(1),
  /** The first seq held (1, unless the Redis stream was trimmed behind a snapshot). */
  firstSeq: z.number().int().nonnegative(),
  headSeq: z.number().int().nonnegative(),
  eventCount: z.number().int().nonnegative(),
  snapshotSeq: z.number().int().nonnegative().nullable(),
});
export type LogSummary = z.infer<typeof LogSummary>;

/** The manifest of a backup directory. */
export const Manifest = z.strictObject({
  format: z.literal('lagesbild-backup'),
  version: z.literal(1),
  mode: z.enum(['embedded', 'redis']),
  createdAt: z.string(),
  /** Where it was taken from: DATA_DIR, or the Redis URL (password hidden) and key prefix. */
  source: z.string(),
  /** The log's head when the backup began: every event up to it is in the backup. */
  headAtStart: z.number().int().nonnegative(),
  log: LogSummary,
  /** Redis only: the key prefix the log was kept under (a restore may use another). */
  redis: z.strictObject({ keyPrefix: z.string() }).optional(),
  files: z.array(FileEntry),
  notIncluded: z.array(z.string()),
});
export type Manifest = z.infer<typeof Manifest>;

/** A running SHA-256 and byte count of what is written to one file. */
export class FileDigest {
  readonly #hash = createHash('sha256');
  #bytes = 0;

  constructor(readonly name: string) {}

  update(chunk: Buffer): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
  }

  entry(): FileEntry {
    return { name: this.name, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }
}

/** The size and SHA-256 of a file, read in a stream. */
export async function digestFile(dir: string, name: string): Promise<FileEntry> {
  const digest = new FileDigest(name);
  for await (const chunk of createReadStream(path.join(dir, name))) digest.update(chunk as Buffer);
  return digest.entry();
}

/**
 * Makes the backup directory, refusing one that holds anything: a backup never mixes its
 * files with an older backup's, whose manifest would then describe the wrong files.
 */
export async function prepareBackupDir(dir: string): Promise<void> {
  const present = await entriesOf(dir);
  if (present && present.length > 0) {
    throw new BackupError(
      `Refused: the backup directory ${dir} is not empty (it holds ${listed(present)}). ` +
        'Name a new or empty directory; a backup never overwrites another.',
    );
  }
  await mkdir(dir, { recursive: true });
}

/** Writes the manifest; last, so that its presence means the backup is complete. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Reads a backup's manifest and checks every file it lists against its size and checksum,
 * so that a damaged or incomplete backup is refused before anything is restored.
 */
export async function readCheckedBackup(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BackupError(
        `${dir} holds no complete backup: there is no ${MANIFEST_FILE} (a backup writes it last).`,
      );
    }
    throw error;
  }
  const parsed = Manifest.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new BackupError(
      `${path.join(dir, MANIFEST_FILE)} is not a Lägesbild backup manifest: ${z.prettifyError(parsed.error)}`,
    );
  }
  for (const expected of parsed.data.files) {
    let actual: FileEntry;
    try {
      actual = await digestFile(dir, expected.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new BackupError(`The backup in ${dir} is incomplete: ${expected.name} is missing.`);
    }
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
      throw new BackupError(
        `The backup in ${dir} is damaged: ${expected.name} has ${actual.bytes} bytes with SHA-256 ` +
          `${actual.sha256}, the manifest says ${expected.bytes} bytes with ${expected.sha256}. ` +
          'Nothing was restored.',
      );
    }
  }
  return parsed.data;
}

/** The names in `dir`, or null when it does not exist. */
export async function entriesOf(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new BackupError(`${dir} is a file, not a directory.`);
    throw error;
  }
}

/** A few names for a message. */
export function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** The id and epoch of a log from its meta fields (the journal's meta file, or the Redis meta hash). */
export function identityOf(fields: Record<string, unknown>): { logId: string; epoch: string } {
  const { epoch, logId } = fields;
  if (typeof epoch !== 'string' || epoch.length === 0) {
    throw new BackupError('the log has no epoch in its meta data: is it a Lägesbild log?');
  }
  // A log from before log ids: its epoch, the first, names it (as journal-meta.ts reads it).
  return { logId: typeof logId === 'string' && logId.length > 0 ? logId : epoch, epoch };
}

/**
 * The meta fields a restored log gets: the same log id, a new epoch. The restored history
 * ends at the backup's head, while clients may hold events after it that are gone; with a
 * new epoch they get the restored picture whole instead of merging theirs into it.
 */
export function restoredMeta<T extends Record<string, unknown>>(fields: T, epoch: string): T {
  const { logId } = identityOf(fields);
  return { ...fields, logId, epoch };
}

/** How a log is named in messages: its id and epoch. */
export function describeLog(log: Pick<LogSummary, 'logId' | 'epoch'>): string {
  return `log ${log.logId} (epoch ${log.epoch})`;
}
