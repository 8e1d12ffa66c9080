import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { splitLines, type RawLine } from './journal-format.js';

const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Reads the lines of `file` between byte offsets `start` and `end` in chunks, so a large
 * journal is never held in memory whole. The last line may be unterminated (a torn write).
 */
export async function* readLines(file: FileHandle, start: number, end: number): AsyncGenerator<RawLine> {
  for await (const lines of readLineBatches(file, start, end)) yield* lines;
}

/**
 * `readLines` one chunk of lines at a time, which costs one await per chunk instead of one
 * per line. A line cut by the end of a chunk is read again from its start with the next
 * chunk (rather than copying the chunk onto what is left of it); a line longer than a
 * chunk is read with a larger one.
 */
export async function* readLineBatches(
  file: FileHandle,
  start: number,
  end: number,
): AsyncGenerator<RawLine[]> {
  let position = start;
  let chunkBytes = CHUNK_BYTES;
  while (position < end) {
    const size = Math.min(chunkBytes, end - position);
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(chunk, 0, size, position);
    if (bytesRead === 0) break;
    const lines = splitLines(chunk.subarray(0, bytesRead), position);
    const last = lines[lines.length - 1];
    if (last && !last.terminated && position + bytesRead < end) {
      // The line goes on past this chunk.
      lines.pop();
      if (lines.length === 0) {
        chunkBytes *= 2;
        continue;
      }
      position = last.offset;
    } else {
      position += bytesRead;
    }
    chunkBytes = CHUNK_BYTES;
    yield lines;
  }
}

/** Reads exactly the bytes [start, end) of a file. */
export async function readRange(file: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(end - start);
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await file.read(buffer, done, buffer.length - done, start + done);
    if (bytesRead === 0) throw new Error(`journal ended at byte ${start + done}, expected ${end}`);
    done += bytesRead;
  }
  return buffer;
}

/** Where `writeAll` writes: an open file, or a test's stand-in for one that fails. */
export type ByteSink = {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
};

/** Writes the whole buffer; a regular file may accept less than asked in one call. */
export async function writeAll(file: ByteSink, buffer: Buffer): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await file.write(buffer, done, buffer.length - done);
    done += bytesWritten;
  }
}

/** Makes a file's creation, rename or removal in `dir` itself durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `data` so that a crash leaves either the old or the new content,
 * never a mix: write a temp file, fsync it, rename it over, fsync the directory. `data`
 * may come in pieces, each written (and the event loop released) before the next is made.
 * `mode` sets the file's permissions (default 0o666 less the umask).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Iterable<Buffer>,
  options: { mode?: number } = {},
): Promise<void> {
  const temp = `${file}.tmp`;
  // `mode` applies to a newly created temp file, so the renamed file has it from the start.
  const handle = await open(temp, 'w', options.mode);
  try {
    if (typeof data === 'string') await writeAll(handle, Buffer.from(data, 'utf8'));
    else for (const piece of data) await writeAll(handle, piece);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  await fsyncDir(path.dirname(file));
}
