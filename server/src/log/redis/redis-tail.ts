import type { StoredEvent } from '@lagesbild/shared';
import type { LogSink } from '../log-sink.js';
import { entryId, parseXRead } from './redis-stream.js';
import { TimeoutError, withTimeout } from '../with-timeout.js';
import type { RedisHeartbeat } from './heartbeat.js';

/** The part of a node-redis client a tail uses. */
export type TailConnection = {
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  destroy(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly isReady: boolean;
};

export type RedisTailOptions = {
  streamKey: string;
  /** Makes a new connection of its own (not yet connected). */
  connect: () => TailConnection;
  /** How long one XREAD blocks in Redis before it returns empty-handed. */
  blockMs: number;
  /** Margin on top of blockMs after which the connection is taken to be dead. */
  timeoutMs: number;
  logger: LogSink;
  /**
   * The log's identity: after every XREAD the tail reads `meta`'s epoch on the same
   * connection (pipelined, so no extra round trip), and delivers nothing once it is not
   * `epoch`. Events that a new log under the same keys holds exist only after its epoch
   * does, so a read that found them is always followed by a check that sees the change.
   */
  identity?: { metaKey: string; epoch: string; onLost: (stored: string | null) => void };
  /**
   * The log's heartbeat (heartbeat.ts): its stream is read in the same XREAD as the
   * events, so a beat read back proves this very connection carries what hubs append.
   */
  heartbeat?: Pick<RedisHeartbeat, 'readArgs' | 'take'>;
};

const PAGE = 1000;
const MAX_BACKOFF_MS = 1000;

/**
 * One `tail` of the Redis log: a loop of blocking XREADs on its own connection (a blocked
 * connection can carry nothing else). It remembers the last seq it delivered and always
 * reads after it, so a lost connection, a Redis restart or a timeout resumes exactly
 * where it stopped: no gap, no event delivered twice.
 */
export class RedisTail {
  #last: number;
  #stopped = false;
  #connection: TailConnection | null = null;
  #wake: (() => void) | null = null;
  #failing = false;

  constructor(
    afterSeq: number,
    private readonly onEvents: (events: StoredEvent[]) => void,
    private readonly options: RedisTailOptions,
  ) {
    this.#last = afterSeq;
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#connection?.destroy();
    this.#connection = null;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        const connection = await this.#ensureConnection();
        const { identity, heartbeat } = this.options;
        const beats = heartbeat?.readArgs();
        const [reply, stored] = await withTimeout(
          Promise.all([
            connection.sendCommand([
              'XREAD',
              'COUNT',
              String(PAGE),
              'BLOCK',
              String(this.options.blockMs),
              'STREAMS',
              this.options.streamKey,
              ...(beats ? [beats.key, entryId(this.#last), beats.after] : [entryId(this.#last)]),
            ]),
            identity ? connection.sendCommand(['HGET', identity.metaKey, 'epoch']) : null,
          ]),
          this.options.blockMs + this.options.timeoutMs,
          'XREAD',
        );
        if (this.#stopped) return;
        if (identity && stored !== identity.epoch) {
          identity.onLost(typeof stored === 'string' ? stored : null);
          this.stop();
          return;
        }
        failures = 0;
        if (this.#failing) {
          this.#failing = false;
          this.options.logger.info({ afterSeq: this.#last }, 'redis.tailResumed');
        }
        this.#deliver(parseXRead(heartbeat ? heartbeat.take(reply) : reply));
      } catch (error) {
        if (this.#stopped) return;
        if (!this.#failing) {
          this.#failing = true;
          this.options.logger.warn(
            { err: (error as Error).message, afterSeq: this.#last },
            'redis.tailInterrupted',
          );
        }
        if (error instanceof TimeoutError) {
          // No answer even though XREAD returns by itself after blockMs: the connection is
          // dead without having noticed. Start over on a new one.
          this.#connection?.destroy();
          this.#connection = null;
        }
        failures++;
        await this.#pause(Math.min(50 * 2 ** failures, MAX_BACKOFF_MS));
      }
    }
  }

  async #ensureConnection(): Promise<TailConnection> {
    if (this.#connection) return this.#connection;
    const connection = this.options.connect();
    // Without a listener an 'error' event would crash the process; the loop reports instead.
    connection.on('error', () => undefined);
    this.#connection = connection;
    try {
      await withTimeout(connection.connect(), this.options.timeoutMs, 'tail connect');
    } catch (error) {
      connection.destroy();
      if (this.#connection === connection) this.#connection = null;
      throw error;
    }
    return connection;
  }

  #deliver(events: StoredEvent[]): void {
    const fresh = events.filter((e) => e.seq > this.#last);
    const first = fresh[0];
    if (!first) return;
    if (first.seq !== this.#last + 1) {
      // Trimmed away before this tail read it; the consumer must notice the jump.
      this.options.logger.error(
        { afterSeq: this.#last, firstSeq: first.seq },
        'redis.tailBeyondRetainedHistory',
      );
    }
    this.#last = fresh[fresh.length - 1]?.seq ?? this.#last;
    try {
      this.onEvents(fresh);
    } catch (error) {
      // A failing consumer must not stop the tail.
      this.options.logger.error({ err: (error as Error).message }, 'redis.tailConsumerThrew');
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
