import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { safeJson } from '../safe-json.js';
import { writeFileAtomic } from './journal-io.js';

export const META_FILE = 'meta.json';

/**
 * The journal's meta file: the log id names the log, the epoch its history for the
 * clients. Files from before log ids have no `logId`: their epoch, the first, is their id.
 */
const MetaFile = z.strictObject({
  version: z.literal(1),
  logId: z.uuid().optional(),
  epoch: z.uuid(),
  createdAt: z.string(),
});

/** A log's identity: its id and its epoch. */
export type LogIdentity = { logId: string; epoch: string };

/**
 * The identity of the journal in `dir`, read from its meta file, or a new one written to a
 * new meta file when there is none (a new log's id is its first epoch). A meta file that
 * does not parse stops the opening: a new epoch would make every client drop its state.
 */
export async function loadOrCreateIdentity(dir: string, now: () => number): Promise<LogIdentity> {
  const file = path.join(dir, META_FILE);
  const text = await readIfExists(file);
  if (text !== null) {
    const meta = MetaFile.safeParse(safeJson(text));
    if (!meta.success) throw new Error(`${file} is not a valid journal meta file: ${meta.error.message}`);
    return { logId: meta.data.logId ?? meta.data.epoch, epoch: meta.data.epoch };
  }
  const epoch = randomUUID();
  const meta: z.infer<typeof MetaFile> = {
    version: 1,
    logId: epoch,
    epoch,
    createdAt: new Date(now()).toISOString(),
  };
  await writeFileAtomic(file, JSON.stringify(meta));
  return { logId: epoch, epoch };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
