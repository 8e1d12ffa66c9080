import {
  HandshakeAuth,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type StoredEvent,
} from '@lagesbild/shared';
import { buildActivateCommand, buildReadinessCommand, runCommands } from '@lagesbild/shared/test-factories';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { sendCommand, startRealtime, stopRealtime, type RealtimeOptions } from './realtime';

/** Waits on a real socket's effect: generous, since a loaded machine delays delivery. */
const waitOnSocket = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 10_000 });

// A stand-in hub on a loopback port: real socket.io on both ends, so the handshake, the
// reconnects and the acks are the library's, not a mock's idea of them.

type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const history: StoredEvent[] = runCommands([
  { command: buildActivateCommand() },
  { command: buildReadinessCommand({ heightened: true, note: 'Government decision' }) },
]).events;

let http: HttpServer;
let hub: Server<ClientToServerEvents, ServerToClientEvents>;
let url: string;
let handshakes: unknown[];
let connected: HubSocket[];
let refuseWith: string | null;
let onCommand: (command: unknown, ack: (result: { ok: true; data: { seq: number } }) => void) => void;

/** What the real hub does: hello, then the events after the client's lastSeq. */
function serve(socket: HubSocket): void {
  connected.push(socket);
  // The middleware refused any handshake that does not parse, as the real hub does.
  const auth = HandshakeAuth.parse(socket.handshake.auth);
  socket.emit('sync.hello', {
    protocolVersion: PROTOCOL_VERSION,
    hubId: 'test-hub',
    epoch: 'epoch-1',
    headSeq: history.length,
    viewer: { kind: 'actor', actorId: 'nacka' },
  });
  const after = auth.lastSeq ?? 0;
  socket.emit('sync.events', {
    epoch: 'epoch-1',
    events: history.filter((e) => e.seq > after),
    headSeq: history.length,
  });
  socket.on('command.send', (command, ack) => onCommand(command, ack));
}

beforeEach(async () => {
  handshakes = [];
  connected = [];
  refuseWith = null;
  onCommand = (_command, ack) => ack({ ok: true, data: { seq: 3 } });
  usePicture.getState().reset();
  useConnection.getState().reset();
  http = createServer();
  hub = new Server(http);
  hub.use((socket, next) => {
    handshakes.push(socket.handshake.auth);
    const code = HandshakeAuth.safeParse(socket.handshake.auth).success ? refuseWith : 'bad_request';
    if (!code) return next();
    const error = Object.assign(new Error(code), { data: { code, message: `refused: ${code}` } });
    next(error);
  });
  hub.on('connection', serve);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  stopRealtime();
  await hub.close();
});

const start = (overrides: Partial<RealtimeOptions> = {}) => {
  const options = {
    onUnauthenticated: vi.fn(),
    onProtocolMismatch: vi.fn(),
    onServerDisconnect: vi.fn(),
    url,
    reconnectionDelayMs: 50,
    ...overrides,
  };
  startRealtime(options);
  return options;
};

describe('realtime link', () => {
  it('syncs on connect and reconnects from the position it reached', async () => {
    start();
    await waitOnSocket(() => expect(usePicture.getState().lastSeq).toBe(history.length));
    expect(useConnection.getState().status).toBe('online');
    expect(usePicture.getState().state.readiness.heightened).toBe(true);
    expect(handshakes[0]).toEqual({ protocolVersion: PROTOCOL_VERSION });

    // The network drops; socket.io comes back by itself and the hub hears our position.
    for (const socket of connected) socket.conn.close();
    await waitOnSocket(() => expect(handshakes).toHaveLength(2));
    expect(handshakes[1]).toEqual({
      protocolVersion: PROTOCOL_VERSION,
      lastSeq: history.length,
      epoch: 'epoch-1',
    });
    await waitOnSocket(() => expect(useConnection.getState().status).toBe('online'));
  });

  it('refuses a malformed frame from the hub, counts it and stays online with its picture', async () => {
    start();
    await waitOnSocket(() => expect(usePicture.getState().lastSeq).toBe(history.length));
    // Written as raw socket.io packets, as the hub writes its pre-encoded catch-up.
    const [socket] = connected;
    socket?.conn.write('2["sync.events",{"epoch":"epoch-1","events":[{"seq":99}],"headSeq":99}]');
    socket?.conn.write('2["sync.snapshot",{"epoch":"epoch-1","seq":99,"state":null}]');
    await waitOnSocket(() => expect(useConnection.getState().invalidMessages).toBe(2));
    expect(usePicture.getState().lastSeq).toBe(history.length);
    expect(usePicture.getState().state.readiness.heightened).toBe(true);
    expect(useConnection.getState()).toMatchObject({
      status: 'online',
      lastProblem: { code: 'invalid_message' },
    });
  });

  it('gives up and asks for a reload on protocol_mismatch', async () => {
    refuseWith = 'protocol_mismatch';
    const options = start();
    await waitOnSocket(() => expect(options.onProtocolMismatch).toHaveBeenCalledOnce());
    expect(useConnection.getState().status).toBe('offline');
    expect(options.onUnauthenticated).not.toHaveBeenCalled();
  });

  it('gives up and asks for sign-in on unauthenticated', async () => {
    refuseWith = 'unauthenticated';
    const options = start();
    await waitOnSocket(() => expect(options.onUnauthenticated).toHaveBeenCalledOnce());
    expect(useConnection.getState().status).toBe('offline');
  });

  it('tries again soon while the hub waits for its log, says why meanwhile, and forgets it once let in', async () => {
    refuseWith = 'log_unavailable';
    const options = start();
    await waitOnSocket(() => expect(useConnection.getState().lastProblem?.code).toBe('log_unavailable'));
    expect(useConnection.getState().status).toBe('connecting');
    // Retried by us (socket.io leaves a refused handshake alone), within the short backoff.
    await vi.waitFor(() => expect(handshakes).toHaveLength(2), { timeout: 5_000 });

    refuseWith = null;
    await vi.waitFor(() => expect(useConnection.getState().status).toBe('online'), { timeout: 10_000 });
    expect(useConnection.getState().lastProblem).toBeNull();
    expect(usePicture.getState().lastSeq).toBe(history.length);
    expect(options.onUnauthenticated).not.toHaveBeenCalled();
  });

  it('forgets the hub’s refusal when the hub can no longer be heard at all', async () => {
    refuseWith = 'log_unavailable';
    start();
    await waitOnSocket(() => expect(useConnection.getState().lastProblem?.code).toBe('log_unavailable'));
    // The hub goes away altogether: the next try fails on the network, not at the hub.
    await hub.close();
    await vi.waitFor(() => expect(useConnection.getState().lastProblem).toBeNull(), { timeout: 10_000 });
    expect(useConnection.getState().status).toBe('connecting');
  });

  it('tells the app when the hub closes the link on purpose', async () => {
    const options = start();
    await waitOnSocket(() => expect(useConnection.getState().status).toBe('online'));
    hub.disconnectSockets();
    await waitOnSocket(() => expect(options.onServerDisconnect).toHaveBeenCalledOnce());
    expect(useConnection.getState().status).toBe('offline');
  });

  it('sends a command and returns the ack', async () => {
    const received: unknown[] = [];
    onCommand = (command, ack) => {
      received.push(command);
      ack({ ok: true, data: { seq: 3 } });
    };
    start();
    await waitOnSocket(() => expect(useConnection.getState().status).toBe('online'));
    const command = buildReadinessCommand({ heightened: false, note: '' });

    expect(await sendCommand(command)).toEqual({ ok: true, data: { seq: 3 } });
    expect(received).toEqual([command]);
  });

  it('returns timeout when the hub does not ack in time', async () => {
    onCommand = () => undefined;
    start();
    await waitOnSocket(() => expect(useConnection.getState().status).toBe('online'));
    const result = await sendCommand(buildReadinessCommand(), 100);
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('returns offline without sending when there is no link', async () => {
    const result = await sendCommand(buildReadinessCommand());
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
  });
});
