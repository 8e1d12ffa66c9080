import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NO_FAULTS,
  seededRandom,
  startFaultProxy,
  type FaultMix,
  type FaultProxy,
} from '../support/fault-proxy.js';

// The fault proxy against a tiny echo server: each fault must do what the F3 scenario
// relies on, or F3 would pass without having tested anything.

type Peer = { socket: net.Socket; received: () => string; closed: () => boolean; error: () => string };

function track(socket: net.Socket): Peer {
  let received = '';
  let closed = false;
  let error = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
  socket.on('close', () => (closed = true));
  return { socket, received: () => received, closed: () => closed, error: () => error };
}

/** An echo server that keeps its side of every connection, to see what reached it. */
async function startEcho(): Promise<{ port: number; peers: Peer[]; stop: () => Promise<void> }> {
  const peers: Peer[] = [];
  const server = net.createServer((socket) => {
    peers.push(track(socket));
    socket.on('data', (chunk: Buffer) => socket.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    peers,
    stop: () => {
      for (const peer of peers) peer.socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function connect(proxy: FaultProxy): Promise<Peer> {
  const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  return track(socket);
}

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One fault for sure at every draw, drawn soon after a connection opens. */
const only = (fault: Partial<FaultMix>): FaultMix => ({ ...NO_FAULTS, tickMs: [30, 30], ...fault });

describe('fault proxy', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of cleanup.splice(0).reverse()) await stop();
  });

  async function setup(mix: FaultMix | null) {
    const echo = await startEcho();
    const proxy = await startFaultProxy({ targetPort: echo.port, mix, seed: 7 });
    cleanup.push(echo.stop, proxy.stop);
    const client = await connect(proxy);
    await waitUntil(() => echo.peers.length === 1);
    const [hub] = echo.peers;
    if (!hub) throw new Error('the echo server got no connection');
    return { echo, proxy, client, hub };
  }

  it('forwards both ways untouched while the faults are off', async () => {
    const { proxy, client } = await setup(null);
    const text = 'x'.repeat(200_000);
    client.socket.write(text);
    await waitUntil(() => client.received().length === text.length);
    expect(client.received()).toBe(text);
    await sleep(100);
    expect(proxy.stats()).toMatchObject({
      connections: 1,
      open: 1,
      delayedChunks: 0,
      cuts: 0,
      resets: 0,
      drops: 0,
    });
  });

  it('delays every chunk with jitter and keeps their order', async () => {
    const { proxy, client } = await setup(only({ delay: 1, delayMs: [50, 150] }));
    const started = Date.now();
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) {
      sent.push(`<${i}>`);
      client.socket.write(`<${i}>`);
      await sleep(2);
    }
    await waitUntil(() => client.received().length === sent.join('').length);
    // There and back, each at least 50 ms late; jitter of 100 ms reordered nothing.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(client.received()).toBe(sent.join(''));
    expect(proxy.stats().delayedChunks).toBeGreaterThanOrEqual(2);
  });

  it('stalls a connection in both directions, then delivers everything it held', async () => {
    const { proxy, client, hub } = await setup(only({ stall: 1, stallMs: [400, 400] }));
    await waitUntil(() => proxy.stats().stalls === 1);
    // No further stalls; the one under way runs its course.
    proxy.setFaults(NO_FAULTS);
    const stalled = Date.now();
    client.socket.write('held');
    await sleep(150);
    expect(hub.received()).toBe('');
    await waitUntil(() => client.received() === 'held');
    expect(Date.now() - stalled).toBeGreaterThanOrEqual(250);
    expect(client.closed() || hub.closed()).toBe(false);
  });

  it('ends a stall at once when the faults are switched off', async () => {
    const { proxy, client } = await setup(only({ stall: 1, stallMs: [10_000, 10_000] }));
    await waitUntil(() => proxy.stats().stalls === 1);
    client.socket.write('held');
    await sleep(100);
    expect(client.received()).toBe('');
    proxy.setFaults(null);
    await waitUntil(() => client.received() === 'held', 500);
  });

  it('cuts a chunk in the middle and hangs up on both sides', async () => {
    const { proxy, client, hub } = await setup(only({ cut: 1 }));
    await sleep(100);
    const frame = 'f'.repeat(1000);
    client.socket.write(frame);
    await waitUntil(() => client.closed() && hub.closed());
    // The hub got a torn frame: some of it, never all.
    expect(hub.received().length).toBeGreaterThan(0);
    expect(hub.received().length).toBeLessThan(frame.length);
    expect(client.received().length).toBeLessThan(frame.length);
    expect(proxy.stats()).toMatchObject({ cuts: 1, cutsTowardHub: 1, open: 0 });
  });

  it('resets both sides at once', async () => {
    const { proxy, client, hub } = await setup(only({ reset: 1 }));
    await waitUntil(() => client.closed() && hub.closed());
    expect(client.error()).toBe('ECONNRESET');
    expect(hub.error()).toBe('ECONNRESET');
    expect(proxy.stats()).toMatchObject({ resets: 1, open: 0 });
  });

  it('drops a connection silently: nothing arrives, nothing closes, until each side gives up', async () => {
    const { proxy, client, hub } = await setup(only({ drop: 1 }));
    await waitUntil(() => proxy.stats().drops === 1);
    // Healing the network does not revive a dropped connection: its bytes are gone.
    proxy.setFaults(null);
    client.socket.write('hello?');
    hub.socket.write('anyone?');
    await sleep(300);
    expect(hub.received()).toBe('');
    expect(client.received()).toBe('');
    expect(client.closed() || hub.closed()).toBe(false);
    expect(proxy.stats().bytesDropped).toBe('hello?anyone?'.length);
    // The hub's heartbeat gives up first; the client is not told…
    hub.socket.destroy();
    await waitUntil(() => proxy.stats().dropsClosedByHub === 1);
    await sleep(100);
    expect(client.closed()).toBe(false);
    // …until its own heartbeat gives up too.
    client.socket.end();
    await waitUntil(() => proxy.stats().dropsClosedByClient === 1);
    await waitUntil(() => proxy.stats().open === 0);
  });

  it('deals every fault with a chance once before chance decides, when asked to', async () => {
    const unlikely = { stall: 1e-9, cut: 1e-9, stallMs: [50, 50] as const, firstOfEach: true };
    const { proxy, client, hub } = await setup(only(unlikely));
    await waitUntil(() => proxy.stats().stalls === 1);
    await sleep(100);
    client.socket.write('torn');
    await waitUntil(() => client.closed() && hub.closed());
    expect(proxy.stats()).toMatchObject({ stalls: 1, cuts: 1, resets: 0, drops: 0 });
  });

  it('blackholes open and new connections without closing them, and lets new ones through after', async () => {
    const { echo, proxy, client } = await setup(null);
    proxy.setBlackhole(true);
    client.socket.write('lost in the hole');
    // A connection made meanwhile is accepted (the connect succeeds), then nothing answers.
    const late = await connect(proxy);
    late.socket.write('also lost');
    await sleep(200);
    expect(client.received() + late.received()).toBe('');
    expect(client.closed() || late.closed()).toBe(false);
    expect(proxy.stats()).toMatchObject({ blackholed: 1, drops: 2 });

    proxy.setBlackhole(false);
    const after = await connect(proxy);
    after.socket.write('through');
    await waitUntil(() => after.received() === 'through');
    // The dropped ones stay silent: their peers must give up on them by themselves.
    client.socket.write('still lost');
    await sleep(100);
    expect(client.received()).toBe('');
    expect(echo.peers).toHaveLength(3);
    for (const peer of [client, late, after]) peer.socket.destroy();
  });

  it('draws the same faults from the same seed, so a failing run can be replayed', () => {
    const draws = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });
});
