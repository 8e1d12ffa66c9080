import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { z } from 'zod';
import {
  DirectoryState,
  State,
  parseStoredEvent,
  type Attribution,
  type EventDraft,
  type StoredEvent,
} from '@lagesbild/shared';
import {
  LogUnavailableError,
  type AppendOutcome,
  type EventLog,
  type OpenedLog,
  type Snapshot,
} from './event-log.js';
import { silentLogSink, type LogSink } from './log-sink.js';
import { APPEND_SCRIPT, SNAPSHOT_SCRIPT, type LuaScript } from './redis-scripts.js';
import { entryId, parseXRange, StreamDataError } from './redis-stream.js';
import { RedisTail } from './redis-tail.js';
import { withTimeout } from './with-timeout.js';

export type RedisLogOptions = {
  url: string;
  /**
   * Every key starts with it. For Redis Cluster it must contain a hash tag (e.g.
   * `lagesbild:{stockholm}:`) so that the append script's keys share one slot.
   */
  keyPrefix: string;
  idempotencyWindowMs: number;
  /** Bound on every Redis call on the command path; past it the call fails as unavailable. */
  commandTimeoutMs: number;
  logger?: LogSink;
  /** Events older than the newest snapshot kept in the stream for `read`; the rest is trimmed. */
  retainEvents?: number;
  /** How long a tail's XREAD blocks in Redis per round trip. */
  tailBlockMs?: number;
};

/** The Redis log. */
export type RedisLog = EventLog & { readonly kind: 'redis' };

/** Events per XRANGE page when opening; large enough to replay 100k events in a few round trips. */
const OPEN_PAGE = 5000;

const ScriptReply = z.tuple([z.enum(['appended', 'duplicate', 'conflict']), z.string().regex(/^\d+$/)]);
const SnapshotHash = z.tuple([z.string().nullable(), z.string().nullable(), z.string().nullable()]);
const SnapshotBody = z.strictObject({ state: State, directory: DirectoryState });
const NumberString = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));

/**
 * The event log on Redis Streams, for several hubs on one Redis.
 *
 * Keys (under the prefix): `events` (a stream; entry id `<seq>-0`, one field holding the
 * event JSON), `head` (the last seq), `cmd:<commandId>` (the last seq of that command,
 * expiring after the idempotency window), `meta` (a hash with the epoch) and `snapshot`
 * (a hash: seq and state JSON).
 *
 * Appends go through one Lua script on a connection whose offline queue is disabled: while
 * Redis is unreachable an append fails at once instead of waiting to be sent later, and
 * every call is bounded by `commandTimeoutMs`. Durability comes from Redis's AOF with
 * `appendfsync always` (checked by the preflight): Redis answers only after the fsync.
 */
export function createRedisLog(options: RedisLogOptions): RedisLog {
  return new RedisEventLog(options);
}

type Client = ReturnType<typeof createClient>;

class RedisEventLog implements RedisLog {
  readonly kind = 'redis' as const;
  readonly singleWriter = false;

  readonly #options: RedisLogOptions;
  readonly #logger: LogSink;
  readonly #keys: {
    events: string;
    head: string;
    meta: string;
    snapshot: string;
    cmd: (id: string) => string;
  };
  readonly #client: Client;
  readonly #tails = new Set<RedisTail>();
  #opened = false;
  #closed = false;
  #connectionLost = false;

  constructor(options: RedisLogOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogSink;
    const p = options.keyPrefix;
    this.#keys = {
      events: `${p}events`,
      head: `${p}head`,
      meta: `${p}meta`,
      snapshot: `${p}snapshot`,
      cmd: (id) => `${p}cmd:${id}`,
    };
    this.#client = createClient({
      url: options.url,
      // Fail fast while disconnected: a queued append could be sent minutes later, after
      // the hub has told the user it failed.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.commandTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
      },
    });
    this.#client.on('error', (error: Error) => {
      if (this.#connectionLost || this.#closed) return;
      this.#connectionLost = true;
      this.#logger.warn({ err: error.message }, 'redis.connectionLost');
    });
    this.#client.on('ready', () => {
      if (!this.#connectionLost) return;
      this.#connectionLost = false;
      this.#logger.info({}, 'redis.reconnected');
    });
  }

  async open(): Promise<OpenedLog> {
    if (this.#opened) throw new Error('the Redis log is already open');
    this.#opened = true;
    try {
      await withTimeout(this.#client.connect(), this.#options.commandTimeoutMs, 'connecting to Redis');
    } catch (error) {
      this.#client.destroy();
      throw new LogUnavailableError(`cannot reach Redis: ${(error as Error).message}`);
    }
    try {
      return await this.#load();
    } catch (error) {
      this.#client.destroy();
      throw error;
    }
  }

  async #load(): Promise<OpenedLog> {
    // The first hub to open the log names its epoch; every later one reads it.
    await this.#call(['HSETNX', this.#keys.meta, 'epoch', randomUUID()], 'HSETNX meta');
    const epoch = z
      .string()
      .min(1)
      .parse(await this.#call(['HGET', this.#keys.meta, 'epoch'], 'HGET meta'));

    const snapshot = await this.#loadSnapshot();
    const headReply = z
      .string()
      .nullable()
      .parse(await this.#call(['GET', this.#keys.head], 'GET head'));
    const head = headReply === null ? 0 : NumberString.parse(headReply);

    const from = (snapshot?.seq ?? 0) + 1;
    const events: StoredEvent[] = [];
    const fetchPage = (first: number) => {
      const reply = this.#call(
        ['XRANGE', this.#keys.events, entryId(first), '+', 'COUNT', String(OPEN_PAGE)],
        'XRANGE on open',
      );
      // A prefetched page that is never awaited (an error ended the loop) must not go unhandled.
      reply.catch(() => undefined);
      return reply;
    };
    let pending: Promise<unknown> | null = fetchPage(from);
    let next = from;
    while (pending) {
      const reply = await pending;
      // Entry ids are the seqs, so the next page's first id is known before this page is
      // parsed: fetching it meanwhile lets Redis and the validation below overlap.
      pending = head >= next + OPEN_PAGE ? fetchPage(next + OPEN_PAGE) : null;
      const page = parseXRange(reply);
      for (const event of page) {
        if (event.seq !== next) {
          throw new StreamDataError(
            `stream ${this.#keys.events} jumps from seq ${next - 1} to ${event.seq}: events after the snapshot are ` +
              'missing (trimmed or evicted). Restore Redis from a backup.',
          );
        }
        events.push(event);
        next++;
      }
      if (page.length < OPEN_PAGE) break;
    }
    const last = events.at(-1)?.seq ?? snapshot?.seq ?? 0;
    if (last !== head) {
      throw new StreamDataError(
        `Redis log ${this.#options.keyPrefix} is inconsistent: head is ${head} but the stream ends at ${last}. ` +
          'Keys were deleted or evicted (is maxmemory-policy noeviction?). Restore Redis from a backup.',
      );
    }
    this.#logger.info(
      { headSeq: head, snapshotSeq: snapshot?.seq ?? null, replayed: events.length },
      'redis.opened',
    );
    return { epoch, snapshot, events };
  }

  async #loadSnapshot(): Promise<Snapshot | null> {
    const [seqText, stateText, directoryText] = SnapshotHash.parse(
      await this.#call(['HMGET', this.#keys.snapshot, 'seq', 'state', 'directory'], 'HMGET snapshot'),
    );
    if (seqText === null || stateText === null || directoryText === null) return null;
    const body = SnapshotBody.safeParse({ state: safeJson(stateText), directory: safeJson(directoryText) });
    if (!body.success) {
      throw new StreamDataError(
        `snapshot in ${this.#keys.snapshot} is invalid: ${body.error.message.slice(0, 500)}`,
      );
    }
    return { seq: NumberString.parse(seqText), ...body.data };
  }

  async append(
    expectedSeq: number,
    commandId: string,
    drafts: readonly EventDraft[],
    at: string,
    by: Attribution,
  ): Promise<AppendOutcome> {
    this.#assertOpen();
    // Nothing to write, nothing to remember: repeating an empty command changes nothing.
    if (drafts.length === 0) return { status: 'appended', events: [] };
    // Validated before it is written, so the stream never holds what open would refuse.
    const events = drafts.map((draft, i) =>
      parseStoredEvent({
        seq: expectedSeq + i + 1,
        type: draft.type,
        at,
        by,
        commandId,
        payload: draft.payload,
      }),
    );
    const reply = await this.#runScript(
      APPEND_SCRIPT,
      [this.#keys.head, this.#keys.events, this.#keys.cmd(commandId)],
      [
        String(expectedSeq),
        String(Math.max(1, Math.round(this.#options.idempotencyWindowMs))),
        ...events.map((e) => JSON.stringify(e)),
      ],
      'append',
    );
    const [status, seqText] = ScriptReply.parse(reply);
    const seq = Number(seqText);
    if (status === 'duplicate') return { status, seq };
    if (status === 'conflict') return { status, headSeq: seq };
    if (seq !== expectedSeq + events.length) {
      throw new Error(`append script answered seq ${seq}, expected ${expectedSeq + events.length}`);
    }
    return { status, events };
  }

  async findCommand(commandId: string): Promise<number | null> {
    this.#assertOpen();
    const reply = z
      .string()
      .nullable()
      .parse(await this.#call(['GET', this.#keys.cmd(commandId)], 'GET cmd'));
    return reply === null ? null : NumberString.parse(reply);
  }

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    this.#assertOpen();
    const count = Math.floor(limit);
    if (count <= 0) return [];
    return parseXRange(
      await this.#call(
        ['XRANGE', this.#keys.events, entryId(after + 1), '+', 'COUNT', String(count)],
        'XRANGE',
      ),
    );
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertOpen();
    const tail = new RedisTail(afterSeq, onEvents, {
      streamKey: this.#keys.events,
      connect: () => this.#client.duplicate(),
      blockMs: this.#options.tailBlockMs ?? 5000,
      timeoutMs: this.#options.commandTimeoutMs,
      logger: this.#logger,
    });
    this.#tails.add(tail);
    tail.start();
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    // Serialised now: the caller goes on folding events into the same state object.
    const stateJson = JSON.stringify(snapshot.state);
    const retain = this.#options.retainEvents ?? 100_000;
    const minSeq = snapshot.seq - retain + 1;
    const reply = await this.#runScript(
      SNAPSHOT_SCRIPT,
      [this.#keys.snapshot, this.#keys.events, this.#keys.head],
      [
        String(snapshot.seq),
        stateJson,
        JSON.stringify(snapshot.directory),
        minSeq > 1 ? entryId(minSeq) : '',
      ],
      'saveSnapshot',
    );
    if (reply === -1) throw new Error(`cannot snapshot seq ${snapshot.seq}: it is beyond the log's head`);
  }

  isHealthy(): boolean {
    return this.#opened && !this.#closed && this.#client.isReady;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const tail of this.#tails) tail.stop();
    this.#tails.clear();
    if (!this.#client.isOpen) return;
    try {
      await withTimeout(this.#client.close(), this.#options.commandTimeoutMs, 'closing the Redis connection');
    } catch {
      this.#client.destroy();
    }
  }

  // --- Redis calls ---------------------------------------------------------------------

  /** One command, bounded in time; any failure to get an answer is LogUnavailableError. */
  async #call(args: string[], what: string, timeoutMs = this.#options.commandTimeoutMs): Promise<unknown> {
    try {
      return await withTimeout(this.#client.sendCommand(args), timeoutMs, what);
    } catch (error) {
      throw new LogUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Runs a script by its SHA; after a Redis restart the script cache is empty (NOSCRIPT),
   * and the script is sent whole once. Both tries share one deadline.
   */
  async #runScript(lua: LuaScript, keys: string[], args: string[], what: string): Promise<unknown> {
    const deadline = Date.now() + this.#options.commandTimeoutMs;
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.#call(['EVALSHA', lua.sha, ...tail], what);
    } catch (error) {
      const cause = error instanceof LogUnavailableError ? error.cause : error;
      if (!(cause instanceof Error) || !cause.message.startsWith('NOSCRIPT')) throw error;
      const remaining = Math.max(1, deadline - Date.now());
      return await this.#call(['EVAL', lua.source, ...tail], what, remaining);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogUnavailableError('the Redis log is closed');
    if (!this.#opened) throw new Error('open() the Redis log first');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
