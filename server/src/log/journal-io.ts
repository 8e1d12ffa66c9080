import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { splitLines, type RawLine } from './journal-format.js';

const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Reads the lines of `file` between byte offsets `start` and `end` in chunks, so a large
 * journal is never held in memory whole. The last line may be unterminated (a torn write).
 */
export async function* readLines(file: FileHandle, start: number, end: number): AsyncGenerator<RawLine> {
  let position = start;
  let carry = Buffer.alloc(0);
  let carryOffset = start;
  while (position < end) {
    const size = Math.min(CHUNK_BYTES, end - position);
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(chunk, 0, size, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const buffer =
      carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const lines = splitLines(buffer, carryOffset);
    const last = lines[lines.length - 1];
    if (last && !last.terminated && position < end) {
      // The line goes on in the next chunk.
      carry = Buffer.from(last.bytes);
      carryOffset = last.offset;
      lines.pop();
    } else {
      carry = Buffer.alloc(0);
      carryOffset = position;
    }
    for (const line of lines) yield line;
  }
  if (carry.length > 0) yield { offset: carryOffset, bytes: carry, terminated: false };
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

/** Writes the whole buffer; a regular file may accept less than asked in one call. */
export async function writeAll(file: FileHandle, buffer: Buffer): Promise<void> {
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
 * never a mix: write a temp file, fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await writeAll(handle, Buffer.from(data, 'utf8'));
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
