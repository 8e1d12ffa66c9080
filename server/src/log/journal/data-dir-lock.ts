import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The lock file in DATA_DIR naming the process that owns the embedded log. */
export const LOCK_FILE = 'hub.lock';

/**
 * `dir` is the inode of the directory the lock was taken in (absent in locks of older
 * hubs): a lock copied with the directory (a backup, `cp -a`) on the same host names
 * another directory and says nothing about who uses this one. Only on the same host: a
 * shared volume (NFS and the like) may show one directory under different inode numbers
 * to different clients, so another host's lock naming another inode may still be live.
 */
const LockFile = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  since: z.string(),
  dir: z.number().int().nonnegative().optional(),
});
type LockFile = z.infer<typeof LockFile>;

/** Raised when another live process owns the data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    message: string,
    readonly owner: LockFile | null,
  ) {
    super(message);
  }
}

/** Directories this process holds, so a lock naming our own pid is told apart from a stale one. */
const held = new Set<string>();

/**
 * Takes the embedded log's lock: one process at a time may append to the journal, or two
 * writers would interleave lines and both believe they own the next sequence numbers. A
 * lock left by a process that died (same host, pid gone) is taken over; one from another
 * host (a container sharing the volume) cannot be checked and is refused, whatever inode it
 * names. A lock copied along with the directory on this host (it names another directory's
 * inode) is taken over too.
 *
 * Resolves to a function that releases the lock.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const dirInode = (await stat(dir)).ino;
  const mine: LockFile = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    dir: dirInode,
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(mine));
      await handle.close();
      held.add(file);
      return async () => {
        held.delete(file);
        const current = await readOwner(file);
        if (current?.pid === mine.pid && current.host === mine.host)
          await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner && !isCopied(owner, dirInode) && !isStale(owner, file)) {
      throw new DataDirLockedError(
        `The data directory ${dir} is in use by process ${owner.pid} on ${owner.host} (since ${owner.since}). ` +
          `If no hub runs there, delete ${file}.`,
        owner,
      );
    }
    // An unreadable lock may be one another process is writing right now.
    if (!owner && (await ageMs(file)) < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    // Dead owner, a lock copied from another directory, or a torn lock file: take it over.
    await unlink(file).catch(() => undefined);
  }
  throw new DataDirLockedError(`Could not take the lock ${file}; another process keeps taking it`, null);
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return Infinity;
  }
}

async function readOwner(file: string): Promise<LockFile | null> {
  try {
    const parsed = LockFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A lock copied along with its directory on this host (see LockFile). */
function isCopied(owner: LockFile, dirInode: number): boolean {
  return owner.host === hostname() && owner.dir !== undefined && owner.dir !== dirInode;
}

function isStale(owner: LockFile, file: string): boolean {
  if (owner.host !== hostname()) return false;
  // In a container the hub is often pid 1 after every restart: our own pid is stale
  // unless this very process took the lock.
  if (owner.pid === process.pid) return !held.has(file);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
