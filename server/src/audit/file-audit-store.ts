import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AuditRecord } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import { writeAll } from '../log/journal/journal-io.js';
import { AuditBacklog, type AuditWriteOutcome } from './audit-backlog.js';
import { NewestWindow, matchesFilter, type AuditFilter, type AuditStore } from './audit-store.js';

/** The audit file in DATA_DIR. */
export const AUDIT_FILE = 'audit.jsonl';

/** Lines are written in batches at most this long after they were recorded. */
const FLUSH_EVERY_MS = 250;

/**
 * The embedded audit trail: one JSON record per line, appended. Lines are buffered and
 * written within a quarter of a second, not fsynced one by one: the journal is the record
 * of what happened; the audit trail says who tried what. While the disk refuses writes (it
 * is full) the records wait in memory (see AuditBacklog) and are written once it takes
 * them again.
 */
export async function openFileAuditStore(
  dir: string,
  logger: Logger,
  options: { maxHeld?: number } = {},
): Promise<AuditStore> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, AUDIT_FILE);
  // Read too: a file a crash cut short is found by its last byte.
  const handle: FileHandle = await open(file, 'a+');
  const appender = await fileAppender(handle);
  const backlog = new AuditBacklog({
    write: (records) => appender.write(records),
    logger,
    store: 'file',
    delayMs: FLUSH_EVERY_MS,
    maxHeld: options.maxHeld,
  });

  return {
    append(record) {
      backlog.push(record);
    },
    query(filter: AuditFilter) {
      return backlog.read(async (held) => {
        const window = new NewestWindow<AuditRecord>(filter.limit);
        const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
        for await (const line of lines) {
          if (!line) continue;
          const record = parseLine(line);
          if (record && matchesFilter(record, filter)) window.push(record);
        }
        // Not yet on disk, and newer than everything that is.
        for (const record of held) if (matchesFilter(record, filter)) window.push(record);
        return window.values();
      });
    },
    health: () => backlog.health(),
    async close() {
      await backlog.close();
      await handle.close();
    },
  };
}

/**
 * Appends whole lines only. A write the disk refused part-way is cut back to the last
 * whole line, so its records can be written again without a fragment before them; a file
 * a crash left without a final newline gets one before the first new line.
 */
async function fileAppender(handle: FileHandle) {
  let size = (await handle.stat()).size;
  let needsNewline = size > 0 && (await lastByte(handle, size)) !== 0x0a;
  return {
    async write(records: readonly AuditRecord[]): Promise<AuditWriteOutcome> {
      const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
      const chunk = Buffer.from(needsNewline ? `\n${text}` : text, 'utf8');
      try {
        await writeAll(handle, chunk);
      } catch (error) {
        try {
          await handle.truncate(size);
        } catch {
          // The fragment stays; a newline before the next line keeps it a line of its own.
          size = (await handle.stat().catch(() => ({ size }))).size;
          needsNewline = true;
        }
        return { unwritten: [...records], error: error as Error };
      }
      size += chunk.length;
      needsNewline = false;
      return { unwritten: [], error: null };
    },
  };
}

async function lastByte(handle: FileHandle, size: number): Promise<number | undefined> {
  const buffer = Buffer.alloc(1);
  await handle.read(buffer, 0, 1, size - 1);
  return buffer[0];
}

function parseLine(line: string): AuditRecord | null {
  try {
    const parsed = AuditRecord.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    // A line torn by a crash mid-write: skip it, keep the rest.
    return null;
  }
}
