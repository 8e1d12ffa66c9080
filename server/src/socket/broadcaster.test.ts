import { describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  decide,
  initialState,
  type Attribution,
  type Command,
  type ServerToClientEvents,
  type StoredEvent,
} from '@lagesbild/shared';
import {
  TEST_NOW,
  buildAttribution,
  buildEvent,
  buildLogEntryCommand,
  buildReadinessCommand,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { Broadcaster, type ClientRooms, type ClientSocket, type HubSockets } from './broadcaster.js';
import { rooms } from './rooms.js';

const region = stockholmRegion();
type Received = { event: keyof ServerToClientEvents; payload: unknown };

/** A connected client: the rooms it is in and everything it was sent, in order. */
class FakeSocket implements ClientSocket {
  readonly rooms = new Set<string>();
  readonly received: Received[] = [];
  connected = true;

  join(names: readonly string[]): void {
    for (const name of names) this.rooms.add(name);
  }

  emit<E extends keyof ServerToClientEvents>(
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    this.received.push({ event, payload: payload[0] });
  }

  write(packet: string): void {
    this.received.push({ event: 'sync.events', payload: `packet ${packet}` });
  }

  /** What arrived of one message. */
  of(event: keyof ServerToClientEvents): unknown[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload);
  }
}

/** This hub's sockets in memory, as socket.io's `io.local` addresses them by room. */
class FakeHubSockets implements HubSockets {
  readonly sockets: FakeSocket[] = [];

  emit<E extends keyof ServerToClientEvents>(
    room: string,
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    for (const socket of this.sockets)
      if (socket.connected && socket.rooms.has(room)) socket.emit(event, ...payload);
  }

  disconnect(room: string): void {
    for (const socket of this.sockets) if (socket.rooms.has(room)) socket.connected = false;
  }
}

const nackaAnna: ClientRooms = {
  viewer: { kind: 'actor', actorId: 'nacka' },
  userId: 'anna',
  sessionId: 's-anna',
  deviceId: null,
};
const polisenPer: ClientRooms = {
  viewer: { kind: 'actor', actorId: 'polisen' },
  userId: 'per',
  sessionId: 's-per',
  deviceId: null,
};
const wall: ClientRooms = {
  viewer: { kind: 'device' },
  userId: null,
  sessionId: 's-wall',
  deviceId: 'wall-1',
};

function hubWith(...clients: ClientRooms[]) {
  const sockets = new FakeHubSockets();
  const broadcaster = new Broadcaster(sockets, 'epoch-1', () => region);
  const connected = clients.map((client) => {
    const socket = new FakeSocket();
    sockets.sockets.push(socket);
    broadcaster.greet(socket, 'hub-a', client, { kind: 'events', headSeq: 0, packets: [] });
    socket.received.length = 0;
    return socket;
  });
  return { broadcaster, sockets, connected };
}

/** The stored events a command decides on an empty picture, from seq 1. */
function eventsOf(command: Command, by: Attribution): StoredEvent[] {
  const decided = decide(initialState(), command, by, TEST_NOW, region);
  if (!decided.ok) throw new Error(decided.error.message);
  return decided.data.map((draft, i) => buildEvent(draft, { seq: i + 1, by }));
}

const nackaOfficer = buildAttribution({ userId: 'anna', userName: 'Anna', actorId: 'nacka' });

describe('the broadcaster', () => {
  it('greets a socket in its rooms: the hello, then its catch-up, in order', () => {
    const { broadcaster } = hubWith();
    const socket = new FakeSocket();
    broadcaster.greet(socket, 'hub-a', nackaAnna, { kind: 'events', headSeq: 7, packets: ['one', 'two'] });
    expect([...socket.rooms]).toEqual([
      rooms.all(),
      rooms.actor('nacka'),
      rooms.user('anna'),
      rooms.session('s-anna'),
    ]);
    expect(socket.received).toEqual([
      {
        event: 'sync.hello',
        payload: {
          protocolVersion: PROTOCOL_VERSION,
          hubId: 'hub-a',
          epoch: 'epoch-1',
          headSeq: 7,
          viewer: nackaAnna.viewer,
        },
      },
      { event: 'sync.events', payload: 'packet one' },
      { event: 'sync.events', payload: 'packet two' },
    ]);
  });

  it('puts a wall display in the devices’ room and its own, never an actor’s', () => {
    const { connected } = hubWith(wall);
    expect([...(connected[0]?.rooms ?? [])]).toEqual([
      rooms.all(),
      rooms.devices(),
      rooms.session('s-wall'),
      rooms.device('wall-1'),
    ]);
  });

  it('sends events the whole region may see once to everyone, with the head', () => {
    const { broadcaster, connected } = hubWith(nackaAnna, polisenPer, wall);
    const events = eventsOf(buildReadinessCommand(), buildAttribution());
    broadcaster.publish(events, 9);
    for (const socket of connected) {
      expect(socket.of('sync.events')).toEqual([{ epoch: 'epoch-1', events, headSeq: 9 }]);
    }
  });

  it('sends an actor’s own log entry to that actor only; the others still learn the head', () => {
    const { broadcaster, connected } = hubWith(nackaAnna, polisenPer, wall);
    const [nacka, polisen, display] = connected;
    const events = eventsOf(buildLogEntryCommand({ sharing: { scope: 'own' } }), nackaOfficer);
    broadcaster.publish(events, 1);
    expect(nacka?.of('sync.events')).toEqual([{ epoch: 'epoch-1', events, headSeq: 1 }]);
    expect(polisen?.of('sync.events')).toEqual([{ epoch: 'epoch-1', events: [], headSeq: 1 }]);
    expect(display?.of('sync.events')).toEqual([{ epoch: 'epoch-1', events: [], headSeq: 1 }]);
  });

  it('says when the hub cannot store commands, once per change, and tells sockets that join meanwhile', () => {
    const { broadcaster, connected } = hubWith(nackaAnna);
    const cannotStore = { canStore: false, picture: { state: 'live' as const } };
    broadcaster.announceStatus(cannotStore);
    broadcaster.announceStatus({ ...cannotStore });
    expect(connected[0]?.of('hub.status')).toEqual([cannotStore]);

    const late = new FakeSocket();
    broadcaster.greet(late, 'hub-a', polisenPer, { kind: 'events', headSeq: 0, packets: [] });
    expect(late.of('hub.status')).toEqual([cannotStore]);

    const allWell = { canStore: true, picture: { state: 'live' as const } };
    broadcaster.announceStatus(allWell);
    expect(connected[0]?.of('hub.status')).toEqual([cannotStore, allWell]);
    const afterwards = new FakeSocket();
    broadcaster.greet(afterwards, 'hub-a', polisenPer, { kind: 'events', headSeq: 0, packets: [] });
    expect(afterwards.of('hub.status')).toEqual([]);
  });

  it('tells every socket, and every socket that joins meanwhile, since when its picture may be stale', () => {
    const { broadcaster, connected } = hubWith(nackaAnna, wall);
    const stale = {
      canStore: false,
      picture: { state: 'stale' as const, since: '2025-03-01T07:42:00.000Z' },
    };
    broadcaster.announceStatus(stale);
    for (const socket of connected) expect(socket.of('hub.status')).toEqual([stale]);
    const late = new FakeSocket();
    broadcaster.greet(late, 'hub-a', polisenPer, { kind: 'events', headSeq: 0, packets: [] });
    expect(late.of('hub.status')).toEqual([stale]);
  });

  it('disconnects the sockets of one session, and no other', () => {
    const { broadcaster, connected } = hubWith(nackaAnna, polisenPer);
    broadcaster.disconnect(rooms.session('s-anna'));
    expect(connected.map((s) => s.connected)).toEqual([false, true]);
  });
});
