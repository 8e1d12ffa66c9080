import type { Server, Socket } from 'socket.io';
import {
  eventAudience,
  eventForViewer,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type InterServerEvents,
  type RegionConfig,
  type ServerToClientEvents,
  type SocketData,
  type StoredEvent,
  type SyncEvents,
  type Viewer,
} from '@lagesbild/shared';
import { rooms } from './rooms.js';
import type { CatchUp } from './catch-up.js';

type Io = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type OneSocket = Pick<
  Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>,
  'emit' | 'conn'
>;

/**
 * The only module that emits to sockets (STYLE.md: one emitter). Live events go to this
 * hub's own sockets only (`io.local`): every hub tails the log itself, so relaying events
 * through the socket.io adapter would deliver them twice.
 */
export class Broadcaster {
  /** What the hub last said about storing commands; new sockets hear it when it is false. */
  private canStore = true;

  constructor(
    private readonly io: Io,
    private readonly epoch: string,
    private readonly region: () => RegionConfig,
  ) {}

  /** Sends newly folded events to every socket that may see them. */
  publish(events: readonly StoredEvent[], headSeq: number): void {
    const audiences = events.map(eventAudience);
    if (audiences.every((a) => a.scope === 'all')) {
      this.io.local.to(rooms.all()).emit('sync.events', this.batch([...events], headSeq));
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
      this.io.local.to(room).emit('sync.events', this.batch(visible, headSeq));
    }
  }

  /**
   * Greets a new socket and sends its catch-up. The catch-up's packets are encoded once for
   * every socket that needs the same (catch-up.ts), so they go straight to the socket's
   * Engine.IO connection, in order after the hello, as `socket.emit` would have sent them.
   */
  greet(socket: OneSocket, hubId: string, viewer: Viewer, catchUp: CatchUp): void {
    socket.emit('sync.hello', {
      protocolVersion: PROTOCOL_VERSION,
      hubId,
      epoch: this.epoch,
      headSeq: catchUp.headSeq,
      viewer,
    });
    for (const packet of catchUp.packets) socket.conn.write(packet);
    if (!this.canStore) socket.emit('hub.status', { canStore: false });
  }

  /** Tells every socket of this hub when it can or cannot store commands. */
  announceCanStore(canStore: boolean): void {
    if (canStore === this.canStore) return;
    this.canStore = canStore;
    this.io.local.emit('hub.status', { canStore });
  }

  /** Disconnects every socket of a session or user on this hub. */
  disconnect(room: string): void {
    this.io.local.in(room).disconnectSockets(true);
  }

  private batch(events: StoredEvent[], headSeq: number): SyncEvents {
    return { epoch: this.epoch, events, headSeq };
  }
}
