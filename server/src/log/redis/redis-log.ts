import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { z } from 'zod';
import type { StoredEvent } from '@lagesbild/shared';
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
import { parseCommandValue, runAppendScript, TURN_MS } from './redis-append.js';
import { RedisCalls } from './redis-calls.js';
import { IDENTITY_CHECK_MS, RedisIdentity } from './redis-identity.js';
import { redisLogKeys, type RedisLogKeys } from './redis-keys.js';
import { loadRedisLog } from './redis-open.js';
import type { LuaScript } from './redis-scripts.js';
import { FIND_COMMAND_SCRIPT, READ_SCRIPT } from './redis-scripts.js';
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

/** READ_SCRIPT's and FIND_COMMAND_SCRIPT's answer: 1 and the result, or 0 and the stored epoch. */
const GuardedReply = z.union([z.tuple([z.literal(1), z.unknown()]), z.tuple([z.literal(0), z.string()])]);

/**
 * The event log on Redis Streams, for several hubs on one Redis.
 *
 * Its keys, all under the prefix, are laid out in redis-keys.ts; opening it (and refusing
 * a log that is not whole) is redis-open.ts.
 *
 * Appends go through one Lua script on a connection whose offline queue is disabled: while
 * Redis is unreachable an append fails at once instead of waiting to be sent later, and
 * every call is bounded by `commandTimeoutMs` (redis-calls.ts). Durability comes from Redis's AOF with
 * `appendfsync always` (checked by the preflight): Redis answers only after the fsync.
 *
 * The log's identity is its epoch in `meta`. Every script the hub runs checks it first
 * (redis-scripts.ts), the tail checks it after every read, and a timer checks it, the head
 * and the newest entry seen every `identityCheckMs` (redis-identity.ts): a Redis that lost
 * its data (no epoch, another epoch, a head below what this hub has seen or an append
 * naming a seq beyond the head, a seq this hub read now holding another command) makes the
 * log lost for good (`lostReason`), and nothing is written into or read from the log that
 * is there now.
 */
export function createRedisLog(options: RedisLogOptions): RedisLog {
  return new RedisEventLog(options);
}

class RedisEventLog implements RedisLog {
  readonly kind = 'redis' as const;

  readonly #options: RedisLogOptions;
  readonly #logger: LogSink;
  readonly #keys: RedisLogKeys;
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
  /** What this log has seen of Redis, and the periodic check against it; made at open. */
  #identity: RedisIdentity | null = null;
  #lost: string | null = null;
  /** Started with the first tail, which reads the beats back. */
  #heartbeat: RedisHeartbeat | null = null;

  constructor(options: RedisLogOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogSink;
    this.#keys = redisLogKeys(options.keyPrefix);
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
    let loaded: Awaited<ReturnType<typeof loadRedisLog>>;
    try {
      loaded = await loadRedisLog({
        calls: this.#calls,
        keys: this.#keys,
        snapshots: this.#snapshots,
        keyPrefix: this.#options.keyPrefix,
        logger: this.#logger,
      });
    } catch (error) {
      this.#client.destroy();
      throw error;
    }
    this.#epoch = loaded.opened.epoch;
    this.#identity = new RedisIdentity({
      calls: this.#calls,
      keys: this.#keys,
      epoch: this.#epoch,
      everyMs: this.#options.identityCheckMs ?? IDENTITY_CHECK_MS,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      onLost: (stored, why) => void this.#lose(stored, why),
    });
    this.#identity.saw(loaded.head);
    if (loaded.newest) this.#identity.saw(loaded.newest.seq, loaded.newest.commandId);
    this.#identity.start();
    return loaded.opened;
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
    const reply = await runAppendScript(this.#calls, this.#keys, {
      expectedSeq,
      commands: written,
      idempotencyWindowMs: this.#options.idempotencyWindowMs,
      writer: this.#writer,
      turnMs: this.#options.turnMs ?? TURN_MS,
      epoch: this.#epoch,
    });
    switch (reply.status) {
      case 'lost':
        throw this.#lose(reply.stored);
      case 'behind':
        throw this.#lose(
          this.#epoch,
          `the Redis log's head is seq ${reply.headSeq}, below seq ${expectedSeq} that this hub read from it: ` +
            'Redis lost acknowledged events',
        );
      case 'conflict':
      case 'duplicate':
        this.#saw(reply.headSeq);
        this.#saw(reply.events);
        return reply;
      case 'appended':
        this.#saw(written.flatMap((command) => command.events));
        // The events as stored: at the time the log stamped them, not the writer's.
        return {
          status: 'appended',
          events: events.map((own) => own.map((event) => ({ ...event, at: reply.at }))),
        };
    }
  }

  async findCommand(commandId: string, sent: CommandFingerprint): Promise<CommandLookup | null> {
    this.#assertUsable();
    const value = await this.#guarded(FIND_COMMAND_SCRIPT, [this.#keys.cmd(commandId)], [], 'GET cmd');
    if (value === '') return null;
    const stored = parseCommandValue(value);
    if (!stored) throw new StreamDataError(`${this.#keys.cmd(commandId)} holds no command's seq`);
    const { seq, known } = stored;
    if (known === null) {
      // Stored before senders were: the sender is the one of the command's last event.
      const [event] = await this.read(seq - 1, 1);
      const sender = event?.seq === seq ? event.by.userId : null;
      return { seq, sameCommand: isSameCommand({ sender, payloadHash: null }, sent) };
    }
    return { seq, sameCommand: isSameCommand(known, sent) };
  }

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    this.#assertUsable();
    const count = Math.floor(limit);
    if (count <= 0) return [];
    const events = parseXRange(
      await this.#guarded(READ_SCRIPT, [this.#keys.events], [entryId(after + 1), String(count)], 'XRANGE'),
    );
    this.#saw(events);
    return events;
  }

  tail(afterSeq: number, onEvents: (events: StoredEvent[]) => void): void {
    this.#assertUsable();
    const deliver = (events: StoredEvent[]) => {
      this.#saw(events);
      onEvents(events);
    };
    this.#heartbeat ??= new RedisHeartbeat({
      key: this.#keys.heartbeat,
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
    this.#identity?.stop();
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

  /** Records a seq, or the newest of some events, read from or written to Redis. */
  #saw(seen: number | readonly StoredEvent[]): void {
    if (typeof seen === 'number') return this.#identity?.saw(seen);
    const newest = seen.at(-1);
    if (newest) this.#identity?.saw(newest.seq, newest.commandId);
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
      this.#identity?.stop();
      // No beats into a log this hub did not open either.
      this.#heartbeat?.stop();
      for (const tail of this.#tails) tail.stop();
      this.#tails.clear();
    }
    return new LogLostError(this.#lost);
  }
}
