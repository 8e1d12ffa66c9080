import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  applyInPlace,
  detachedCopy,
  initialState,
  stateHash,
  type ClientToServerEvents,
  type CommandAck,
  type ServerToClientEvents,
  type State,
} from '@lagesbild/shared';

/**
 * A headless client that folds the hub's events exactly as the browser does, so a test
 * can compare its state with the hub's.
 */
export class FoldingClient {
  state: State = initialState();
  lastSeq = 0;
  epoch: string | undefined;
  snapshots = 0;
  eventsReceived = 0;
  /** The types of the events this client folded, per command: exactly-once means no type twice. */
  readonly foldedPerCommand = new Map<string, string[]>();
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly waiters = new Set<() => void>();

  constructor(
    baseUrl: string,
    cookie: string,
    options: {
      lastSeq?: number;
      epoch?: string;
      state?: State;
      /** Source address on 127.0.0.0/8, so a load balancer hashing on it spreads clients. */
      localAddress?: string;
      /** socket.io-client's backoff; the defaults reconnect fast for short tests. */
      reconnectionDelay?: number;
      reconnectionDelayMax?: number;
      /** Long-polling only, as behind a proxy that blocks websockets. Default: websocket. */
      transport?: 'websocket' | 'polling';
    } = {},
  ) {
    // Folded in place (like the app's store), so a long catch-up costs the test process
    // time per event, not a copy of every collection per event; the caller's state stays as it was.
    if (options.state) this.state = detachedCopy(options.state);
    if (options.lastSeq !== undefined) this.lastSeq = options.lastSeq;
    this.epoch = options.epoch;
    this.socket = io(baseUrl, {
      transports: [options.transport ?? 'websocket'],
      extraHeaders: { cookie },
      reconnectionDelay: options.reconnectionDelay ?? 100,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 1000,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      auth: (cb) =>
        cb({
          protocolVersion: PROTOCOL_VERSION,
          ...(this.epoch !== undefined ? { lastSeq: this.lastSeq, epoch: this.epoch } : {}),
        }),
    });
    this.socket.on('sync.hello', (hello) => {
      this.epoch = hello.epoch;
    });
    this.socket.on('sync.snapshot', (snapshot) => {
      this.snapshots++;
      this.state = snapshot.state;
      this.lastSeq = snapshot.seq;
      this.epoch = snapshot.epoch;
      this.notify();
    });
    this.socket.on('sync.events', (batch) => {
      for (const event of batch.events) {
        if (event.seq <= this.lastSeq) continue;
        applyInPlace(this.state, [event]);
        this.lastSeq = event.seq;
        this.eventsReceived++;
        this.foldedPerCommand.set(event.commandId, [
          ...(this.foldedPerCommand.get(event.commandId) ?? []),
          event.type,
        ]);
      }
      this.lastSeq = Math.max(this.lastSeq, batch.headSeq);
      this.notify();
    });
  }

  get hash(): string {
    return stateHash(this.state);
  }

  /** Resolves once the client has folded up to `seq`. */
  async waitForSeq(seq: number, timeoutMs = 15_000): Promise<void> {
    await this.waitFor(
      () => this.lastSeq >= seq,
      timeoutMs,
      () => `client at ${this.lastSeq}, waiting for ${seq}`,
    );
  }

  /** Resolves once `condition` holds after some event. */
  waitFor(condition: () => boolean, timeoutMs = 15_000, describe = () => 'condition'): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out: ${describe()}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Resolves when connected (and greeted). */
  connected(timeoutMs = 10_000): Promise<void> {
    if (this.socket.connected && this.epoch) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not connect')), timeoutMs);
      this.socket.once('sync.hello', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends a command over the socket and waits for the ack. */
  send(command: unknown, timeoutMs = 10_000): Promise<CommandAck> {
    return this.socket.timeout(timeoutMs).emitWithAck('command.send', command);
  }

  close(): void {
    this.socket.close();
  }

  private notify() {
    for (const waiter of [...this.waiters]) waiter();
  }
}
