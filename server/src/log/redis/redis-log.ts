import { randomUUID } from 'node:crypto';
import { RESP_TYPES, createClient } from 'redis';
import { z } from 'zod';
import {
  DirectoryState,
  parseStoredEvent,
  type Attribution,
  type EventDraft,
  type StoredEvent,
} from '@lagesbild/shared';
import {
  LogUnavailableError,
  isSameCommand,
  type AppendOutcome,
  type BatchCommand,
  type BatchOutcome,
  type CommandFingerprint,
  type CommandLookup,
  type EventLog,
  type OpenedLog,
  type Snapshot,
} from '../event-log.js';
import { silentLogSink, type LogSink } from '../log-sink.js';
import { APPEND_BATCH_SCRIPT, APPEND_SCRIPT, SNAPSHOT_SCRIPT, type LuaScript } from './redis-scripts.js';
import { stampBatch } from '../stamp-batch.js';
import { entryId, parseXRange, StreamDataError } from './redis-stream.js';
import {
  SnapshotDataError,
  SnapshotV1State,
  captureSnapshot,
  decodeSnapshotBuffer,
  encodeSnapshot,
  isSnapshotV2,
} from '../snapshot-codec.js';
import { RedisTail } from './redis-tail.js';
import { withTimeout } from '../with-timeout.js';

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
  /** How long a hub that lost a race for the next seq has the next turn (default TURN_MS). */
  turnMs?: number;
};

/** The Redis log. */
export type RedisLog = EventLog & { readonly kind: 'redis' };

/** Events per XRANGE page when opening; large enough to replay 100k events in a few round trips. */
const OPEN_PAGE = 5000;

const ScriptReply = z.tuple([
  z.enum(['appended', 'duplicate', 'id_conflict', 'conflict']),
  z.string().regex(/^\d+$/),
]);
/**
 * The batch script's answer: status, head, duplicates (position and seq pairs), entries,
 * wait, and the positions of id conflicts.
 */
const BatchScriptReply = z.tuple([
  z.enum(['appended', 'duplicate', 'conflict']),
  z.string().regex(/^\d+$/),
  z.array(z.string().regex(/^\d+$/)),
  z.unknown(),
  z.number().int().min(0),
  z.array(z.string().regex(/^\d+$/)),
]);
/**
 * The value of `cmd:<commandId>`: `<seq>|<payload hash>|<sender>`, or the seq alone when
 * stored before senders and hashes were (see redis-scripts.ts).
 */
const CommandValue = z.string().regex(/^\d+(\|[A-Za-z0-9_-]*\|.*)?$/s);
/** Stream entries a refused batch append sends back for the caller's catch-up. */
const CATCH_UP_ENTRIES = 500;
/**
 * How long a hub whose batch met a conflict has the next turn (APPEND_BATCH_SCRIPT): long
 * enough to catch up, decide again and send, short enough that a hub that dies holding it
 * delays the others only briefly.
 */
const TURN_MS = 30;
/** The snapshot hash's fields seq, state and directory, read as bytes. */
const SnapshotHash = z.tuple([
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
  z.instanceof(Buffer).nullable(),
]);
/** Snapshot format 1: state and directory as JSON, validated whole with the schemas. Still read. */
const SnapshotBody = z.strictObject({ state: SnapshotV1State, directory: DirectoryState });
/** Format 2 keeps state and directory in the `state` field; `directory` holds this marker. */
const V2_DIRECTORY_MARKER = 'in state (format 2)';
/** The header of a format-2 snapshot in Redis. */
const SnapshotHeader = z.strictObject({ version: z.literal(2), seq: z.number().int().min(0) });
const NumberString = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));

/**
 * The event log on Redis Streams, for several hubs on one Redis.
 *
 * Keys (under the prefix): `events` (a stream; entry id `<seq>-0`, one field holding the
 * event JSON), `head` (the last seq), `cmd:<commandId>` (the last seq of that command, its
 * payload hash and sender, expiring after the idempotency window), `meta` (a hash with the
 * epoch), `snapshot` (a hash: seq and state JSON) and `turn` (for a few ms after a
 * conflict, the hub that may append next; see APPEND_BATCH_SCRIPT).
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

  readonly #options: RedisLogOptions;
  readonly #logger: LogSink;
  readonly #keys: {
    events: string;
    head: string;
    meta: string;
    snapshot: string;
    turn: string;
    cmd: (id: string) => string;
  };
  /** Names this process in the append script's turns. */
  readonly #writer = randomUUID();
  readonly #client: Client;
  readonly #tails = new Set<RedisTail>();
  #opened = false;
  #closed = false;
  #connectionLost = false;
  /** Why the stored snapshot was not used, when it was not; named if replaying fails too. */
  #snapshotProblem: string | null = null;
  /** The size of the last snapshot stored or read, to size the next one's buffer. */
  #lastSnapshotBytes = 0;

  constructor(options: RedisLogOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogSink;
    const p = options.keyPrefix;
    this.#keys = {
      events: `${p}events`,
      head: `${p}head`,
      meta: `${p}meta`,
      snapshot: `${p}snapshot`,
      turn: `${p}turn`,
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
      // Up to the head read above, not '+': another hub may append between the two reads,
      // and those events reach this hub through tail().
      const reply = this.#call(
        ['XRANGE', this.#keys.events, entryId(first), entryId(head), 'COUNT', String(OPEN_PAGE)],
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
              'missing (trimmed or evicted). ' +
              (this.#snapshotProblem
                ? `The snapshot was not usable either (${this.#snapshotProblem}). `
                : '') +
              'Restore Redis from a backup.',
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

  /**
   * The stored snapshot, or null when there is none or it is unusable (then the caller
   * replays the stream, which works as long as it was not trimmed). Format 2 is checked by
   * its checksum and structure (see snapshot-codec.ts); format 1 by the schemas.
   */
  async #loadSnapshot(): Promise<Snapshot | null> {
    const reply = await this.#callForBytes(
      ['HMGET', this.#keys.snapshot, 'seq', 'state', 'directory'],
      'HMGET snapshot',
    );
    const [seqBytes, stateBytes, directoryBytes] = SnapshotHash.parse(reply);
    if (seqBytes === null || stateBytes === null || directoryBytes === null) return null;
    const seq = NumberString.parse(seqBytes.toString('latin1'));
    this.#lastSnapshotBytes = stateBytes.length;
    if (isSnapshotV2(stateBytes)) {
      try {
        const decoded = decodeSnapshotBuffer(stateBytes);
        const header = SnapshotHeader.safeParse(decoded.header);
        if (!header.success || header.data.seq !== seq || decoded.tables.size > 0) {
          throw new SnapshotDataError(`the header does not match the snapshot at seq ${seq}`);
        }
        return { seq, state: decoded.state, directory: decoded.directory };
      } catch (error) {
        if (!(error instanceof SnapshotDataError)) throw error;
        this.#snapshotProblem = error.message;
        this.#logger.warn(
          { key: this.#keys.snapshot, problem: error.message },
          'redis.snapshotIgnored: replaying the stream instead',
        );
        return null;
      }
    }
    const body = SnapshotBody.safeParse({
      state: safeJson(stateBytes.toString('utf8')),
      directory: safeJson(directoryBytes.toString('utf8')),
    });
    if (!body.success) {
      throw new StreamDataError(
        `snapshot in ${this.#keys.snapshot} is invalid: ${body.error.message.slice(0, 500)}`,
      );
    }
    return { seq, ...body.data };
  }

  /** `#call` with bulk strings answered as Buffers (a snapshot is read as bytes, not text). */
  async #callForBytes(args: string[], what: string): Promise<unknown> {
    try {
      return await withTimeout(
        this.#client.sendCommand(args, { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }),
        this.#options.commandTimeoutMs,
        what,
      );
    } catch (error) {
      throw new LogUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async append(
    expectedSeq: number,
    commandId: string,
    drafts: readonly EventDraft[],
    at: string,
    by: Attribution,
    payloadHash: string | null,
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
        payloadHash ?? '',
        by.userId,
        ...events.map((e) => JSON.stringify(e)),
      ],
      'append',
    );
    const [status, seqText] = ScriptReply.parse(reply);
    const seq = Number(seqText);
    if (status === 'duplicate' || status === 'id_conflict') return { status, seq };
    if (status === 'conflict') return { status, headSeq: seq };
    if (seq !== expectedSeq + events.length) {
      throw new Error(`append script answered seq ${seq}, expected ${expectedSeq + events.length}`);
    }
    return { status, events };
  }

  async appendBatch(
    expectedSeq: number,
    commands: readonly BatchCommand[],
    at: string,
  ): Promise<BatchOutcome> {
    this.#assertOpen();
    const events = stampBatch(expectedSeq, commands, at);
    // As for append: a command without events is neither written nor remembered.
    const written = commands.flatMap((command, i) => {
      const own = events[i] ?? [];
      return own.length > 0 ? [{ ...command, events: own }] : [];
    });
    if (written.length === 0) return { status: 'appended', events };
    const args = [
      String(expectedSeq),
      String(Math.max(1, Math.round(this.#options.idempotencyWindowMs))),
      String(CATCH_UP_ENTRIES),
      this.#writer,
      String(this.#options.turnMs ?? TURN_MS),
    ];
    let count = 0;
    for (const command of written) {
      args.push(String(command.events.length), command.payloadHash ?? '', command.by.userId);
      for (const event of command.events) args.push(JSON.stringify(event));
      count += command.events.length;
    }
    const reply = await this.#runScript(
      APPEND_BATCH_SCRIPT,
      [
        this.#keys.head,
        this.#keys.events,
        this.#keys.turn,
        ...written.map((c) => this.#keys.cmd(c.commandId)),
      ],
      args,
      'appendBatch',
    );
    const [status, headText, pairs, entries, wait, conflictPositions] = BatchScriptReply.parse(reply);
    const headSeq = Number(headText);
    if (status === 'conflict') {
      return { status, headSeq, events: parseXRange(entries), retryAfterMs: wait };
    }
    if (status === 'duplicate') {
      const named = (position: string | undefined) => {
        const command = written[Number(position) - 1];
        if (!command) throw new Error(`append batch script named command ${position} of ${written.length}`);
        return command.commandId;
      };
      const seqs = new Map<string, number>();
      for (let i = 0; i + 1 < pairs.length; i += 2) seqs.set(named(pairs[i]), Number(pairs[i + 1]));
      const idConflicts = new Set(conflictPositions.map(named));
      return { status, seqs, idConflicts, headSeq, events: parseXRange(entries) };
    }
    if (headSeq !== expectedSeq + count) {
      throw new Error(`append batch script answered seq ${headSeq}, expected ${expectedSeq + count}`);
    }
    return { status, events };
  }

  async findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null> {
    this.#assertOpen();
    const reply = CommandValue.nullable().parse(
      await this.#call(['GET', this.#keys.cmd(commandId)], 'GET cmd'),
    );
    if (reply === null) return null;
    const [seqText = '', payloadHash, ...senderParts] = reply.split('|');
    const seq = NumberString.parse(seqText);
    if (payloadHash === undefined) {
      // Stored before senders were: the sender is the one of the command's last event.
      const [event] = await this.read(seq - 1, 1);
      const sender = event?.seq === seq ? event.by.userId : null;
      return { seq, sameCommand: isSameCommand({ sender, payloadHash: null }, sent) };
    }
    const known = { sender: senderParts.join('|'), payloadHash: payloadHash === '' ? null : payloadHash };
    return { seq, sameCommand: isSameCommand(known, sent) };
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
    // Every hub folds the same log and saves at the same seqs; the first to get there
    // saves for all. Asking is one small read, serialising and storing a large state is
    // seconds of work for this hub and a long write for Redis, which holds up every append.
    const stored = await this.#call(['HGET', this.#keys.snapshot, 'seq'], 'HGET snapshot seq');
    if (typeof stored === 'string' && Number(stored) >= snapshot.seq) return;
    // Captured now: the caller goes on folding events into the same state object. Then
    // serialised a chunk at a time, yielding in between, so a large state does not hold up
    // the hub for the whole serialisation.
    const captured = captureSnapshot(snapshot.state, snapshot.directory);
    // Copied into one buffer piece by piece as they are made, sized from the last snapshot,
    // rather than concatenated at the end: one copy of the whole state at once would hold
    // up the hub again.
    let body = Buffer.allocUnsafe(Math.max(1 << 20, Math.ceil(this.#lastSnapshotBytes * 1.1)));
    let length = 0;
    for (const piece of encodeSnapshot({ seq: snapshot.seq }, captured)) {
      if (length + piece.length > body.length) {
        const grown = Buffer.allocUnsafe(Math.max(body.length * 2, length + piece.length));
        body.copy(grown, 0, 0, length);
        body = grown;
      }
      piece.copy(body, length);
      length += piece.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#lastSnapshotBytes = length;
    const retain = this.#options.retainEvents ?? 100_000;
    const minSeq = snapshot.seq - retain + 1;
    const reply = await this.#runScript(
      SNAPSHOT_SCRIPT,
      [this.#keys.snapshot, this.#keys.events, this.#keys.head],
      [
        String(snapshot.seq),
        body.subarray(0, length),
        V2_DIRECTORY_MARKER,
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
  async #call(
    args: (string | Buffer)[],
    what: string,
    timeoutMs = this.#options.commandTimeoutMs,
  ): Promise<unknown> {
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
  async #runScript(
    lua: LuaScript,
    keys: string[],
    args: (string | Buffer)[],
    what: string,
  ): Promise<unknown> {
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
