import { z } from 'zod';
import { StoredEventSchema } from './events.js';
import { State } from './model.js';
import { AppError } from './result.js';
import { Viewer } from './visibility.js';

// The whole socket protocol between hub and client: every message's schema, and the typed
// socket.io event maps derived from them, so neither side keeps a copy in step by hand.
//
// Messages from the hub are read tolerantly: their envelopes strip unknown fields instead of
// rejecting them, so adding a field is not a breaking change (a breaking change gets a new
// message name and a new PROTOCOL_VERSION). Events and states inside them use the shared
// strict schemas, the same ones the hub writes and replays with. What the hub receives is
// strict: the handshake here, commands through `parseCommand`.

/**
 * The wire protocol's version. A client whose version differs is refused at the handshake
 * with `protocol_mismatch` and reloads; a breaking payload change gets a new name and a
 * new version.
 */
// 2: records in a snapshot carry the seq of the event that logged them (order by the log),
// which a page of version 1 refuses as an unknown key.
// 3: conferences, action items, offers and need settlements: new events and state maps.
// 4: joint directives and prepared directives (new events and state maps), readiness levels.
// 5: joint messages to the public (new events and a state map).
export const PROTOCOL_VERSION = 5;

/** What a client sends in the socket.io handshake's `auth`. */
export const HandshakeAuth = z.strictObject({
  protocolVersion: z.number().int(),
  /** The last event the client has folded; absent for a client with no state. */
  lastSeq: z.number().int().nonnegative().optional(),
  /** The log epoch the client's state came from; a different epoch forces a snapshot. */
  epoch: z.string().max(100).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/** What a refused handshake carries in the `connect_error`'s `data`: our error code. */
export const ConnectErrorData = z.strictObject({ code: z.string(), message: z.string() });
export type ConnectErrorData = z.infer<typeof ConnectErrorData>;

/** `sync.hello`, the first message on a connection: who the hub is and who it thinks you are. */
export const SyncHello = z.object({
  protocolVersion: z.number().int(),
  hubId: z.string(),
  epoch: z.string(),
  headSeq: z.number().int().nonnegative(),
  viewer: Viewer,
});
export type SyncHello = z.infer<typeof SyncHello>;

/**
 * `sync.events`: events in log order. `headSeq` is the hub's position after them, which may
 * be past the last event when later events were not for this viewer.
 */
export const SyncEvents = z.object({
  epoch: z.string(),
  events: z.array(StoredEventSchema),
  headSeq: z.number().int().nonnegative(),
});
export type SyncEvents = z.infer<typeof SyncEvents>;

/** `sync.snapshot`: the viewer's whole projection, sent when catch-up by events is not possible. */
export const SyncSnapshot = z.object({
  epoch: z.string(),
  seq: z.number().int().nonnegative(),
  state: State,
});
export type SyncSnapshot = z.infer<typeof SyncSnapshot>;

/**
 * `hub.status`: whether the hub can store commands right now (its log is reachable). Sent
 * after the hello when it cannot, and to every socket when it changes: a client keeps its
 * outbox queued meanwhile and sends it the moment the hub can store again, instead of
 * waiting out a retry backoff.
 */
export const HubStatus = z.object({
  canStore: z.boolean(),
  /**
   * Whether the picture this hub sends is live. `stale`: the hub has not heard from its log
   * since `since` (a Redis partition): other hubs' events may not be arriving. `lost`: the
   * log this hub opened is gone or was replaced (Redis lost its data, a head that went
   * backwards); the hub stops serving and exits for its supervisor, and its picture must not
   * be trusted. Absent from older hubs, which means live.
   */
  picture: z
    .discriminatedUnion('state', [
      z.object({ state: z.literal('live') }),
      z.object({ state: z.literal('stale'), since: z.iso.datetime() }),
      z.object({ state: z.literal('lost'), reason: z.string().max(500) }),
    ])
    .optional(),
});
export type HubStatus = z.infer<typeof HubStatus>;

/**
 * The ack of `command.send` (and the answer of the HTTP command route): the sequence number
 * of the command's last event, or the refusal.
 */
export const CommandAck = z.union([
  z.strictObject({ ok: z.literal(true), data: z.strictObject({ seq: z.number().int().nonnegative() }) }),
  z.strictObject({ ok: z.literal(false), error: AppError }),
]);
export type CommandAck = z.infer<typeof CommandAck>;

/** Every message the hub sends, by event name. Only the hub's broadcaster emits them. */
export const serverMessages = {
  'sync.hello': SyncHello,
  'sync.events': SyncEvents,
  'sync.snapshot': SyncSnapshot,
  'hub.status': HubStatus,
} as const;

/** The name of a message the hub sends. */
export type ServerMessageName = keyof typeof serverMessages;

/** The payload of the hub's message `K`. */
export type ServerMessage<K extends ServerMessageName> = z.infer<(typeof serverMessages)[K]>;

/** Events the hub sends, for `new Server<…>()` and the client's `Socket<…>`. */
export type ServerToClientEvents = {
  [K in ServerMessageName]: (payload: ServerMessage<K>) => void;
};

/**
 * Events a client sends. A `command.send` payload is a `Command`; it is typed `unknown`
 * because the hub parses it (`parseCommand`) instead of trusting the client's types.
 */
export type ClientToServerEvents = {
  'command.send': (command: unknown, ack: (result: CommandAck) => void) => void;
};

/** Messages between hubs (socket.io adapter); none yet beyond the adapter's own. */
export type InterServerEvents = Record<string, never>;

/** What the hub remembers about each socket after the handshake; never sent. */
export type SocketData = {
  sessionId: string | null;
  userId: string | null;
  /** Set for a paired wall display, whose userId is null. */
  deviceId: string | null;
  viewer: Viewer;
};

/** A message read from the wire, or why it could not be read (for a problem report). */
export type ParsedMessage<T> = { ok: true; value: T } | { ok: false; message: string };

/** Reads the hub's message `name` with its schema; the refusal names the message. */
export function parseServerMessage<K extends ServerMessageName>(
  name: K,
  input: unknown,
): ParsedMessage<ServerMessage<K>> {
  // Seen through the mapped type, indexing by a generic name keeps the name-payload pairing.
  const schemas: { readonly [M in ServerMessageName]: z.ZodType<ServerMessage<M>> } = serverMessages;
  const result = schemas[name].safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, message: `${name}: ${z.prettifyError(result.error)}` };
}
