import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  HandshakeAuth,
  LIMITS,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '@lagesbild/shared';
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import type { AuthService } from '../auth/auth-service.js';
import type { CommandCaller, CommandService } from '../hub/command-service.js';
import type { HubState } from '../hub/hub-state.js';
import { Broadcaster, type ClientSocket, type HubSockets } from './broadcaster.js';
import { CatchUps } from './catch-up.js';
import { isOriginAllowed, requestOrigin } from '../http/origin.js';
import type { EdgeSecurity } from '../http/edge-security.js';
import { badForwardedFor } from '../http/rate-limits.js';
import type { RegionConfig } from '@lagesbild/shared';

export type Io = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type SocketDeps = {
  httpServer: HttpServer;
  hubId: string;
  allowedOrigins: readonly string[];
  logger: Logger;
  auth: AuthService;
  commands: CommandService;
  hub: HubState;
  region: () => RegionConfig;
  security: Pick<EdgeSecurity, 'connectLimiter' | 'proxies'>;
};

/** A refusal at the handshake; the client reads `err.data.code`. */
const refusal = (code: string, message: string) =>
  Object.assign(new Error(message), { data: { code, message } });

/**
 * The socket.io side of the hub: authenticates the handshake with the session cookie,
 * checks Origin and protocol version, sends catch-up, then live events, and takes commands.
 */
export function createSocketServer(deps: SocketDeps): { io: Io; broadcaster: Broadcaster } {
  const { hub, logger } = deps;
  const allowedOrigins = new Set(deps.allowedOrigins);
  // Cross-site websocket hijacking is a browser attack, and browsers always send Origin; a
  // client without one still needs a session cookie.
  const { proxies } = deps.security;
  const originAllowed = (req: IncomingMessage) =>
    isOriginAllowed(
      req.headers.origin,
      requestOrigin(proxies.protocol(req), req.headers.host),
      allowedOrigins,
    );

  const io: Io = new Server(deps.httpServer, {
    maxHttpBufferSize: LIMITS.maxCommandBytes,
    // Runs for every new engine.io session, on polling and on a direct websocket alike.
    allowRequest: (req, callback) => {
      const address = proxies.resolve(req);
      if (!address.ok) return callback(badForwardedFor(address.badHop).message, false);
      if (!originAllowed(req)) return callback('origin not allowed', false);
      if (!deps.security.connectLimiter.take(address.address).ok) return callback('rate_limited', false);
      callback(null, true);
    },
    cors: { origin: [...deps.allowedOrigins], credentials: true },
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const broadcaster = new Broadcaster(hubSockets(io), hub.epoch, deps.region);
  const catchUps = new CatchUps(hub);

  io.use(async (socket, next) => {
    try {
      const auth = HandshakeAuth.safeParse(socket.handshake.auth);
      if (!auth.success) return next(refusal('bad_request', z.prettifyError(auth.error)));
      if (auth.data.protocolVersion !== PROTOCOL_VERSION) {
        return next(
          refusal(
            'protocol_mismatch',
            `The hub speaks protocol ${PROTOCOL_VERSION}, the client ${auth.data.protocolVersion}`,
          ),
        );
      }
      const signedIn = await deps.auth.identify(socket.handshake.headers.cookie).catch((error: unknown) => {
        // Sessions live in Redis when hubs share them: while it cannot be reached (down, or
        // silent behind a partition) the client is told so at once, as the HTTP API does.
        logger.warn({ err: (error as Error).message }, 'session lookup failed');
        return 'unavailable' as const;
      });
      if (signedIn === 'unavailable') {
        return next(refusal('log_unavailable', 'The hub cannot check sessions right now; try again shortly'));
      }
      if (!signedIn) return next(refusal('unauthenticated', 'Sign in first'));
      // A paired wall display sees as a device: only what is shared with the whole region.
      socket.data =
        signedIn.kind === 'device'
          ? {
              sessionId: signedIn.session.id,
              userId: null,
              deviceId: signedIn.device.id,
              viewer: { kind: 'device' },
            }
          : {
              sessionId: signedIn.session.id,
              userId: signedIn.account.id,
              deviceId: null,
              viewer: { kind: 'actor', actorId: signedIn.account.actorId },
            };
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(refusal('internal', 'The hub could not check the session'));
    }
  });

  io.on('connection', (socket) => {
    const { viewer, userId, deviceId } = socket.data;
    const auth = HandshakeAuth.parse(socket.handshake.auth);
    const address = proxies.clientAddress(socket.request);
    broadcaster.greet(clientSocket(socket), deps.hubId, socket.data, catchUps.for(viewer, auth));

    // The gateway checks, throttles, handles, answers, then audits (hub/command-service.ts).
    const caller: CommandCaller = deviceId
      ? { kind: 'device', deviceId }
      : userId
        ? { kind: 'user', userId }
        : { kind: 'anonymous' };
    socket.on('command.send', async (command, ack) => {
      if (typeof ack !== 'function') return;
      await deps.commands.submit(caller, command, {
        via: 'socket',
        ip: address,
        answer: (answer) => ack(answer.ack),
      });
    });
  });

  return { io, broadcaster };
}

/** This hub's own sockets (`io.local`) as the broadcaster addresses them. */
const hubSockets = (io: Io): HubSockets => ({
  emit: (room, event, ...payload) => io.local.to(room).emit(event, ...payload),
  disconnect: (room) => io.local.in(room).disconnectSockets(true),
});

/** A socket.io socket as the broadcaster greets it. */
const clientSocket = (socket: IoSocket): ClientSocket => ({
  join: (names) => void socket.join([...names]),
  emit: (event, ...payload) => socket.emit(event, ...payload),
  write: (packet) => socket.conn.write(packet),
});
