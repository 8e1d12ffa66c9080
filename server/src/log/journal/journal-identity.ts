import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { LogUnavailableError } from '../event-log.js';

/** What identifies a file on disk: the same inode on the same device. */
type FileId = { dev: number; ino: number };

/** What of the meta file must not change while a hub has the journal open. */
type MetaStamp = FileId & { size: number; mtimeMs: number };

const sameFile = (a: FileId, b: FileId): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Whether the journal's files are still the ones the hub opened. Nothing but the hub
 * writes them while it runs (the data directory is locked), so a meta file that changed
 * or vanished, a journal file that was replaced (another inode at its path) or that is
 * shorter than what the hub knows is on disk, means the log was replaced under the hub (a
 * restore into a running hub's DATA_DIR, a volume swapped or remounted): the hub must stop
 * serving rather than append to a file that is no longer the log. Two `stat` calls, no
 * reading: cheap enough to run before every append.
 */
export class JournalIdentity {
  private constructor(
    private readonly metaFile: string,
    private readonly journalFile: string,
    private readonly meta: MetaStamp,
    private readonly journal: FileId,
  ) {}

  /** Records the files as they are now, right after the journal was opened and replayed. */
  static async capture(metaFile: string, journalFile: string): Promise<JournalIdentity> {
    const [meta, journal] = await Promise.all([stat(metaFile), stat(journalFile)]);
    return new JournalIdentity(metaFile, journalFile, metaStamp(meta), fileId(journal));
  }

  /**
   * Why the files are no longer the journal that was opened, or null while they are.
   * `durableSize` is how much of the journal the hub knows to be on disk. Rejects with
   * LogUnavailableError when the files cannot be looked at (an I/O error, a volume gone
   * stale): that says nothing about whose files they are, and the append waits for a retry.
   */
  async problem(durableSize: number): Promise<string | null> {
    const [meta, journal] = await Promise.all([statIfExists(this.metaFile), statIfExists(this.journalFile)]);
    if (meta === null) return `${this.metaFile} is gone: the journal was removed or replaced under the hub`;
    const now = metaStamp(meta);
    if (!sameFile(now, this.meta) || now.size !== this.meta.size || now.mtimeMs !== this.meta.mtimeMs) {
      return `${this.metaFile} changed under the hub: the journal was replaced`;
    }
    if (journal === null) return `${this.journalFile} is gone: the journal was removed under the hub`;
    if (!sameFile(fileId(journal), this.journal)) {
      return `${this.journalFile} was replaced by another file under the hub`;
    }
    if (journal.size < durableSize) {
      return `${this.journalFile} shrank to ${journal.size} bytes under the hub, which wrote ${durableSize}`;
    }
    return null;
  }
}

/** What a JournalWatch needs from its journal. */
export type WatchedJournal = {
  /** How much of the journal is known to be on disk. */
  durableSize: () => number;
  /** Lost or closed already: nothing more to check. */
  done: () => boolean;
  /** The files are no longer the journal: called once, with why. */
  onLost: (problem: string) => void;
};

/**
 * Runs a journal's identity checks: before every append, and every `everyMs` while no
 * append does. Callers at the same time share one check, so concurrent appends cost one
 * pair of `stat` calls, and a slow disk never piles checks up.
 */
export class JournalWatch {
  #pending: Promise<void> | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly identity: JournalIdentity,
    private readonly journal: WatchedJournal,
  ) {}

  /** Resolves once checked (LogUnavailableError when the files could not be looked at). */
  verify(): Promise<void> {
    if (this.journal.done()) return Promise.resolve();
    this.#pending ??= this.identity
      .problem(this.journal.durableSize())
      .then((problem) => {
        if (problem !== null && !this.journal.done()) this.journal.onLost(problem);
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }

  start(everyMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.verify().catch(() => undefined), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

const fileId = (stats: Stats): FileId => ({ dev: stats.dev, ino: stats.ino });

const metaStamp = (stats: Stats): MetaStamp => ({
  ...fileId(stats),
  size: stats.size,
  mtimeMs: stats.mtimeMs,
});

async function statIfExists(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LogUnavailableError(`cannot check the journal's file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
