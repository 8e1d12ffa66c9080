import {
  ConnectErrorData,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type ServerMessageName,
} from '@lagesbild/shared';
import { useConnection } from '../stores/connection';
import { useLogNotices } from '../stores/log-notices';
import { usePicture } from '../stores/picture';

// What the hub says, turned into store updates. These functions know nothing of the
// socket, so they are tested without one; `realtime.ts` does what they ask of it.

/** What the socket owner must do after a message. */
export type Reaction =
  | 'none'
  /** Our state cannot be continued (another log epoch): drop it and sync from scratch. */
  | 'resync'
  /** The hub speaks another protocol version: this page is outdated. */
  | 'protocolMismatch';

/** The hub's message parsed with the shared protocol schema, or null when it does not parse. */
function accept<K extends ServerMessageName>(name: K, raw: unknown): ServerMessage<K> | null {
  const parsed = parseServerMessage(name, raw);
  if (parsed.ok) return parsed.value;
  // A message we cannot read is reported, not folded: half-trusted data would make this
  // client's picture silently differ from everybody else's.
  console.error(`Ignored a message from the hub: ${parsed.message}`);
  useConnection.getState().countInvalidMessage({ code: 'invalid_message', message: parsed.message });
  return null;
}

/** `sync.hello`: the hub accepted us; it tells who it is and who it thinks we are. */
export function handleHello(raw: unknown): Reaction {
  const hello = accept('sync.hello', raw);
  if (!hello) return 'none';
  if (hello.protocolVersion !== PROTOCOL_VERSION) return 'protocolMismatch';
  const held = usePicture.getState().epoch;
  if (held !== null && held !== hello.epoch) {
    // Our picture is from another log (the hub's log was lost and started over, or was
    // restored): the hub sends its whole picture next. Ours is dropped now, not merged,
    // and the user is told.
    usePicture.getState().reset();
    useLogNotices.getState().showReset();
  }
  // A hub that greets us serves its log; one that lost it says so after the hello.
  useLogNotices.getState().setLost(null);
  useConnection.getState().setHello(hello);
  return 'none';
}

/**
 * `hub.status`: whether the hub can store commands now (the outbox waits while it cannot),
 * and whether its picture is live, stale since a time, or lost.
 */
export function handleHubStatus(raw: unknown): Reaction {
  const status = accept('hub.status', raw);
  if (!status) return 'none';
  useConnection.getState().setCanStore(status.canStore);
  useConnection.getState().setStaleSince(status.picture?.state === 'stale' ? status.picture.since : null);
  // A lost log is for good on that hub: it exits, and the next hello clears the notice.
  if (status.picture?.state === 'lost') useLogNotices.getState().setLost(status.picture.reason);
  return 'none';
}

/** `sync.events`: catch-up or live events, folded with the shared reducer. */
export function handleEvents(raw: unknown, now: number): Reaction {
  const batch = accept('sync.events', raw);
  if (!batch) return 'none';
  const outcome = usePicture.getState().foldEvents(batch);
  if (outcome.kind === 'epochMismatch') {
    useLogNotices.getState().showReset();
    return 'resync';
  }
  if (outcome.applied > 0) useConnection.getState().markEventReceived(now);
  return 'none';
}

/** `sync.snapshot`: the whole projection, replacing ours. */
export function handleSnapshot(raw: unknown, now: number): Reaction {
  const snapshot = accept('sync.snapshot', raw);
  if (!snapshot) return 'none';
  usePicture.getState().replaceWithSnapshot(snapshot);
  useConnection.getState().markEventReceived(now);
  return 'none';
}

/** What a failed connection attempt means for us. */
export type ConnectFailure =
  | { kind: 'protocolMismatch' }
  | { kind: 'unauthenticated' }
  /**
   * The hub cannot reach its log right now (it checks sessions there): a passing state, and
   * behind a load balancer the next try may reach another hub. socket.io will not retry by
   * itself; we retry soon.
   */
  | { kind: 'logUnavailable'; message: string }
  /** Refused for another reason: socket.io will not retry by itself. */
  | { kind: 'refused'; code: string; message: string }
  /** A network problem: socket.io is already retrying. */
  | { kind: 'transient'; message: string };

/**
 * Reads a `connect_error`. The hub puts `{ code, message }` in `data` when its middleware
 * refuses the handshake; anything else is the network.
 */
export function classifyConnectError(
  error: { message: string; data?: unknown },
  stillRetrying: boolean,
): ConnectFailure {
  const data = ConnectErrorData.safeParse(error.data);
  if (data.success && data.data.code === 'protocol_mismatch') return { kind: 'protocolMismatch' };
  if (data.success && data.data.code === 'unauthenticated') return { kind: 'unauthenticated' };
  if (data.success && data.data.code === 'log_unavailable')
    return { kind: 'logUnavailable', message: data.data.message };
  if (stillRetrying) return { kind: 'transient', message: error.message };
  return data.success
    ? { kind: 'refused', code: data.data.code, message: data.data.message }
    : { kind: 'refused', code: 'internal', message: error.message };
}
