import type { BatchSummary } from './frames.js';
import { BenchClient, SOCKET_IO_BACKOFF, type ClientHooks } from './bench-client.js';
import type { GroupStatus, Params } from './protocol.js';
import { wallMs } from '../support/clock.js';

type AckHandler = (frame: Buffer, from: number, at: number) => void;
type BatchListener = (
  client: BenchClient,
  frame: Buffer,
  from: number,
  summary: BatchSummary,
  at: number,
) => void;

/**
 * The clients of one generator process, by group name ("receivers", "publishers", …),
 * and the one place their traffic is dispatched from: a running fan-out listens to
 * batches, a command load waits for acks.
 */
export class Groups {
  readonly #groups = new Map<string, BenchClient[]>();
  readonly #acks = new Map<BenchClient, Map<number, AckHandler>>();
  readonly #batchListeners = new Set<BatchListener>();
  #nextIndex = 0;

  readonly #hooks: ClientHooks = {
    batch: (client, frame, from, summary, at) => {
      for (const listener of this.#batchListeners) listener(client, frame, from, summary, at);
    },
    ack: (client, ackId, frame, from, at) => {
      const handlers = this.#acks.get(client);
      const handler = handlers?.get(ackId);
      if (!handlers || !handler) return;
      handlers.delete(ackId);
      handler(frame, from, at);
    },
  };

  get(name: string): BenchClient[] {
    return this.#groups.get(name) ?? [];
  }

  /** Listens to every batch any client receives until the returned function is called. */
  onBatch(listener: BatchListener): () => void {
    this.#batchListeners.add(listener);
    return () => this.#batchListeners.delete(listener);
  }

  /** Sends an acked event; `handler` runs with the answer. */
  emitWithAck(client: BenchClient, event: string, payloadJson: string, handler: AckHandler): void {
    let handlers = this.#acks.get(client);
    if (!handlers) {
      handlers = new Map();
      this.#acks.set(client, handlers);
    }
    handlers.set(client.emitWithAck(event, payloadJson), handler);
  }

  /** Forgets acks that will never come (a timed-out load), so memory stays flat. */
  dropPendingAcks(client: BenchClient): void {
    this.#acks.get(client)?.clear();
  }

  /** Adds `count` connected clients to a group, `concurrency` handshakes at a time. */
  async connect(
    params: Params<'connect'>,
  ): Promise<{ connected: number; failed: number; ms: number; errors: string[] }> {
    const started = wallMs();
    const group = this.#groups.get(params.group) ?? [];
    this.#groups.set(params.group, group);
    const errors = new Set<string>();
    let connected = 0;
    let failed = 0;
    let next = 0;
    const deadline = Date.now() + params.timeoutMs;
    const one = async (): Promise<void> => {
      while (next < params.count && Date.now() < deadline) {
        const i = next++;
        const index = this.#nextIndex++;
        const client = new BenchClient(
          index,
          {
            baseUrl: params.baseUrls[i % params.baseUrls.length] ?? '',
            mode: params.mode,
            cookie: params.cookies.length > 0 ? params.cookies[i % params.cookies.length] : undefined,
            localAddress:
              params.localAddresses.length > 0
                ? params.localAddresses[index % params.localAddresses.length]
                : undefined,
            handshakeTimeoutMs: Math.min(10_000, params.timeoutMs),
          },
          this.#hooks,
        );
        try {
          await client.connect();
          connected++;
          group.push(client);
          if (params.reconnect) client.enableReconnect(SOCKET_IO_BACKOFF);
        } catch (error) {
          failed++;
          if (errors.size < 5) errors.add((error as Error).message);
          client.close();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, params.concurrency) }, one));
    failed += params.count - connected - failed;
    return { connected, failed, ms: Math.round(wallMs() - started), errors: [...errors] };
  }

  status(name: string, atSeq: number | null): GroupStatus {
    const clients = this.get(name);
    const errors = new Set<string>();
    let ready = 0;
    let caughtUp = 0;
    let minLastSeq = Number.POSITIVE_INFINITY;
    let maxLastSeq = 0;
    let at = 0;
    let missedEvents = 0;
    let snapshots = 0;
    let reconnects = 0;
    for (const c of clients) {
      if (c.isReady) ready++;
      if (c.caughtUp) caughtUp++;
      minLastSeq = Math.min(minLastSeq, c.lastSeq);
      maxLastSeq = Math.max(maxLastSeq, c.lastSeq);
      if (atSeq !== null && c.lastSeq === atSeq) at++;
      missedEvents += c.missedEvents;
      snapshots += c.snapshots;
      reconnects += Math.max(0, c.readyCount - 1);
      if (!c.isReady && c.lastError && errors.size < 5) errors.add(c.lastError);
    }
    return {
      clients: clients.length,
      ready,
      caughtUp,
      minLastSeq: clients.length ? minLastSeq : 0,
      maxLastSeq,
      atSeq: at,
      missedEvents,
      snapshots,
      reconnects,
      errors: [...errors],
    };
  }

  close(name: string): void {
    for (const client of this.get(name)) {
      this.#acks.delete(client);
      client.close();
    }
    this.#groups.delete(name);
  }
}
