import { createClient } from 'redis';
import { z } from 'zod';
import { withTimeout } from '../with-timeout.js';
import { RedisCalls } from '../redis/redis-calls.js';
import { redactUrl } from '../redis/redis-preflight.js';
import { BackupError } from './backup-manifest.js';

/** The files of a Redis backup. The events are kept in the journal's own line format. */
export const REDIS_BACKUP_FILES = {
  meta: 'meta.json',
  events: 'events.jsonl',
  snapshotState: 'snapshot-state.bin',
  snapshotDirectory: 'snapshot-directory.bin',
  commands: 'commands.jsonl',
  audit: 'audit-stream.jsonl',
} as const;

/** Where a Redis backup is taken from or restored into. */
export type RedisTarget = { url: string; keyPrefix: string; timeoutMs: number };

/** Keys per DEL while removing a failed restore's keys. */
const DELETE_BATCH = 500;

const ScanReply = z.tuple([z.string(), z.array(z.string())]);

/** A connected client with bounded calls; `close` always releases it. */
export async function connect(
  target: RedisTarget,
): Promise<{ calls: RedisCalls; close: () => Promise<void> }> {
  const client: ReturnType<typeof createClient> = createClient({
    url: target.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: target.timeoutMs, reconnectStrategy: false },
  });
  let lastError: Error | null = null;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await withTimeout(client.connect(), target.timeoutMs, 'connecting');
  } catch (error) {
    client.destroy();
    const reason = (lastError ?? (error as Error)).message;
    throw new BackupError(`Cannot reach Redis at ${redactUrl(target.url)}: ${reason}`);
  }
  return {
    calls: new RedisCalls(client, target.timeoutMs),
    close: async () => {
      try {
        await withTimeout(client.close(), target.timeoutMs, 'closing');
      } catch {
        client.destroy();
      }
    },
  };
}

/** Every key matching `pattern` under it, page by page. */
export async function* scan(calls: RedisCalls, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [nextCursor, keys] = ScanReply.parse(
      await calls.call(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000'], 'SCAN'),
    );
    if (keys.length > 0) yield keys;
    cursor = nextCursor;
  } while (cursor !== '0');
}

/** Redis glob patterns treat these as special; a key prefix may contain them. */
export const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** Deletes keys, ignoring failures: used to leave a prefix empty again after a failed restore. */
export async function removeKeys(calls: RedisCalls, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    await calls.call(['DEL', ...keys.slice(i, i + DELETE_BATCH)], 'DEL').catch(() => undefined);
  }
}
