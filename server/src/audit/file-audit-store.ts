import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AuditRecord } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import { NewestWindow, matchesFilter, type AuditFilter, type AuditStore } from './audit-store.js';

/** The audit file in DATA_DIR. */
export const AUDIT_FILE = 'audit.jsonl';

/** Lines are written in batches at most this long after they were recorded. */
const FLUSH_EVERY_MS = 250;

/**
 * The embedded audit trail: one JSON record per line, appended. Lines are buffered and
 * written within a quarter of a second, not fsynced one by one: the journal is the record
 * of what happened; the audit trail says who tried what.
 */
export async function openFileAuditStore(dir: string, logger: Logger): Promise<AuditStore> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, AUDIT_FILE);
  const handle: FileHandle = await open(file, 'a');
  let buffer: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffer.length === 0) return writing;
    const chunk = buffer.join('');
    buffer = [];
    writing = writing
      .then(() => handle.appendFile(chunk))
      .catch((error: unknown) => logger.error({ err: (error as Error).message }, 'audit write failed'));
    return writing;
  };

  return {
    append(record) {
      if (closed) return;
      buffer.push(`${JSON.stringify(record)}\n`);
      timer ??= setTimeout(() => void flush(), FLUSH_EVERY_MS);
    },
    async query(filter: AuditFilter) {
      await flush();
      const window = new NewestWindow<AuditRecord>(filter.limit);
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const record = parseLine(line);
        if (record && matchesFilter(record, filter)) window.push(record);
      }
      return window.values();
    },
    async close() {
      closed = true;
      await flush();
      await handle.close();
    },
  };
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
