import { open, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { StoredEvent } from '@lagesbild/shared';
import { encodeRecord } from '../journal/journal-format.js';
import { fsyncDir, writeAll } from '../journal/journal-io.js';
import { parseCommandValue } from '../redis/redis-append.js';
import type { RedisCalls } from '../redis/redis-calls.js';
import { redisLogKeys, type RedisLogKeys } from '../redis/redis-keys.js';
import { redactUrl } from '../redis/redis-preflight.js';
import { RESTORING_FIELD } from '../redis/redis-scripts.js';
import { entryId, parseXRange } from '../redis/redis-stream.js';
import {
  BackupError,
  FileDigest,
  digestFile,
  identityOf,
  type FileEntry,
  type Manifest,
} from './backup-manifest.js';
import { REDIS_BACKUP_FILES, connect, globEscape, scan, type RedisTarget } from './redis-target.js';

export { REDIS_BACKUP_FILES, type RedisTarget } from './redis-target.js';

/** Entries per XRANGE page: large enough for few round trips, small enough for one reply. */
const PAGE = 5000;
/** How often a backup starts over when a snapshot trimmed the stream under it. */
const ATTEMPTS = 5;

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
const SnapshotHash = z.tuple([
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
]);
const AuditEntries = z.array(z.tuple([z.string(), Flat]));

/**
 * Backs up one region's Redis log while hubs append to it, through the same keys the hub
 * uses: the meta hash (identity), the snapshot, the stream up to the head read after the
 * snapshot, the idempotency keys and the audit stream. The head is read first: every event
 * up to it (everything acknowledged before the backup began) is in the backup. A snapshot
 * stored meanwhile may trim the stream under the copy; then the copy starts over. The
 * idempotency keys are read after the stream: only those of commands the copy holds are
 * kept, or a restored log would answer a resend "saved" with a seq it does not hold.
 */
export async function backupRedis(
  target: RedisTarget,
  dir: string,
): Promise<Omit<Manifest, 'createdAt' | 'notIncluded'>> {
  const keys = redisLogKeys(target.keyPrefix);
  const { calls, close } = await connect(target);
  try {
    const meta = HashReply.parse(await calls.call(['HGETALL', keys.meta], 'HGETALL meta'));
    if (Object.keys(meta).length === 0) {
      throw new BackupError(
        `Redis at ${redactUrl(target.url)} holds no Lägesbild log under the key prefix "${target.keyPrefix}" ` +
          '(no meta hash). Check REDIS_URL and REDIS_KEY_PREFIX.',
      );
    }
    if (meta[RESTORING_FIELD] !== undefined) {
      throw new BackupError(
        `The Redis log under the key prefix "${target.keyPrefix}" is being restored (since ${meta[RESTORING_FIELD]}), ` +
          'or a restore into it was interrupted: it is not whole, and not backed up.',
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
    files.push(await copyCommands(calls, keys.cmdPrefix, dir, copied.head));
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
  keys: Pick<RedisLogKeys, 'snapshot' | 'head' | 'events'>,
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

/**
 * The idempotency keys of the commands up to `head` with their values and time to live, so
 * resends stay duplicates. Keys of commands appended after the stream was copied are left
 * out: their events are not in the backup, so a resend must be appended anew.
 */
export async function copyCommands(
  calls: RedisCalls,
  cmdPrefix: string,
  dir: string,
  head: number,
): Promise<FileEntry> {
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
      const seq = parseCommandValue(value)?.seq;
      if (seq === undefined || seq > head) continue;
      lines.push(`${JSON.stringify({ key, value, ttlMs: ttl })}\n`);
    }
  }
  await writeFile(path.join(dir, REDIS_BACKUP_FILES.commands), lines.join(''));
  return digestFile(dir, REDIS_BACKUP_FILES.commands);
}

/** The audit stream with its entry ids, the times records reached it (see redis-audit-store.ts). */
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
