import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from 'redis';
import { z } from 'zod';
import type { StoredEvent } from '@lagesbild/shared';
import { safeJson } from '../safe-json.js';
import { withTimeout } from '../with-timeout.js';
import { BadLineError, decodeRecord, encodeRecord } from '../journal/journal-format.js';
import { fsyncDir, readLineBatches, writeAll } from '../journal/journal-io.js';
import { RedisCalls } from '../redis/redis-calls.js';
import { redactUrl } from '../redis/redis-preflight.js';
import { EVENT_FIELD, entryId, parseXRange } from '../redis/redis-stream.js';
import {
  BackupError,
  FileDigest,
  digestFile,
  identityOf,
  listed,
  restoredMeta,
  type FileEntry,
  type Manifest,
} from './backup-manifest.js';

/** The files of a Redis backup. The events are kept in the journal's own line format. */
export const REDIS_BACKUP_FILES = {
  meta: 'meta.json',
  events: 'events.jsonl',
  snapshotState: 'snapshot-state.bin',
  snapshotDirectory: 'snapshot-directory.bin',
  commands: 'commands.jsonl',
  audit: 'audit-stream.jsonl',
} as const;

/** Entries per XRANGE page: large enough for few round trips, small enough for one reply. */
const PAGE = 5000;
/** Commands sent together (node-redis pipelines them) while restoring. */
const RESTORE_BATCH = 500;
/** How often a backup starts over when a snapshot trimmed the stream under it. */
const ATTEMPTS = 5;

export type RedisTarget = { url: string; keyPrefix: string; timeoutMs: number };

/** The keys of one region's log (see redis-log.ts), its idempotency keys and its audit stream. */
function keysOf(prefix: string) {
  return {
    events: `${prefix}events`,
    head: `${prefix}head`,
    meta: `${prefix}meta`,
    snapshot: `${prefix}snapshot`,
    audit: `${prefix}audit`,
    cmdPrefix: `${prefix}cmd:`,
  };
}

const SeqText = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));
const Flat = z.array(z.string());
/** HGETALL answers a map (RESP3) or a flat [field, value, …] list (RESP2). */
const HashReply = z.union([
  z.record(z.string(), z.string()),
  Flat.transform((flat) => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] ?? ''] = flat[i + 1] ?? '';
    return out;
  }),
]);
const ScanReply = z.tuple([z.string(), Flat]);
const SnapshotHash = z.tuple([
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
]);
const AuditEntries = z.array(z.tuple([z.string(), Flat]));
const CommandLine = z.strictObject({ key: z.string().min(1), value: z.string(), ttlMs: z.number().int() });
const AuditLine = z.strictObject({ id: z.string().regex(/^\d+-\d+$/), r: z.string() });

/** A connected client with bounded calls; `close` always releases it. */
async function connect(target: RedisTarget): Promise<{ calls: RedisCalls; close: () => Promise<void> }> {
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

/**
 * Backs up one region's Redis log while hubs append to it, through the same keys the hub
 * uses: the meta hash (identity), the snapshot, the stream up to the head read after the
 * snapshot, the idempotency keys and the audit stream. The head is read first: every event
 * up to it (everything acknowledged before the backup began) is in the backup. A snapshot
 * stored meanwhile may trim the stream under the copy; then the copy starts over.
 */
export async function backupRedis(
  target: RedisTarget,
  dir: string,
): Promise<Omit<Manifest, 'createdAt' | 'notIncluded'>> {
  const keys = keysOf(target.keyPrefix);
  const { calls, close } = await connect(target);
  try {
    const meta = HashReply.parse(await calls.call(['HGETALL', keys.meta], 'HGETALL meta'));
    if (Object.keys(meta).length === 0) {
      throw new BackupError(
        `Redis at ${redactUrl(target.url)} holds no Lägesbild log under the key prefix "${target.keyPrefix}" ` +
          '(no meta hash). Check REDIS_URL and REDIS_KEY_PREFIX.',
      );
    }
    const identity = identityOf(meta);
    const headAtStart = await readHead(calls, keys.head);

    let copied: Awaited<ReturnType<typeof copyStreamOnce>> | null = null;
    for (let attempt = 1; attempt <= ATTEMPTS && !copied; attempt++) {
      copied = await copyStreamOnce(calls, keys, dir);
    }
    if (!copied) {
      throw new BackupError(
        `Snapshots kept trimming the stream ${keys.events} under the backup ${ATTEMPTS} times; try again, ` +
          'or raise LOG_RETAIN_EVENTS.',
      );
    }

    const files: FileEntry[] = [];
    await writeFile(path.join(dir, REDIS_BACKUP_FILES.meta), `${JSON.stringify(meta)}\n`);
    files.push(await digestFile(dir, REDIS_BACKUP_FILES.meta));
    files.push(copied.events);
    if (copied.snapshot) {
      await writeFile(path.join(dir, REDIS_BACKUP_FILES.snapshotState), copied.snapshot.state);
      await writeFile(path.join(dir, REDIS_BACKUP_FILES.snapshotDirectory), copied.snapshot.directory);
      files.push(await digestFile(dir, REDIS_BACKUP_FILES.snapshotState));
      files.push(await digestFile(dir, REDIS_BACKUP_FILES.snapshotDirectory));
    }
    files.push(await copyCommands(calls, keys.cmdPrefix, dir));
    files.push(await copyAudit(calls, keys.audit, dir));
    await fsyncDir(dir);

    return {
      format: 'lagesbild-backup',
      version: 1,
      mode: 'redis',
      source: `${redactUrl(target.url)} ${target.keyPrefix}`,
      headAtStart,
      log: {
        ...identity,
        firstSeq: copied.firstSeq,
        headSeq: copied.head,
        eventCount: copied.count,
        snapshotSeq: copied.snapshot?.seq ?? null,
      },
      redis: { keyPrefix: target.keyPrefix },
      files,
    };
  } finally {
    await close();
  }
}

async function readHead(calls: RedisCalls, key: string): Promise<number> {
  const reply = z
    .string()
    .nullable()
    .parse(await calls.call(['GET', key], 'GET head'));
  return reply === null ? 0 : SeqText.parse(reply);
}

type SnapshotCopy = { seq: number; state: Buffer; directory: Buffer };

/**
 * One try at the snapshot and the stream up to the head read after it. Null when the
 * stream no longer reaches back to the snapshot (a newer snapshot trimmed it meanwhile).
 */
async function copyStreamOnce(
  calls: RedisCalls,
  keys: ReturnType<typeof keysOf>,
  dir: string,
): Promise<{
  snapshot: SnapshotCopy | null;
  head: number;
  firstSeq: number;
  count: number;
  events: FileEntry;
} | null> {
  const [seqBytes, state, directory] = SnapshotHash.parse(
    await calls.callForBytes(['HMGET', keys.snapshot, 'seq', 'state', 'directory'], 'HMGET snapshot'),
  );
  const snapshot =
    seqBytes && state && directory
      ? { seq: SeqText.parse(seqBytes.toString('latin1')), state, directory }
      : null;
  const head = await readHead(calls, keys.head);
  const from = snapshot?.seq ?? 0;

  const writer = await open(path.join(dir, REDIS_BACKUP_FILES.events), 'w');
  const digest = new FileDigest(REDIS_BACKUP_FILES.events);
  const records = new RecordWriter(writer, digest);
  let firstSeq = 0;
  let next = 0;
  try {
    let start = '-';
    while (next <= head && head > 0) {
      const page = parseXRange(
        await calls.call(['XRANGE', keys.events, start, entryId(head), 'COUNT', String(PAGE)], 'XRANGE'),
      );
      const first = page[0];
      if (!first) break;
      if (next === 0) {
        // The stream may begin anywhere up to just after the snapshot (older history trimmed).
        if (first.seq > from + 1) return null;
        firstSeq = first.seq;
        next = first.seq;
      }
      for (const event of page) {
        if (event.seq !== next) return null;
        await records.add(event);
        next++;
      }
      start = entryId(next);
      if (page.length < PAGE) break;
    }
    await records.finish();
    await writer.sync();
  } finally {
    await writer.close();
  }
  const last = next === 0 ? from : next - 1;
  if (last !== head) {
    throw new BackupError(
      `The Redis log is inconsistent: its head is ${head} but the stream ${keys.events} ends at ${last}. ` +
        'Keys were deleted or evicted; this log cannot be backed up whole.',
    );
  }
  return { snapshot, head, firstSeq, count: next === 0 ? 0 : next - firstSeq, events: digest.entry() };
}

/** Writes a stream's events as journal lines, one per command (its events are consecutive). */
class RecordWriter {
  #events: StoredEvent[] = [];

  constructor(
    private readonly writer: FileHandle,
    private readonly digest: FileDigest,
  ) {}

  async add(event: StoredEvent): Promise<void> {
    if (this.#events[0] && this.#events[0].commandId !== event.commandId) await this.finish();
    this.#events.push(event);
  }

  async finish(): Promise<void> {
    const first = this.#events[0];
    if (!first) return;
    const t = Date.parse(first.at);
    const line = encodeRecord({
      commandId: first.commandId,
      t: Number.isFinite(t) ? t : 0,
      events: this.#events,
    });
    this.#events = [];
    this.digest.update(line);
    await writeAll(this.writer, line);
  }
}

/** Every key matching `pattern` under it, page by page. */
async function* scan(calls: RedisCalls, pattern: string): AsyncGenerator<string[]> {
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
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** The idempotency keys with their values and time to live, so resends stay duplicates. */
async function copyCommands(calls: RedisCalls, cmdPrefix: string, dir: string): Promise<FileEntry> {
  const lines: string[] = [];
  for await (const keys of scan(calls, `${globEscape(cmdPrefix)}*`)) {
    const found = await Promise.all(
      keys.map(async (key) => {
        const value = await calls.call(['GET', key], 'GET cmd');
        const ttl = await calls.call(['PTTL', key], 'PTTL cmd');
        return { key: key.slice(cmdPrefix.length), value, ttl };
      }),
    );
    for (const { key, value, ttl } of found) {
      // Gone meanwhile (-2), or not a string: nothing to keep.
      if (typeof value !== 'string' || typeof ttl !== 'number' || ttl === -2) continue;
      lines.push(`${JSON.stringify({ key, value, ttlMs: ttl })}\n`);
    }
  }
  await writeFile(path.join(dir, REDIS_BACKUP_FILES.commands), lines.join(''));
  return digestFile(dir, REDIS_BACKUP_FILES.commands);
}

/** The audit stream with its entry ids, which are the records' times (see redis-audit-store.ts). */
async function copyAudit(calls: RedisCalls, key: string, dir: string): Promise<FileEntry> {
  const writer = await open(path.join(dir, REDIS_BACKUP_FILES.audit), 'w');
  const digest = new FileDigest(REDIS_BACKUP_FILES.audit);
  try {
    let start = '-';
    for (;;) {
      const page = AuditEntries.parse(
        await calls.call(['XRANGE', key, start, '+', 'COUNT', String(PAGE)], 'XRANGE audit'),
      );
      const text = page
        .map(([id, fields]) => {
          const at = fields.indexOf('r');
          const r = at >= 0 ? fields[at + 1] : undefined;
          return r === undefined ? '' : `${JSON.stringify({ id, r })}\n`;
        })
        .join('');
      const chunk = Buffer.from(text, 'utf8');
      digest.update(chunk);
      await writeAll(writer, chunk);
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) break;
      start = `(${last[0]}`;
    }
    await writer.sync();
  } finally {
    await writer.close();
  }
  return digest.entry();
}

/**
 * Refuses a Redis that holds any key under the prefix: a restore never overwrites or merges
 * into a log. Hubs started on it meanwhile would have created keys: they must be stopped.
 */
export async function assertEmptyRedis(target: RedisTarget): Promise<void> {
  const { calls, close } = await connect(target);
  try {
    for await (const keys of scan(calls, `${globEscape(target.keyPrefix)}*`)) {
      throw new BackupError(
        `Refused: Redis at ${redactUrl(target.url)} already holds keys under the prefix "${target.keyPrefix}" ` +
          `(${listed(keys)}). A restore only goes into an empty Redis (or an unused prefix), so it can never ` +
          'overwrite a log. Stop every hub of this region, then FLUSHALL a Redis of its own, or delete the ' +
          "prefix's keys, and restore again. Nothing was changed.",
      );
    }
  } finally {
    await close();
  }
}

/**
 * Writes a checked Redis backup under the prefix of an empty Redis, with the same log id
 * and a new epoch (see restoredMeta). The head is written
 * last: until then a hub that opens the log finds it inconsistent and refuses to start,
 * rather than serving half of it. Returns the keys written, for removal if the check fails.
 */
export async function restoreRedisKeys(
  target: RedisTarget,
  backupDir: string,
  manifest: Manifest,
  epoch: string,
): Promise<string[]> {
  const keys = keysOf(target.keyPrefix);
  const written: string[] = [];
  const { calls, close } = await connect(target);
  try {
    const meta = safeJson(await readFile(path.join(backupDir, REDIS_BACKUP_FILES.meta), 'utf8'));
    const fields = z.record(z.string(), z.string()).parse(meta);
    written.push(keys.meta);
    await calls.call(['HSET', keys.meta, ...Object.entries(restoredMeta(fields, epoch)).flat()], 'HSET meta');

    written.push(keys.events);
    const head = await restoreEvents(
      calls,
      keys.events,
      path.join(backupDir, REDIS_BACKUP_FILES.events),
      manifest,
    );

    if (manifest.log.snapshotSeq !== null) {
      const state = await readFile(path.join(backupDir, REDIS_BACKUP_FILES.snapshotState));
      const directory = await readFile(path.join(backupDir, REDIS_BACKUP_FILES.snapshotDirectory));
      written.push(keys.snapshot);
      await calls.call(
        [
          'HSET',
          keys.snapshot,
          'seq',
          String(manifest.log.snapshotSeq),
          'state',
          state,
          'directory',
          directory,
        ],
        'HSET snapshot',
      );
    }

    // Idempotency keys keep the rest of their window, counted from when the backup was taken.
    const elapsed = Date.now() - Date.parse(manifest.createdAt);
    const commands = (await readFile(path.join(backupDir, REDIS_BACKUP_FILES.commands), 'utf8'))
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => CommandLine.parse(safeJson(line)));
    for (let i = 0; i < commands.length; i += RESTORE_BATCH) {
      await Promise.all(
        commands.slice(i, i + RESTORE_BATCH).map(async ({ key, value, ttlMs }) => {
          const left = ttlMs - elapsed;
          if (ttlMs >= 0 && left <= 0) return;
          written.push(`${keys.cmdPrefix}${key}`);
          await calls.call(
            ['SET', `${keys.cmdPrefix}${key}`, value, ...(ttlMs >= 0 ? ['PX', String(left)] : [])],
            'SET cmd',
          );
        }),
      );
    }

    const audit = (await readFile(path.join(backupDir, REDIS_BACKUP_FILES.audit), 'utf8'))
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => AuditLine.parse(safeJson(line)));
    if (audit.length > 0) written.push(keys.audit);
    for (let i = 0; i < audit.length; i += RESTORE_BATCH) {
      await Promise.all(
        audit
          .slice(i, i + RESTORE_BATCH)
          .map(({ id, r }) => calls.call(['XADD', keys.audit, id, 'r', r], 'XADD audit')),
      );
    }

    written.push(keys.head);
    await calls.call(['SET', keys.head, String(head)], 'SET head');
    return written;
  } catch (error) {
    await removeKeys(calls, written);
    throw error;
  } finally {
    await close();
  }
}

/** Adds the backup's events to the stream, checking each line's checksum and the seqs. */
async function restoreEvents(
  calls: RedisCalls,
  stream: string,
  file: string,
  manifest: Manifest,
): Promise<number> {
  const handle = await open(file, 'r');
  let next = manifest.log.firstSeq;
  try {
    const size = (await handle.stat()).size;
    for await (const lines of readLineBatches(handle, 0, size)) {
      const sends: Promise<unknown>[] = [];
      for (const line of lines) {
        let events: StoredEvent[];
        try {
          if (!line.terminated) throw new BadLineError('line has no end');
          events = decodeRecord(line.bytes).events;
        } catch (error) {
          throw new BackupError(`${file} is damaged at byte ${line.offset}: ${(error as Error).message}`);
        }
        for (const event of events) {
          if (event.seq !== next) {
            throw new BackupError(
              `${file} skips from seq ${next - 1} to ${event.seq} at byte ${line.offset}`,
            );
          }
          next++;
          const sent = calls.call(
            ['XADD', stream, entryId(event.seq), EVENT_FIELD, JSON.stringify(event)],
            'XADD',
          );
          // Awaited below; a refusal meanwhile must not leave it unhandled.
          sent.catch(() => undefined);
          sends.push(sent);
          if (sends.length >= RESTORE_BATCH) await Promise.all(sends.splice(0));
        }
      }
      await Promise.all(sends);
    }
  } finally {
    await handle.close();
  }
  const head = next === manifest.log.firstSeq ? manifest.log.headSeq : next - 1;
  if (head !== manifest.log.headSeq) {
    throw new BackupError(`${file} ends at seq ${head}, the manifest says ${manifest.log.headSeq}`);
  }
  return head;
}

/** Deletes the keys a failed restore wrote: the prefix is left empty again. */
export async function removeRedisKeys(target: RedisTarget, keys: readonly string[]): Promise<void> {
  const { calls, close } = await connect(target);
  try {
    await removeKeys(calls, keys);
  } finally {
    await close();
  }
}

async function removeKeys(calls: RedisCalls, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += RESTORE_BATCH) {
    await calls.call(['DEL', ...keys.slice(i, i + RESTORE_BATCH)], 'DEL').catch(() => undefined);
  }
}
