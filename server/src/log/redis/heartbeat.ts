import { z } from 'zod';
import type { LogContact } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { TimeoutError, withTimeout } from '../with-timeout.js';
import { renewConnection, type RenewableClient } from './bounded-redis.js';

/** How often each hub writes its heartbeat into the log's side channel. */
export const HEARTBEAT_EVERY_MS = 1000;

/**
 * How long a hub may go without reading its own heartbeat back through its tail before it
 * calls its picture stale: two beats missed, more than a slow moment, far less than the
 * minutes a TCP connection into a blackhole takes to fail by itself.
 */
export const STALE_AFTER_MS = 2000;

/**
 * How long a heartbeat write may go unanswered before the connection it went out on is
 * taken to be dead (a blackhole keeps TCP open and answers nothing) and opened anew.
 */
const WRITE_TIMEOUT_MS = 2000;

/** Entries the heartbeat stream keeps (`MAXLEN ~`): minutes of beats for a handful of hubs. */
const KEEP_BEATS = 1000;

/** A peer silent for this long is logged as silent (and again once it is heard). */
const PEER_SILENT_AFTER_MS = 5000;

const Entry = z.tuple([z.string(), z.array(z.string())]);
const Entries = z.array(Entry);
/** XREAD answers a map (RESP3) or a list of [key, entries] (RESP2), or null on timeout. */
const XReadReply = z.union([
  z.null(),
  z.record(z.string(), Entries),
  z.array(z.tuple([z.string(), Entries])),
]);

/** What this hub last heard from another hub through the log. */
export type PeerBeat = { hub: string; lastSeenMsAgo: number };

export type HeartbeatOptions = {
  /** The stream the beats go to (under the log's key prefix). */
  key: string;
  /** Names this process in its beats (unique per process). */
  writer: string;
  /** Names this hub for people reading the peers list. */
  hub: string;
  /** The log's command connection: the beats prove that appends can get through. */
  client: RenewableClient;
  logger: LogSink;
  now?: () => number;
};

/**
 * The log's heartbeat in Redis. Every second the hub appends a beat to a side stream on
 * the connection its appends use, and its tail reads that stream along with the events
 * (RedisTail). A beat of its own read back proves the whole round trip, write and tail, in
 * one measure: when none has come back for STALE_AFTER_MS, the hub can no longer know what
 * other hubs append, and its picture is stale. Other hubs' beats say which peers are alive.
 *
 * A write that goes unanswered means a connection that looks open but carries nothing (a
 * blackhole): it is opened anew, so that contact resumes as soon as the network does,
 * instead of when TCP gives up minutes later.
 */
export class RedisHeartbeat {
  readonly key: string;
  #lastContact: number;
  /**
   * The beat id the tail reads after: the newest it has read, or just before this hub's
   * first beat. `$` (only beats added while the read waits) only until the first beat's id
   * is known: an XREAD that returns at once with events reads no beat after `$`, so under
   * steady traffic a hub reading after `$` could never read its own beat back.
   */
  #readAfter = '$';
  #writing = false;
  #renewing = false;
  #timer: NodeJS.Timeout | null = null;
  #stale = false;
  readonly #peers = new Map<string, { hub: string; seenAt: number; silent: boolean }>();
  readonly #now: () => number;

  constructor(private readonly options: HeartbeatOptions) {
    this.key = options.key;
    this.#now = options.now ?? Date.now;
    // The log was just read at open: that is the last contact until the first beat returns.
    this.#lastContact = this.#now();
  }

  /** Starts beating, once a tail reads the beats back. */
  start(): void {
    if (this.#timer) return;
    this.#lastContact = this.#now();
    this.#timer = setInterval(() => this.#beat(), HEARTBEAT_EVERY_MS);
    this.#timer.unref();
    this.#beat();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Whether the hub is in contact with its log now. */
  contact(): LogContact {
    if (!this.#timer) return { state: 'live' };
    const since = this.#lastContact;
    const stale = this.#now() - since > STALE_AFTER_MS;
    if (stale !== this.#stale) {
      this.#stale = stale;
      if (stale)
        this.options.logger.warn({ lastContact: new Date(since).toISOString() }, 'redis.contactLost');
      else this.options.logger.info({}, 'redis.contactRegained');
    }
    return stale ? { state: 'stale', since } : { state: 'live' };
  }

  /** The other hubs whose beats this hub has read, and how long ago it last did. */
  peers(): PeerBeat[] {
    const now = this.#now();
    return [...this.#peers.values()].map((p) => ({ hub: p.hub, lastSeenMsAgo: now - p.seenAt }));
  }

  /** The stream and id the tail's XREAD adds after its own: `[key, after]`. */
  readArgs(): { key: string; after: string } {
    return { key: this.key, after: this.#readAfter };
  }

  /**
   * Takes the beats out of the tail's XREAD reply and returns the rest, for the tail to
   * parse as events. Called for every answer, empty ones too.
   */
  take(reply: unknown): unknown {
    const parsed = XReadReply.safeParse(reply);
    // Not ours to judge: the tail's own parsing reports a reply it cannot read.
    if (!parsed.success || parsed.data === null) return reply;
    const data = parsed.data;
    const pairs: [string, z.infer<typeof Entries>][] = Array.isArray(data) ? data : Object.entries(data);
    const beats = pairs.find(([key]) => key === this.key)?.[1] ?? [];
    for (const [id, fields] of beats) this.#heard(id, fields);
    const rest = pairs.filter(([key]) => key !== this.key);
    if (rest.length === 0) return null;
    return Array.isArray(data) ? rest : Object.fromEntries(rest);
  }

  #heard(id: string, fields: string[]): void {
    this.#readAfter = id;
    const field = (name: string) => {
      const at = fields.indexOf(name);
      return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
    };
    const writer = field('w');
    if (writer === undefined) return;
    const now = this.#now();
    if (writer === this.options.writer) {
      this.#lastContact = now;
      return;
    }
    const hub = field('h') ?? writer;
    const known = this.#peers.get(writer);
    if (known?.silent) this.options.logger.info({ peer: hub }, 'redis.peerHeardAgain');
    this.#peers.set(writer, { hub, seenAt: now, silent: false });
  }

  #beat(): void {
    this.#notePeerSilence();
    if (this.#writing || this.#renewing) return;
    const { client, key, writer, hub } = this.options;
    // A renewal that could not connect leaves the client closed; only another one reopens it.
    if (!client.isOpen) return void this.#renew();
    this.#writing = true;
    const write = client.sendCommand([
      'XADD',
      key,
      'MAXLEN',
      '~',
      String(KEEP_BEATS),
      '*',
      'w',
      writer,
      'h',
      hub,
    ]);
    withTimeout(write, WRITE_TIMEOUT_MS, 'heartbeat')
      .then((id) => {
        // Read from just before it: this very beat is the first the tail brings back.
        if (this.#readAfter === '$' && typeof id === 'string') this.#readAfter = idBefore(id);
      })
      .catch((error: unknown) => {
        // A refused write (Redis down, the client reconnecting by itself) needs nothing more:
        // the missing beat shows in the contact. Only silence calls for a new connection.
        if (error instanceof TimeoutError) return this.#renew();
      })
      .finally(() => {
        this.#writing = false;
      });
  }

  /**
   * Drops the connection that stopped answering and opens a new one. Everything still
   * waiting on the old one fails now (as unavailable) rather than after its own timeout.
   */
  async #renew(): Promise<void> {
    if (this.#renewing || !this.#timer) return;
    this.#renewing = true;
    const { client, logger } = this.options;
    logger.warn({}, 'redis.connectionSilent');
    try {
      // Still unreachable when it fails: the next beat tries again.
      if (await renewConnection(client, WRITE_TIMEOUT_MS)) logger.info({}, 'redis.connectionRenewed');
    } finally {
      this.#renewing = false;
    }
  }

  #notePeerSilence(): void {
    const now = this.#now();
    for (const peer of this.#peers.values()) {
      if (peer.silent || now - peer.seenAt <= PEER_SILENT_AFTER_MS) continue;
      peer.silent = true;
      this.options.logger.warn({ peer: peer.hub, silentMs: now - peer.seenAt }, 'redis.peerSilent');
    }
  }
}

/** The largest sequence part of a stream id: Redis keeps it as an unsigned 64-bit number. */
const MAX_ID_SEQ = 18446744073709551615n;

/**
 * The stream id just before `id` (`<ms>-<seq>`), which XREAD reads after to include `id`
 * itself; `$` for a reply that is no stream id.
 */
export function idBefore(id: string): string {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) return '$';
  const ms = BigInt(match[1] ?? '0');
  const seq = BigInt(match[2] ?? '0');
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  return ms > 0n ? `${ms - 1n}-${MAX_ID_SEQ}` : '0-0';
}
