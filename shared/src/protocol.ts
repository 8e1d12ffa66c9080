import { z } from 'zod';
import type { StoredEvent } from './events.js';
import type { State } from './model.js';
import type { CommandAck } from './result.js';
import type { Viewer } from './visibility.js';

/**
 * The wire protocol's version. A client whose version differs is refused at the handshake
 * with `protocol_mismatch` and reloads; a breaking payload change gets a new name and a
 * new version.
 */
export const PROTOCOL_VERSION = 1;

/** What a client sends in the socket.io handshake's `auth`. */
export const HandshakeAuth = z.strictObject({
  protocolVersion: z.number().int(),
  /** The last event the client has folded; absent for a client with no state. */
  lastSeq: z.number().int().nonnegative().optional(),
  /** The log epoch the client's state came from; a different epoch forces a snapshot. */
  epoch: z.string().max(100).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/** The first message on a connection: who the hub is and who it thinks you are. */
export type SyncHello = {
  protocolVersion: number;
  hubId: string;
  epoch: string;
  headSeq: number;
  viewer: Viewer;
};

/**
 * Events in log order. `headSeq` is the hub's position after them, which may be past the
 * last event when later events were not for this viewer.
 */
export type SyncEvents = { epoch: string; events: StoredEvent[]; headSeq: number };

/** The viewer's whole projection, sent when catch-up by events is not possible. */
export type SyncSnapshot = { epoch: string; seq: number; state: State };

/**
 * Whether the hub can store commands right now (its log is reachable). Sent after the hello
 * when it cannot, and to every socket when it changes: a client keeps its outbox queued
 * meanwhile and sends it the moment the hub can store again, instead of waiting out a
 * retry backoff.
 */
export type HubStatus = { canStore: boolean };

/** Events the hub sends. Only the hub's broadcaster emits them. */
export interface ServerToClientEvents {
  'sync.hello': (hello: SyncHello) => void;
  'sync.events': (batch: SyncEvents) => void;
  'sync.snapshot': (snapshot: SyncSnapshot) => void;
  'hub.status': (status: HubStatus) => void;
}

/** Events a client sends; the payload is `unknown` because the hub parses it. */
export interface ClientToServerEvents {
  'command.send': (command: unknown, ack: (result: CommandAck) => void) => void;
}

/** Messages between hubs (socket.io adapter); none yet beyond the adapter's own. */
export type InterServerEvents = Record<string, never>;

/** What the hub remembers about each socket after the handshake. */
export type SocketData = {
  sessionId: string | null;
  userId: string | null;
  /** Set for a paired wall display, whose userId is null. */
  deviceId: string | null;
  viewer: Viewer;
};

/** Socket.io's event name for handshake refusals, with our error code in `data`. */
export const ConnectErrorData = z.strictObject({ code: z.string(), message: z.string() });
