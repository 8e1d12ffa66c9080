import { randomInt } from 'node:crypto';
import net from 'node:net';

// A TCP proxy in front of one hub port that makes the network between clients and the hub
// misbehave the ways a mobile or congested link does, at random but replayably (a seed):
//
// - delay: added latency with jitter on every chunk of a connection, order preserved;
// - stall: nothing delivered for a while in either direction, then everything at once;
// - cut: part of a chunk forwarded (a websocket frame torn in half), then both sides closed;
// - reset: both sides reset at once (TCP RST);
// - drop: the connection silently stops delivering in both directions and is never closed by
//   the proxy, as after a route change or a NAT timeout: each peer must find out through its
//   own heartbeat (socket.io's ping/pong) and close its end.
// - blackhole (setBlackhole): a network partition. Every open connection is dropped at once,
//   and every new one is accepted and dropped too, so a connect succeeds and then nothing
//   answers, never closed by the proxy. When it ends, new connections go through again and
//   the dropped ones stay silent: each side must give up on them and connect anew.
//
// Delay is chosen per connection and applied per chunk. The other faults strike a
// connection at random moments: every `tickMs` a connection draws one of them (or none)
// from the mix; a stall or none lets it go on and draw again, the others end it.

/** How often each fault happens while the proxy's faults are on; probabilities in [0, 1]. */
export type FaultMix = {
  /** Share of connections whose every chunk is delayed by `delayMs` (uniform in the range). */
  delay: number;
  delayMs: readonly [min: number, max: number];
  /** Per draw: the chance of each fault; the rest of the draws change nothing. */
  stall: number;
  cut: number;
  reset: number;
  drop: number;
  /** The time between one connection's draws, uniform in the range. */
  tickMs: readonly [min: number, max: number];
  /** How long a stall holds the connection, uniform in the range. */
  stallMs: readonly [min: number, max: number];
  /**
   * The proxy's first draws go to each fault whose chance is above 0, one after the other,
   * before chance takes over: a short run then sees every kind at least once.
   */
  firstOfEach?: boolean;
};

/** The faults that strike a connection at a draw, in the order `firstOfEach` deals them. */
const STRIKES = ['stall', 'cut', 'reset', 'drop'] as const;
type Strike = (typeof STRIKES)[number];

/** What the proxy did, for the report and for the tests that check each fault happened. */
export type FaultProxyStats = {
  connections: number;
  /** Connections open now (a dropped one stays open until a peer closes it). */
  open: number;
  /** Chunks that were held back by the delay fault. */
  delayedChunks: number;
  stalls: number;
  cuts: number;
  /** Cuts that tore a chunk on its way to the hub (the rest tore one on its way to the client). */
  cutsTowardHub: number;
  resets: number;
  drops: number;
  /**
   * Dropped connections that each side closed by itself, having noticed the silence
   * (socket.io closes its websocket on a ping timeout, and the TCP connection once the
   * websocket close handshake, which the silence swallows too, gives up).
   */
  dropsClosedByClient: number;
  dropsClosedByHub: number;
  /** The longest a side took to close a dropped connection, in ms. */
  slowestDropCloseMs: number;
  /** Bytes the dropped connections swallowed. */
  bytesDropped: number;
  /** Connections accepted while the blackhole was on (dropped from the start). */
  blackholed: number;
};

export type FaultProxy = {
  /** `http://127.0.0.1:port`, for clients to connect to instead of the hub. */
  url: string;
  port: number;
  /** The seed of the proxy's random choices, printed so a failing run can be replayed. */
  seed: number;
  stats: () => FaultProxyStats;
  /**
   * Switches the faults on with the given mix, or off with null. Off also ends stalls and
   * delays at once; dropped connections stay silent until their peers notice.
   */
  setFaults: (mix: FaultMix | null) => void;
  /**
   * Turns the blackhole on (every connection, open or new, silently dropped) or off (new
   * connections go through; the dropped ones stay silent until their peers give up).
   */
  setBlackhole: (on: boolean) => void;
  stop: () => Promise<void>;
};

export type FaultProxyOptions = {
  /** The hub's port on 127.0.0.1. */
  targetPort: number;
  seed?: number;
  /** Faults from the start; default none until `setFaults`. */
  mix?: FaultMix | null;
};

/** A healthy network: every fault off. Spread it and set the ones a test wants. */
export const NO_FAULTS: FaultMix = {
  delay: 0,
  delayMs: [0, 0],
  stall: 0,
  cut: 0,
  reset: 0,
  drop: 0,
  tickMs: [1000, 1000],
  stallMs: [0, 0],
};

/** mulberry32: small, fast and good enough to pick faults; the same seed replays the same picks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts a proxy on a free loopback port, forwarding to `targetPort`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const seed = options.seed ?? randomInt(2 ** 31);
  const random = seededRandom(seed);
  const between = ([min, max]: readonly [number, number]) => min + random() * (max - min);
  let mix = options.mix ?? null;
  const stats: FaultProxyStats = {
    connections: 0,
    open: 0,
    delayedChunks: 0,
    stalls: 0,
    cuts: 0,
    cutsTowardHub: 0,
    resets: 0,
    drops: 0,
    dropsClosedByClient: 0,
    dropsClosedByHub: 0,
    slowestDropCloseMs: 0,
    bytesDropped: 0,
    blackholed: 0,
  };
  let blackhole = false;
  const connections = new Set<Connection>();
  const struck = new Set<Strike>();
  const draw = (current: FaultMix): Strike | null => {
    const due = current.firstOfEach
      ? STRIKES.find((kind) => current[kind] > 0 && !struck.has(kind))
      : undefined;
    let roll = random();
    // Each fault owns a slice of [0, 1) as wide as its chance; the rest is no fault.
    const kind =
      due ??
      STRIKES.find((k) => {
        roll -= current[k];
        return roll < 0;
      }) ??
      null;
    if (kind) struck.add(kind);
    return kind;
  };

  class Connection {
    state: 'open' | 'dropped' | 'closed' = 'open';
    /** Drawn once: the connection is delayed while `delayRoll < mix.delay`. */
    readonly delayRoll = random();
    holdUntil = 0;
    cutArmed = false;
    droppedAt = 0;
    /** The sides of a dropped connection that have hung up. */
    private readonly gone = new Set<net.Socket>();
    readonly toHub: Direction;
    readonly toClient: Direction;
    private strikeTimer: NodeJS.Timeout | undefined;

    constructor(
      readonly client: net.Socket,
      readonly hub: net.Socket,
    ) {
      this.toHub = new Direction(this, client, hub);
      this.toClient = new Direction(this, hub, client);
      this.scheduleStrike();
    }

    /** Ends both sides after what is already written, as a peer's orderly close would. */
    end() {
      if (!this.stopFaults()) return;
      this.client.end();
      this.hub.end();
      // A peer that never answers the FIN must not keep the connection forever.
      setTimeout(() => this.destroy(), 1000).unref();
    }

    destroy() {
      this.stopFaults();
      this.client.destroy();
      this.hub.destroy();
    }

    reset() {
      if (!this.stopFaults()) return;
      stats.resets++;
      this.client.resetAndDestroy();
      this.hub.resetAndDestroy();
    }

    drop() {
      if (this.state !== 'open') return;
      stats.drops++;
      this.state = 'dropped';
      this.droppedAt = Date.now();
      clearTimeout(this.strikeTimer);
      this.toHub.clear();
      this.toClient.clear();
    }

    /** A side of a dropped connection hung up: it noticed the silence by itself. */
    noticed(side: net.Socket) {
      if (this.state !== 'dropped' || this.gone.has(side)) return;
      this.gone.add(side);
      if (side === this.client) stats.dropsClosedByClient++;
      else stats.dropsClosedByHub++;
      stats.slowestDropCloseMs = Math.max(stats.slowestDropCloseMs, Date.now() - this.droppedAt);
      side.destroy();
      if (this.gone.size === 2) this.state = 'closed';
    }

    /** Faults off: stalls and delays end now; a dropped connection stays silent. */
    heal() {
      this.holdUntil = 0;
      this.cutArmed = false;
      this.toHub.pump();
      this.toClient.pump();
    }

    /** Marks the connection closed; false if it already was. */
    private stopFaults(): boolean {
      if (this.state === 'closed') return false;
      this.state = 'closed';
      clearTimeout(this.strikeTimer);
      this.toHub.clear();
      this.toClient.clear();
      return true;
    }

    private scheduleStrike() {
      this.strikeTimer = setTimeout(() => this.strike(), between(mix?.tickMs ?? NO_FAULTS.tickMs));
    }

    private strike() {
      if (this.state !== 'open') return;
      switch (mix ? draw(mix) : null) {
        case 'stall':
          stats.stalls++;
          this.holdUntil = Date.now() + between(mix?.stallMs ?? NO_FAULTS.stallMs);
          this.toHub.pump();
          this.toClient.pump();
          break;
        case 'cut':
          // The next chunk either way is torn (see Direction.deliver).
          this.cutArmed = true;
          break;
        case 'reset':
          return this.reset();
        case 'drop':
          return this.drop();
        case null:
          break;
      }
      this.scheduleStrike();
    }
  }

  /** One direction of a connection: chunks wait, in order, until they are due. */
  class Direction {
    private readonly queue: { due: number; data: Buffer | 'end' }[] = [];
    private lastDue = 0;
    private timer: NodeJS.Timeout | undefined;

    constructor(
      private readonly connection: Connection,
      readonly from: net.Socket,
      private readonly to: net.Socket,
    ) {}

    push(data: Buffer | 'end') {
      const { connection } = this;
      if (connection.state === 'dropped' && data !== 'end') stats.bytesDropped += data.length;
      if (connection.state !== 'open') return;
      const now = Date.now();
      let due = now;
      if (data !== 'end' && mix && connection.delayRoll < mix.delay) {
        due = now + between(mix.delayMs);
        stats.delayedChunks++;
      }
      // Jitter must not reorder a byte stream: a chunk never overtakes the one before it.
      due = Math.max(due, this.lastDue);
      this.lastDue = due;
      this.queue.push({ due, data });
      this.pump();
    }

    pump() {
      clearTimeout(this.timer);
      const now = Date.now();
      for (let item = this.queue[0]; item; item = this.queue[0]) {
        const due = Math.max(item.due, this.connection.holdUntil);
        if (due > now) {
          this.timer = setTimeout(() => this.pump(), due - now);
          return;
        }
        this.queue.shift();
        this.deliver(item.data);
        if (this.connection.state !== 'open') return;
      }
    }

    clear() {
      clearTimeout(this.timer);
      this.queue.length = 0;
    }

    private deliver(data: Buffer | 'end') {
      const { connection, to } = this;
      if (data === 'end') return connection.end();
      if (!connection.cutArmed || data.length < 2) {
        to.write(data);
        return;
      }
      // Tear the chunk, and with it the websocket frame it carries, then hang up on both.
      stats.cuts++;
      if (to === connection.hub) stats.cutsTowardHub++;
      const keep = 1 + Math.floor(random() * (data.length - 1));
      to.write(data.subarray(0, keep));
      connection.end();
    }
  }

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.connections++;
    stats.open++;
    // The hub sees each client's own loopback address, as behind a transparent proxy.
    const hub = net.connect({
      host: '127.0.0.1',
      port: options.targetPort,
      allowHalfOpen: true,
      ...(client.remoteAddress ? { localAddress: client.remoteAddress } : {}),
    });
    const connection = new Connection(client, hub);
    connections.add(connection);
    if (blackhole) {
      stats.blackholed++;
      connection.drop();
    }
    for (const direction of [connection.toHub, connection.toClient]) {
      const socket = direction.from;
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => direction.push(chunk));
      // An orderly end travels behind the data still queued; on a dropped connection it is
      // how the proxy learns that this side gave up.
      socket.on('end', () =>
        connection.state === 'dropped' ? connection.noticed(socket) : direction.push('end'),
      );
      // Errors (ECONNRESET after a fault, the hub being down) end the connection like a close.
      socket.on('error', () => {});
      socket.on('close', () => {
        if (connection.state === 'dropped') connection.noticed(socket);
        else connection.destroy();
        if (client.destroyed && hub.destroyed && connections.delete(connection)) stats.open--;
      });
    }
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('the fault proxy has no port'));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seed,
    stats: () => ({ ...stats }),
    setFaults: (next) => {
      mix = next;
      if (!next) for (const connection of connections) connection.heal();
    },
    setBlackhole: (on) => {
      blackhole = on;
      if (on) for (const connection of connections) connection.drop();
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      await closed;
    },
  };
}
