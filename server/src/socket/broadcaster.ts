import {
  eventAudience,
  eventForViewer,
  PROTOCOL_VERSION,
  type HubStatus,
  type RegionConfig,
  type ServerToClientEvents,
  type StoredEvent,
  type SyncEvents,
  type Viewer,
} from '@lagesbild/shared';
import { isAllWell } from '../hub/log-health.js';
import { rooms } from './rooms.js';
import type { CatchUp } from './catch-up.js';

/** A message of the protocol from the hub to a client: its name and its payload. */
type Emit = <E extends keyof ServerToClientEvents>(
  event: E,
  ...payload: Parameters<ServerToClientEvents[E]>
) => void;

/**
 * One connected client, as the broadcaster uses it: three methods, so tests can stand a
 * plain object in for socket.io's Socket (socket-server.ts adapts the real one).
 */
export type ClientSocket = {
  join(rooms: readonly string[]): void;
  emit: Emit;
  /** Sends a socket.io packet encoded already (catch-up.ts) on the client's connection. */
  write(packet: string): void;
};

/**
 * This hub's own sockets by room: socket.io's `io.local`. Live events go to this hub's
 * sockets only: every hub tails the log itself, so relaying events through the socket.io
 * adapter would deliver them twice.
 */
export type HubSockets = {
  emit<E extends keyof ServerToClientEvents>(
    room: string,
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void;
  disconnect(room: string): void;
};

/** The rooms a client joins: its audience (actor or devices) and its own, beside `all`. */
export type ClientRooms = {
  viewer: Viewer;
  userId: string | null;
  sessionId: string | null;
  deviceId: string | null;
};

/** The only module that emits to sockets (STYLE.md: one emitter). */
export class Broadcaster {
  /**
   * What the hub last said about its log (can it store, is its picture live); new sockets
   * hear it after their hello unless all is well.
   */
  private status: HubStatus = { canStore: true, picture: { state: 'live' } };

  constructor(
    private readonly sockets: HubSockets,
    private readonly epoch: string,
    private readonly region: () => RegionConfig,
  ) {}

  /** Sends newly folded events to every socket that may see them. */
  publish(events: readonly StoredEvent[], headSeq: number): void {
    const audiences = events.map(eventAudience);
    if (audiences.every((a) => a.scope === 'all')) {
      this.sockets.emit(rooms.all(), 'sync.events', this.batch([...events], headSeq));
      return;
    }
    const viewers: [string, Viewer][] = [
      ...this.region().actors.map((a): [string, Viewer] => [
        rooms.actor(a.id),
        { kind: 'actor', actorId: a.id },
      ]),
      [rooms.devices(), { kind: 'device' }],
    ];
    for (const [room, viewer] of viewers) {
      // Sent even when empty, so the client's position follows the hub's. A check-in
      // outside its sharing goes out as its summary (visibility.ts), never whole.
      const visible = events.flatMap((event, i) => eventForViewer(viewer, event, audiences[i]) ?? []);
      this.sockets.emit(room, 'sync.events', this.batch(visible, headSeq));
    }
  }

  /**
   * Puts a new socket in its rooms, greets it and sends its catch-up. The catch-up's
   * packets are encoded once for every socket that needs the same (catch-up.ts), so they go
   * straight to the socket's connection, in order after the hello, as `emit` would have
   * sent them. Called in the tick the catch-up is computed in, so no live event falls
   * between the two.
   */
  greet(socket: ClientSocket, hubId: string, client: ClientRooms, catchUp: CatchUp): void {
    const { viewer, userId, sessionId, deviceId } = client;
    socket.join([
      rooms.all(),
      viewer.kind === 'actor' ? rooms.actor(viewer.actorId) : rooms.devices(),
      ...(userId ? [rooms.user(userId)] : []),
      ...(sessionId ? [rooms.session(sessionId)] : []),
      ...(deviceId ? [rooms.device(deviceId)] : []),
    ]);
    socket.emit('sync.hello', {
      protocolVersion: PROTOCOL_VERSION,
      hubId,
      epoch: this.epoch,
      headSeq: catchUp.headSeq,
      viewer,
    });
    for (const packet of catchUp.packets) socket.write(packet);
    if (!isAllWell(this.status)) socket.emit('hub.status', this.status);
  }

  /**
   * Tells every socket of this hub what changed about its log: it can or cannot store
   * commands, its picture is live, stale since a time (cut off from the log: other hubs'
   * events may not be arriving), or lost.
   */
  announceStatus(status: HubStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    this.sockets.emit(rooms.all(), 'hub.status', status);
  }

  /** Disconnects every socket of a session or user on this hub. */
  disconnect(room: string): void {
    this.sockets.disconnect(room);
  }

  private batch(events: StoredEvent[], headSeq: number): SyncEvents {
    return { epoch: this.epoch, events, headSeq };
  }
}
