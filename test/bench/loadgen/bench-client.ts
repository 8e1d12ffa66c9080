import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@lagesbild/shared';

/**
 * The protocol the hub under test speaks: this checkout's, or another commit's when
 * bench:compare measures that commit's hub (BENCH_PROTOCOL_VERSION, read from its source).
 * The frames S1–S3 read have kept their shape across versions.
 */
const HUB_PROTOCOL_VERSION = Number(process.env.BENCH_PROTOCOL_VERSION ?? PROTOCOL_VERSION);
import {
  EIO,
  SIO,
  eventName,
  frameEpoch,
  packetHeader,
  snapshotSeq,
  summariseBatch,
  stringAfter,
  intAfter,
  type BatchSummary,
} from './frames.js';
import { wallMs } from '../support/clock.js';

/**
 * `socketio`: Engine.IO v4 + socket.io v4 over a websocket (the hub and the socket.io
 * baseline). `raw`: a bare websocket whose messages are socket.io-shaped text frames
 * (the raw `ws` ceiling), so both are read by the same code.
 */
export type ClientMode = 'socketio' | 'raw';

/**
 * socket.io-client's reconnection settings (`reconnectionDelay`, `…Max`, `randomizationFactor`,
 * and `timeout`, how long one attempt may take to open).
 */
export type ReconnectPolicy = {
  minMs: number;
  maxMs: number;
  jitter: number;
  maxAttempts: number;
  timeoutMs: number;
};

/**
 * What the browser client (client/src/realtime/realtime.ts) sets: 1 s doubling, ±50 %
 * jitter, at most 30 s. Attempts are bounded here only so a bench ends.
 */
export const SOCKET_IO_BACKOFF: ReconnectPolicy = {
  minMs: 1000,
  maxMs: 30_000,
  jitter: 0.5,
  maxAttempts: 60,
  timeoutMs: 20_000,
};

/**
 * socket.io-client's `Backoff.duration()` (contrib/backo2.js) for attempt `attempt` (0 first):
 * the jitter is applied before the cap, so no delay ever exceeds `maxMs`.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random = Math.random()): number {
  let ms = policy.minMs * 2 ** attempt;
  const deviation = Math.floor(random * policy.jitter * ms);
  ms = (Math.floor(random * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  return Math.min(ms, policy.maxMs) | 0;
}

export type ClientOptions = {
  /** `http://127.0.0.1:port` of the server. */
  baseUrl: string;
  mode: ClientMode;
  cookie?: string;
  localAddress?: string;
  handshakeTimeoutMs?: number;
};

/** What the generator wants to hear from a client; every hook is optional. */
export type ClientHooks = {
  /** A `sync.events` batch (or, in raw mode, any broadcast frame). */
  batch?: (client: BenchClient, frame: Buffer, from: number, summary: BatchSummary, at: number) => void;
  /** The answer to one of this client's acked emits. */
  ack?: (client: BenchClient, ackId: number, frame: Buffer, from: number, at: number) => void;
  /** The connection is ready: socket.io namespace joined, or raw socket open. */
  ready?: (client: BenchClient, at: number) => void;
};

type Status = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';

const HELLO_HEAD = Buffer.from('"headSeq":');
const HELLO_HUB = Buffer.from('"hubId":"');

/**
 * One simulated client, as light as we can make it: a `ws` socket, a few numbers and no
 * JSON parsing of broadcasts. It speaks just enough socket.io v4 for the hub: the
 * namespace connect with `auth`, pong for ping, events, acks. It tracks `lastSeq` and
 * `epoch` like the real client so a reconnect resumes with catch-up.
 */
export class BenchClient {
  status: Status = 'idle';
  epoch: string | null = null;
  lastSeq = 0;
  /** The hub's head at the last `sync.hello`; caught up once lastSeq reaches it. */
  helloHeadSeq = -1;
  hubId: string | null = null;
  /** Events skipped between batches: seq jumps where every event is visible to us. */
  missedEvents = 0;
  readyCount = 0;
  readyAt = 0;
  /** When the attempt that led to the current connection started. */
  openedAt = 0;
  /** When the client last became caught up (0 while it is not). */
  caughtUpAt = 0;
  /** Failed attempts before the current connection (0: the first attempt got through). */
  failedAttempts = 0;
  snapshots = 0;
  lastError = '';

  #ws: WebSocket | null = null;
  #nextAckId = 0;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  #pending: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #reconnect: ReconnectPolicy | null = null;

  constructor(
    readonly index: number,
    private readonly options: ClientOptions,
    private readonly hooks: ClientHooks,
  ) {}

  get isReady(): boolean {
    return this.status === 'ready';
  }

  /** Whether the client has folded everything the hub had when it (re)joined. */
  get caughtUp(): boolean {
    return this.status === 'ready' && this.helloHeadSeq >= 0 && this.lastSeq >= this.helloHeadSeq;
  }

  /** Connects once; resolves when ready, rejects on refusal, error or timeout. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      // The upgrade has its own timeout; this one also covers the namespace connect.
      const timer = setTimeout(() => {
        this.lastError = 'no connect within the handshake timeout';
        this.#ws?.terminate();
      }, this.options.handshakeTimeoutMs ?? 10_000);
      this.#pending = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#open();
    });
  }

  /** From now on, a dropped connection is retried with this backoff. */
  enableReconnect(policy: ReconnectPolicy): void {
    this.#reconnect = policy;
  }

  /** Sends a socket.io event with an ack; returns the ack id the answer will carry. */
  emitWithAck(event: string, payloadJson: string): number {
    const id = this.#nextAckId++;
    this.#ws?.send(`42${id}["${event}",${payloadJson}]`);
    return id;
  }

  /** Sends a text frame as it is (the raw ceiling's publish). */
  sendRaw(text: string | Buffer): void {
    this.#ws?.send(text, { binary: false });
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.status = 'closed';
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#ws?.terminate();
    this.#ws = null;
    this.#settle(new Error('closed'));
  }

  #open(): void {
    this.status = 'connecting';
    this.openedAt = wallMs();
    const { baseUrl, mode, cookie, localAddress } = this.options;
    const url = new URL(baseUrl);
    url.protocol = 'ws:';
    if (mode === 'socketio') {
      url.pathname = '/socket.io/';
      url.search = '?EIO=4&transport=websocket';
    }
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      // Frames come from our own servers; checking their UTF-8 would only cost the generator.
      skipUTF8Validation: true,
      // A reconnect attempt waits as long as the browser client's would.
      handshakeTimeout:
        this.#attempt > 0 && this.#reconnect
          ? this.#reconnect.timeoutMs
          : (this.options.handshakeTimeoutMs ?? 10_000),
      ...(cookie ? { headers: { cookie } } : {}),
      ...(localAddress ? { localAddress } : {}),
    });
    this.#ws = ws;
    ws.on('open', () => {
      if (mode === 'raw') this.#becameReady();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) this.#onFrame(data);
    });
    ws.on('error', (error) => {
      this.lastError = error.message;
    });
    ws.on('close', () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#down(this.lastError || 'closed by server');
    });
  }

  #onFrame(frame: Buffer): void {
    const at = wallMs();
    switch (frame[0]) {
      case EIO.ping:
        this.#ws?.send('3');
        return;
      case EIO.open:
        if (this.options.mode === 'socketio') this.#ws?.send(`40${JSON.stringify(this.#auth())}`);
        return;
      case EIO.message:
        this.#onPacket(frame, at);
        return;
      case EIO.close:
        this.#ws?.terminate();
        return;
      default:
        return;
    }
  }

  #onPacket(frame: Buffer, at: number): void {
    switch (frame[1]) {
      case SIO.event: {
        const header = packetHeader(frame);
        if (!header) return;
        const name = eventName(frame, header.arrayStart);
        if (name === 'sync.events') this.#onBatch(frame, header.arrayStart, at);
        else if (name === 'sync.hello') this.#onHello(frame, header.arrayStart, at);
        else if (name === 'sync.snapshot') this.#onSnapshot(frame, header.arrayStart, at);
        return;
      }
      case SIO.ack: {
        const header = packetHeader(frame);
        if (header?.ackId !== null && header?.ackId !== undefined) {
          this.hooks.ack?.(this, header.ackId, frame, header.arrayStart, at);
        }
        return;
      }
      case SIO.connect:
        // The hub's hello and catch-up follow the connect packet: the socket counts as
        // connected now, and `caughtUp` tells when the catch-up has been folded.
        this.#becameReady();
        return;
      case SIO.connectError:
        this.lastError = `connect_error ${frame.toString('utf8', 2, Math.min(frame.length, 300))}`;
        this.#ws?.terminate();
        return;
      case SIO.disconnect:
        this.lastError = 'disconnected by server';
        this.#ws?.terminate();
        return;
      default:
        return;
    }
  }

  #onHello(frame: Buffer, from: number, at: number): void {
    this.epoch = frameEpoch(frame, from) ?? this.epoch;
    this.helloHeadSeq = intAfter(frame, HELLO_HEAD, from) ?? -1;
    this.hubId = stringAfter(frame, HELLO_HUB, from);
    this.#noteCaughtUp(at);
  }

  #onSnapshot(frame: Buffer, from: number, at: number): void {
    this.snapshots++;
    this.epoch = frameEpoch(frame, from) ?? this.epoch;
    this.lastSeq = snapshotSeq(frame, from) ?? this.lastSeq;
    this.#noteCaughtUp(at);
  }

  #noteCaughtUp(at: number): void {
    if (this.caughtUpAt === 0 && this.caughtUp) this.caughtUpAt = at;
  }

  #onBatch(frame: Buffer, from: number, at: number): void {
    const summary = summariseBatch(frame, from);
    const { firstSeq, lastSeq, headSeq, count } = summary;
    // Only meaningful because benchmark traffic is visible to every viewer: a jump between
    // batches, or within one.
    if (firstSeq !== null && this.epoch !== null && this.lastSeq > 0 && firstSeq > this.lastSeq + 1) {
      this.missedEvents += firstSeq - this.lastSeq - 1;
    }
    if (firstSeq !== null && lastSeq !== null) this.missedEvents += lastSeq - firstSeq + 1 - count;
    this.lastSeq = Math.max(this.lastSeq, lastSeq ?? 0, headSeq ?? 0);
    this.#noteCaughtUp(at);
    this.hooks.batch?.(this, frame, from, summary, at);
  }

  #auth(): Record<string, unknown> {
    return this.epoch === null
      ? { protocolVersion: HUB_PROTOCOL_VERSION }
      : { protocolVersion: HUB_PROTOCOL_VERSION, lastSeq: this.lastSeq, epoch: this.epoch };
  }

  #becameReady(): void {
    if (this.status === 'ready') return;
    this.status = 'ready';
    this.readyCount++;
    this.readyAt = wallMs();
    // #attempt counts the retries scheduled since the drop; the last one got through.
    this.failedAttempts = Math.max(0, this.#attempt - 1);
    this.#attempt = 0;
    this.hooks.ready?.(this, this.readyAt);
    this.#settle(null);
  }

  #down(reason: string): void {
    if (this.status === 'closed') return;
    this.status = 'down';
    this.helloHeadSeq = -1;
    this.caughtUpAt = 0;
    // An Error (and its stack) only when a connect() waits for this attempt.
    if (this.#pending) this.#settle(new Error(reason));
    const policy = this.#reconnect;
    if (!policy || this.#attempt >= policy.maxAttempts) return;
    const delay = backoffDelay(policy, this.#attempt);
    this.#attempt++;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.status === 'down') this.#open();
    }, delay);
  }

  #settle(error: Error | null): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }
}
