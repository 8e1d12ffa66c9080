import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { z } from 'zod';
import { IsoTime, type StoredEvent } from '@lagesbild/shared';
import {
  LogLostError,
  LogUnavailableError,
  isSameCommand,
  type BatchCommand,
  type BatchOutcome,
  type CommandFingerprint,
  type CommandLookup,
  type EventLog,
  type LogContact,
  type OpenedLog,
  type Snapshot,
} from '../event-log.js';
import { silentLogSink, type LogSink } from '../log-sink.js';
import { stampBatch } from '../stamp-batch.js';
import { withTimeout } from '../with-timeout.js';
import { RedisCalls } from './redis-calls.js';
import type { LuaScript } from './redis-scripts.js';
import {
  APPEND_BATCH_SCRIPT,
  FIND_COMMAND_SCRIPT,
  OPEN_LOG_SCRIPT,
  PROBE_SCRIPT,
  READ_SCRIPT,
} from './redis-scripts.js';
import { RedisSnapshots } from './redis-snapshot.js';
import { entryId, parseXRange, StreamDataError } from './redis-stream.js';
import { RedisTail } from './redis-tail.js';
import { RedisHeartbeat } from './heartbeat.js';

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
  /** How often the log's identity and head are checked while nothing else reads them. */
  identityCheckMs?: number;
  /** Names this hub in its heartbeats, as other hubs log it (default: a random id). */
  hubName?: string;
};

/** The Redis log. */
export type RedisLog = EventLog & { readonly kind: 'redis' };

/** Events per XRANGE page when opening; large enough to replay 100k events in a few round trips. */
const OPEN_PAGE = 5000;

/**
 * The batch script's answer: status, head, duplicates (position and seq pairs), entries,
 * wait, and the positions of id conflicts.
 */
const BatchScriptReply = z
  .tuple([
    z.enum(['appended', 'duplicate', 'conflict', 'lost']),
    z.string().regex(/^\d+$/),
    z.array(z.string().regex(/^\d+$/)),
    z.unknown(),
    z.number().int().min(0),
    z.array(z.string().regex(/^\d+$/)),
  ])
  // 'appended' adds the time the script stamped the events with (Redis TIME).
  .rest(IsoTime);
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
const NumberString = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));
/** OPEN_LOG_SCRIPT's answer: the log id and the epoch. */
const OpenLogReply = z.tuple([z.string().min(1), z.string().min(1)]);
/** PROBE_SCRIPT's answer: the stored epoch (null when gone) and the head. */
const ProbeReply = z.tuple([z.string().nullable(), NumberString]);
/** READ_SCRIPT's and FIND_COMMAND_SCRIPT's answer: 1 and the result, or 0 and the stored epoch. */
const GuardedReply = z.union([z.tuple([z.literal(1), z.unknown()]), z.tuple([z.literal(0), z.string()])]);
/** How often the identity is checked by default: a lost log is noticed within about this. */
const IDENTITY_CHECK_MS = 1000;

/**
 * The event log on Redis Streams, for several hubs on one Redis.
 *
 * Keys (under the prefix): `events` (a stream; entry id `<seq>-0`, one field holding the
 * event JSON), `head` (the last seq), `cmd:<commandId>` (the last seq of that command, its
 * payload hash and sender, expiring after the idempotency window), `meta` (a hash with the
 * log id and the epoch), `snapshot` (a hash: seq and state; see redis-snapshot.ts) and `turn` (for a few ms after a
 * conflict, the hub that may append next; see APPEND_BATCH_SCRIPT).
 *
 * Appends go through one Lua script on a connection whose offline queue is disabled: while
 * Redis is unreachable an append fails at once instead of waiting to be sent later, and
 * every call is bounded by `commandTimeoutMs` (redis-calls.ts). Durability comes from Redis's AOF with
 * `appendfsync always` (checked by the preflight): Redis answers only after the fsync.
 *
 * The log's identity is its epoch in `meta`. Every script the hub runs checks it first
 * (redis-scripts.ts), the tail checks it after every read, and a timer checks it and the
 * head every `identityCheckMs`: a Redis that lost its data (no epoch, another epoch, or a
 * head below what this hub has seen) makes the log lost for good (`lostReason`), and
 * nothing is written into or read from the log that is there now.
 */
export function createRedisLog(options: RedisLogOptions): RedisLog {
  return new RedisEventLog(options);
}

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
  readonly #client: ReturnType<typeof createClient>;
  readonly #calls: RedisCalls;
  readonly #snapshots: RedisSnapshots;
  readonly #tails = new Set<RedisTail>();
  #opened = false;
  #closed = false;
  #connectionLost = false;
  /** The epoch this log opened; every script checks that Redis still holds it. */
  #epoch = '';
  /** The highest seq this log has seen in Redis: the head must never go below it. */
  #seen = 0;
  #lost: string | null = null;
  #probe: ReturnType<typeof setInterval> | null = null;
  /** Started with the first tail, which reads the beats back. */
  #heartbeat: RedisHeartbeat | null = null;

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
    this.#calls = new RedisCalls(this.#client, options.commandTimeoutMs);
    this.#snapshots = new RedisSnapshots(
      this.#calls,
      this.#keys,
      options.retainEvents ?? 100_000,
      this.#logger,
    );
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
    let opened: OpenedLog;
    try {
      opened = await this.#load();
    } catch (error) {
      this.#client.destroy();
      throw error;
    }
    this.#probe = setInterval(
      () => void this.#checkIdentity(),
      this.#options.identityCheckMs ?? IDENTITY_CHECK_MS,
    );
    this.#probe.unref();
    return opened;
  }

  async #load(): Promise<OpenedLog> {
    // The first hub to open the log names it; every later one reads its name.
    const [logId, epoch] = OpenLogReply.parse(
      await this.#calls.runScript(OPEN_LOG_SCRIPT, [this.#keys.meta], [randomUUID()], 'open log'),
    );
    this.#epoch = epoch;

    const snapshot = await this.#snapshots.load();
    const headReply = z
      .string()
      .nullable()
      .parse(await this.#calls.call(['GET', this.#keys.head], 'GET head'));
    const head = headReply === null ? 0 : NumberString.parse(headReply);

    const from = (snapshot?.seq ?? 0) + 1;
    const events: StoredEvent[] = [];
    const fetchPage = (first: number) => {
      // Up to the head read above, not '+': another hub may append between the two reads,
      // and those events reach this hub through tail().
      const reply = this.#calls.call(
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
              (this.#snapshots.problem
                ? `The snapshot was not usable either (${this.#snapshots.problem}). `
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
    this.#seen = head;
    this.#logger.info(
      { logId, epoch, headSeq: head, snapshotSeq: snapshot?.seq ?? null, replayed: events.length },
      'redis.opened',
    );
    return { logId, epoch, snapshot, events };
  }

  async appendBatch(
    expectedSeq: number,
    commands: readonly BatchCommand[],
    at: string,
  ): Promise<BatchOutcome> {
    this.#assertUsable();
    const events = stampBatch(expectedSeq, commands, at);
    // Nothing to write, nothing to remember: a command without events changes nothing.
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
      this.#epoch,
    ];
    let count = 0;
    for (const command of written) {
      args.push(String(command.events.length), command.payloadHash ?? '', command.by.userId);
      // Without `at`: the script stamps the events with the log's clock (redis-scripts.ts).
      for (const { at: _writerTime, ...event } of command.events) args.push(JSON.stringify(event));
      count += command.events.length;
    }
    const reply = await this.#calls.runScript(
      APPEND_BATCH_SCRIPT,
      [
        this.#keys.head,
        this.#keys.events,
        this.#keys.turn,
        this.#keys.meta,
        ...written.map((c) => this.#keys.cmd(c.commandId)),
      ],
      args,
      'appendBatch',
    );
    const [status, headText, pairs, entries, wait, conflictPositions, stampedAt] =
      BatchScriptReply.parse(reply);
    const headSeq = Number(headText);
    if (status === 'lost') throw this.#lose(z.string().parse(entries) || null);
    this.#saw(headSeq);
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
    if (headSeq !== expectedSeq + count || stampedAt === undefined) {
      throw new Error(
        `append batch script answered seq ${headSeq} at ${stampedAt}, expected ${expectedSeq + count}`,
      );
    }
    // The events as stored: at the time the log stamped them, not the writer's.
    return { status, events: events.map((own) => own.map((event) => ({ ...event, at: stampedAt }))) };
  }

  async findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null> {
    this.#assertUsable();
    const value = await this.#guarded(FIND_COMMAND_SCRIPT, [this.#keys.cmd(commandId)], [], 'GET cmd');
    const reply = CommandValue.or(z.literal('')).parse(value);
    if (reply === '') return null;
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
    this.#assertUsable();
    const count = Math.floor(limit);
    if (count <= 0) return [];
    const events = parseXRange(
      await this.#guarded(READ_SCRIPT, [this.#keys.events], [entryId(after + 1), String(count)], 'XRANGE'),
    );
    this.#saw(events.at(-1)?.seq ?? 0);
    return events;
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertUsable();
    const deliver = (events: StoredEvent[]) => {
      this.#saw(events.at(-1)?.seq ?? 0);
      onEvents(events);
    };
    this.#heartbeat ??= new RedisHeartbeat({
      key: `${this.#options.keyPrefix}heartbeat`,
      writer: this.#writer,
      hub: this.#options.hubName ?? this.#writer,
      client: this.#client,
      logger: this.#logger,
    });
    this.#heartbeat.start();
    const tail = new RedisTail(afterSeq, deliver, {
      streamKey: this.#keys.events,
      connect: () => this.#client.duplicate(),
      blockMs: this.#options.tailBlockMs ?? 5000,
      timeoutMs: this.#options.commandTimeoutMs,
      logger: this.#logger,
      identity: { metaKey: this.#keys.meta, epoch: this.#epoch, onLost: (stored) => void this.#lose(stored) },
      heartbeat: this.#heartbeat,
    });
    this.#tails.add(tail);
    tail.start();
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    try {
      this.#assertUsable();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#snapshots.save(snapshot, this.#epoch).catch((error: unknown) => {
      throw error instanceof LogLostError ? this.#lose(null) : error;
    });
  }

  isHealthy(): boolean {
    return (
      this.#opened &&
      !this.#closed &&
      this.#lost === null &&
      this.#client.isReady &&
      this.contact().state === 'live'
    );
  }

  contact(): LogContact {
    return this.#heartbeat?.contact() ?? { state: 'live' };
  }

  lostReason(): string | null {
    return this.#lost;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopProbe();
    this.#heartbeat?.stop();
    for (const tail of this.#tails) tail.stop();
    this.#tails.clear();
    if (!this.#client.isOpen) return;
    try {
      await withTimeout(this.#client.close(), this.#options.commandTimeoutMs, 'closing the Redis connection');
    } catch {
      this.#client.destroy();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new LogUnavailableError('the Redis log is closed');
    if (!this.#opened) throw new Error('open() the Redis log first');
  }

  /** Open, and still the log this process opened. */
  #assertUsable(): void {
    this.#assertOpen();
    if (this.#lost !== null) throw new LogLostError(this.#lost);
  }

  /** Runs a read script that checks the identity first; its result, or LogLostError. */
  async #guarded(lua: LuaScript, keys: string[], args: string[], what: string): Promise<unknown> {
    const reply = GuardedReply.parse(
      await this.#calls.runScript(lua, [this.#keys.meta, ...keys], [this.#epoch, ...args], what),
    );
    if (reply[0] === 0) throw this.#lose(reply[1] || null);
    return reply[1];
  }

  /** Records a seq read from or written to Redis: the head must not go below it later. */
  #saw(seq: number): void {
    if (seq > this.#seen) this.#seen = seq;
  }

  /** The periodic check: the stored epoch and head, compared with what this log knows. */
  async #checkIdentity(): Promise<void> {
    if (this.#lost !== null || this.#closed) return;
    // What was seen before the check is sent: Redis runs the check later, so its head can
    // be no lower. Seqs seen meanwhile (the tail reads on its own connection) may be newer
    // than the head the check read, and must not count.
    const seenBefore = this.#seen;
    let stored: string | null;
    let head: number;
    try {
      [stored, head] = ProbeReply.parse(
        await this.#calls.runScript(PROBE_SCRIPT, [this.#keys.meta, this.#keys.head], [], 'identity check'),
      );
    } catch {
      // Unreachable is not lost: the health check and the failing calls report that.
      return;
    }
    if (this.#lost !== null || this.#closed) return;
    if (stored !== this.#epoch) {
      void this.#lose(stored);
    } else if (head < seenBefore) {
      void this.#lose(
        stored,
        `the Redis log's head went back from seq ${seenBefore} to ${head}: Redis lost acknowledged events`,
      );
    }
  }

  /**
   * Marks the log lost, once: stops the tails and the identity check, and says so loudly.
   * Returns the error for the call that noticed it to throw.
   */
  #lose(stored: string | null, why?: string): LogLostError {
    if (this.#lost === null) {
      this.#lost =
        why ??
        (stored === null
          ? `Redis no longer holds the log this hub opened (epoch ${this.#epoch}): it was flushed, or restarted or failed over without its data`
          : `Redis holds another log (epoch ${stored}) than the one this hub opened (epoch ${this.#epoch})`);
      this.#logger.error({ reason: this.#lost, keyPrefix: this.#options.keyPrefix }, 'redis.logLost');
      this.#stopProbe();
      // No beats into a log this hub did not open either.
      this.#heartbeat?.stop();
      for (const tail of this.#tails) tail.stop();
      this.#tails.clear();
    }
    return new LogLostError(this.#lost);
  }

  #stopProbe(): void {
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = null;
  }
}
