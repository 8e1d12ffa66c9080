import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeAll } from './journal-io.js';

/** Written and removed by the probe after a failed write; never part of the journal. */
const PROBE_FILE = 'journal-probe.tmp';

/** What the probe writes: a few pages, more than a page or two of a nearly full disk holds. */
const PROBE_BYTES = 64 * 1024;

/**
 * After a failed write: cuts the journal back to its last whole line at `durableSize` (a
 * torn tail left in place would sit before the next appends, which replay rightly calls
 * corruption), then proves the disk in `dir` takes a write and an fsync again. Throws
 * while it does not.
 */
export async function repairJournal(writer: FileHandle, durableSize: number, dir: string): Promise<void> {
  await writer.truncate(durableSize);
  await writer.datasync();
  await probeDisk(path.join(dir, PROBE_FILE));
}

/** Writes and fsyncs PROBE_BYTES to `file`, then removes it; throws while the disk refuses. */
async function probeDisk(file: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(file, 'w');
    await writeAll(handle, Buffer.alloc(PROBE_BYTES, 0x2e));
    await handle.sync();
  } finally {
    await handle?.close().catch(() => undefined);
    await rm(file, { force: true });
  }
}
