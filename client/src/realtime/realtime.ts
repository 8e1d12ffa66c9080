import {
  CommandAck,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type Command,
  type HandshakeAuth,
  type ServerToClientEvents,
} from '@lagesbild/shared';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { hubFailure, localFailure, type ClientResult } from '../api/client-result';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import {
  classifyConnectError,
  handleEvents,
  handleHello,
  handleHubStatus,
  handleSnapshot,
  type Reaction,
} from './handlers';
import { logWaitRetryDelay, refusedRetryDelay } from './retry-delays';

/** The one socket of the client, typed by the shared event maps. */
export type LagesbildSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the rest of the app must do when the link cannot go on by itself. */
export type RealtimeOptions = {
  /** The hub no longer knows our session: show the sign-in page. */
  onUnauthenticated: () => void;
  /** The hub speaks another protocol version: load the new client. */
  onProtocolMismatch: () => void;
  /** The hub closed the link on purpose (a sign-out elsewhere, say): check the session. */
  onServerDisconnect: () => void;
  /** The hub's origin; the page's own by default (the hub serves the client). */
  url?: string;
  /** The first reconnect delay; tests shorten it. */
  reconnectionDelayMs?: number;
};

/** How long `sendCommand` waits for the hub's ack; the hub acks once the log is durable. */
export const COMMAND_ACK_TIMEOUT_MS = 10_000;

// Reconnect forever, spread out: after a hub restart hundreds of wall displays and laptops
// come back at once, and the jitter keeps them from arriving in one wave.
const SOCKET_OPTIONS: Partial<ManagerOptions & SocketOptions> = {
  path: '/socket.io/',
  autoConnect: false,
  // Our own manager every time: a cached one would keep an earlier session's settings.
  forceNew: true,
  withCredentials: true,
  // WebSocket first (no sticky sessions needed behind a load balancer), long polling when a
  // proxy blocks WebSocket.
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 30_000,
  randomizationFactor: 0.5,
  timeout: 20_000,
};

/**
 * The handshake's `auth`. socket.io calls it on every (re)connect, so the hub always hears
 * the position we have actually reached and sends only what came after it.
 */
export function handshakeAuth(): HandshakeAuth {
  const { lastSeq, epoch } = usePicture.getState();
  return epoch === null
    ? { protocolVersion: PROTOCOL_VERSION }
    : { protocolVersion: PROTOCOL_VERSION, lastSeq, epoch };
}

const browserOffline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

type Link = { socket: LagesbildSocket; dispose: () => void };
let link: Link | null = null;

/** Opens the link to the hub (closing any earlier one) and feeds the stores from it. */
export function startRealtime(options: RealtimeOptions): void {
  stopRealtime();
  const socketOptions: Partial<ManagerOptions & SocketOptions> = {
    ...SOCKET_OPTIONS,
    ...(options.reconnectionDelayMs === undefined ? {} : { reconnectionDelay: options.reconnectionDelayMs }),
    auth: (send) => send(handshakeAuth()),
  };
  const socket: LagesbildSocket =
    options.url === undefined ? io(socketOptions) : io(options.url, socketOptions);
  const connection = () => useConnection.getState();
  let everOnline = false;
  let refusedAttempts = 0;
  let logWaitAttempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Whether `lastProblem` is what the hub said when it refused our handshake: true only
  // until the hub lets us in or can no longer be heard at all.
  let problemIsRefusal = false;

  const waitingStatus = () => (browserOffline() ? 'offline' : everOnline ? 'reconnecting' : 'connecting');

  const showRefusal = (problem: { code: string; message: string }) => {
    connection().setProblem(problem);
    problemIsRefusal = true;
  };
  const forgetRefusal = () => {
    if (problemIsRefusal) connection().setProblem(null);
    problemIsRefusal = false;
  };
  const retryLater = (delayMs: number) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => socket.connect(), delayMs);
  };

  const giveUp = (then: () => void) => {
    stopRealtime();
    then();
  };

  const react = (reaction: Reaction) => {
    if (reaction === 'protocolMismatch') return giveUp(options.onProtocolMismatch);
    if (reaction === 'resync') {
      usePicture.getState().reset();
      connection().setStatus('reconnecting');
      socket.disconnect().connect();
    }
  };

  // The hub let us in: whatever it refused before no longer holds, and the next refusal
  // starts its backoff from the beginning. The hello that follows says the rest.
  socket.on('connect', () => {
    refusedAttempts = 0;
    logWaitAttempts = 0;
    forgetRefusal();
  });
  socket.on('sync.hello', (hello) => {
    everOnline = true;
    refusedAttempts = 0;
    logWaitAttempts = 0;
    problemIsRefusal = false;
    react(handleHello(hello));
  });
  socket.on('sync.events', (batch) => react(handleEvents(batch, Date.now())));
  socket.on('sync.snapshot', (snapshot) => react(handleSnapshot(snapshot, Date.now())));
  socket.on('hub.status', (status) => react(handleHubStatus(status)));

  socket.on('disconnect', (reason) => {
    // Our own disconnects (stop, resync) set the status themselves.
    if (reason === 'io client disconnect') return;
    if (reason === 'io server disconnect') {
      // socket.io does not reconnect after this: the hub meant it.
      connection().setStatus('offline');
      options.onServerDisconnect();
      return;
    }
    connection().setStatus(waitingStatus());
  });

  socket.on('connect_error', (error) => {
    const failure = classifyConnectError(
      { message: error.message, data: 'data' in error ? error.data : undefined },
      socket.active,
    );
    switch (failure.kind) {
      case 'protocolMismatch':
        return giveUp(options.onProtocolMismatch);
      case 'unauthenticated':
        return giveUp(options.onUnauthenticated);
      case 'transient':
        // The hub cannot be heard at all now: what it said when it refused us is old news.
        forgetRefusal();
        connection().setStatus(waitingStatus());
        return;
      case 'logUnavailable':
        showRefusal({ code: 'log_unavailable', message: failure.message });
        connection().setStatus(waitingStatus());
        retryLater(logWaitRetryDelay(logWaitAttempts++, Math.random()));
        return;
      case 'refused':
        showRefusal({ code: failure.code, message: failure.message });
        connection().setStatus(waitingStatus());
        // A malformed handshake can only come from our position: start again from nothing.
        if (failure.code === 'bad_request') usePicture.getState().reset();
        retryLater(refusedRetryDelay(refusedAttempts++, Math.random()));
    }
  });

  const handleOffline = () => connection().setStatus('offline');
  // The browser's idea of the network is only a hint: the socket has the final word.
  const handleOnline = () => connection().setStatus(socket.connected ? 'online' : waitingStatus());
  window.addEventListener('offline', handleOffline);
  window.addEventListener('online', handleOnline);

  link = {
    socket,
    dispose: () => {
      clearTimeout(retryTimer);
      window.removeEventListener('offline', handleOffline);
      window.removeEventListener('online', handleOnline);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
  connection().setStatus(waitingStatus());
  socket.connect();
}

/** Closes the link; the stores keep what they have until someone resets them. */
export function stopRealtime(): void {
  if (!link) return;
  link.dispose();
  link = null;
  useConnection.getState().setStatus('offline');
}

/** Connects again after the hub closed the link, once the session is known to be good. */
export function resumeRealtime(): void {
  if (link && !link.socket.connected) {
    useConnection.getState().setStatus('reconnecting');
    link.socket.connect();
  }
}

/** The ack of a command, or why there is none. */
export type CommandResult = ClientResult<{ seq: number }>;

/**
 * Sends a command over the socket and waits for the hub's ack. When the socket is down the
 * command is not sent at all (socket.io would otherwise buffer it and send it later behind
 * our back): the caller gets `offline` and decides, which is where the outbox will sit.
 * A `timeout` means the hub may or may not have applied it; resending the same id is safe.
 */
export function sendCommand(command: Command, timeoutMs = COMMAND_ACK_TIMEOUT_MS): Promise<CommandResult> {
  const socket = link?.socket;
  if (!socket?.connected) return Promise.resolve(localFailure('offline', `${command.type}: not connected`));
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit('command.send', command, (error, ack) => {
      if (error) return resolve(localFailure('timeout', `${command.type}: no ack within ${timeoutMs} ms`));
      const parsed = CommandAck.safeParse(ack);
      if (!parsed.success) return resolve(localFailure('internal', `${command.type}: unreadable ack`));
      resolve(parsed.data.ok ? parsed.data : hubFailure(parsed.data.error));
    });
  });
}
