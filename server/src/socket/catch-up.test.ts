import { describe, expect, it } from 'vitest';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import {
  PROTOCOL_VERSION,
  projectState,
  serverMessages,
  type ServerMessageName,
  type State,
  type StoredEvent,
  type SyncEvents,
  type SyncSnapshot,
  type Viewer,
} from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildAttribution,
  buildCheckinCommand,
  buildFieldReportCommand,
  buildLogEntryCommand,
  buildReadinessCommand,
  buildReportCommand,
  runCommands,
  testUuid,
} from '@lagesbild/shared/test-factories';
import { CATCH_UP_PAGE, CatchUps, FrameEncoder, type ServerFrame } from './catch-up.js';
import { HubState } from '../hub/hub-state.js';

const EPOCH = 'epoch-1';
const nacka: Viewer = { kind: 'actor', actorId: 'nacka' };
const polisen: Viewer = { kind: 'actor', actorId: 'polisen' };
const device: Viewer = { kind: 'device' };

const NACKA_DUTY = buildAttribution({ userId: 'user-nacka-tib', actorId: 'nacka' });

/**
 * `count` log lines by Nacka from `firstSeq` on, decided as the hub would; every line whose
 * seq is a multiple of three is kept to Nacka, the others are shared with the region.
 */
const logLines = (firstSeq: number, count: number): StoredEvent[] =>
  runCommands(
    Array.from({ length: count }, (_, i) => ({
      command: buildLogEntryCommand({ sharing: { scope: (firstSeq + i) % 3 === 0 ? 'own' : 'region' } }),
      by: NACKA_DUTY,
    })),
    { firstSeq },
  ).events;

/** A hub that folded `count` log lines. */
function hubWith(count: number, retain = 5000): HubState {
  const hub = new HubState(EPOCH, retain, null);
  hub.ingest(logLines(1, count));
  return hub;
}

/** Decodes one packet as a socket.io client does: EVENT to the root namespace, no ack. */
function decode(frame: string): { name: ServerMessageName; payload: unknown } {
  const decoded: Packet[] = [];
  const decoder = new Decoder();
  decoder.on('decoded', (packet: Packet) => decoded.push(packet));
  decoder.add(frame);
  decoder.destroy();
  expect(decoded).toHaveLength(1);
  const [packet] = decoded;
  expect(packet).toMatchObject({ type: PacketType.EVENT, nsp: '/' });
  expect(packet?.id).toBeUndefined();
  const [name, payload, ...rest] = packet?.data as unknown[];
  expect(rest).toEqual([]);
  expect(Object.keys(serverMessages)).toContain(name);
  return { name: name as ServerMessageName, payload };
}

/** What socket.io's own encoder makes of `socket.emit(name, payload)`. */
const emitted = (...[name, payload]: ServerFrame): string => {
  const [packet, ...more] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: [name, payload] });
  expect(more).toEqual([]);
  return String(packet);
};

const batches = (packets: readonly string[]): SyncEvents[] =>
  packets.map((frame) => {
    const { name, payload } = decode(frame);
    expect(name).toBe('sync.events');
    return serverMessages['sync.events'].parse(payload);
  });

/** A history with one event of most kinds, nested geometry and null fields included. */
function variedHistory(): { state: State; events: StoredEvent[] } {
  const storm = testUuid(1);
  return runCommands([
    { command: buildActivateCommand({ incidentId: storm, nextConferenceAt: null }) },
    { command: buildReadinessCommand({ heightened: true, note: 'Government decision: "heightened"' }) },
    { command: buildReportCommand({ incidentId: storm, happened: 'Träd över vägen\nel borta' }) },
    { command: buildFieldReportCommand({ incidentId: storm }) },
    { command: buildCheckinCommand({ incidentId: storm, position: { lat: 59.3, lng: 18.1 } }) },
  ]);
}

describe('catch-up frames', () => {
  const { state, events: history } = variedHistory();
  const frames: ServerFrame[] = [
    ['sync.events', { epoch: EPOCH, events: history, headSeq: history.length + 3 }],
    ['sync.events', { epoch: EPOCH, events: [], headSeq: 0 }],
    ['sync.snapshot', { epoch: EPOCH, seq: history.length, state }],
    // Polisen's projection: Länsstyrelsen's check-in, kept to Länsstyrelsen, only as its summary.
    ['sync.snapshot', { epoch: EPOCH, seq: history.length, state: projectState(state, polisen) }],
    ['sync.snapshot', { epoch: EPOCH, seq: 0, state: runCommands([]).state }],
    [
      'sync.hello',
      { protocolVersion: PROTOCOL_VERSION, hubId: 'hub-a', epoch: EPOCH, headSeq: 4, viewer: nacka },
    ],
    ['hub.status', { canStore: false }],
  ];

  it("round-trip through socket.io's parser and the protocol schemas unchanged", () => {
    const encoder = new FrameEncoder();
    for (const frame of frames) {
      const { name, payload } = decode(encoder.encode(...frame));
      expect(name).toBe(frame[0]);
      expect(serverMessages[name].parse(payload)).toEqual(frame[1]);
    }
  });

  it('are byte for byte what socket.emit would send, also when an event was encoded before', () => {
    const encoder = new FrameEncoder();
    for (const frame of [...frames, ...frames]) expect(encoder.encode(...frame)).toBe(emitted(...frame));
  });
});

describe('CatchUps', () => {
  it('replays what the viewer may see after its lastSeq, up to the head', () => {
    const hub = hubWith(30);
    const catchUp = new CatchUps(hub).for(polisen, { lastSeq: 20, epoch: EPOCH });
    expect(catchUp.kind).toBe('events');
    expect(catchUp.headSeq).toBe(30);
    const [batch, ...rest] = batches(catchUp.packets);
    expect(rest).toEqual([]);
    // Nacka's own lines (21, 24, 27, 30) are not Polisen's to see; the head still is.
    expect(batch?.events.map((e) => e.seq)).toEqual([22, 23, 25, 26, 28, 29]);
    expect(batch?.headSeq).toBe(30);
    expect(batch?.epoch).toBe(EPOCH);

    const own = batches(new CatchUps(hub).for(nacka, { lastSeq: 20, epoch: EPOCH }).packets);
    expect(own[0]?.events.map((e) => e.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  });

  it('sends an empty batch at the head, so the position follows the hub', () => {
    const hub = hubWith(10);
    const catchUp = new CatchUps(hub).for(device, { lastSeq: 10, epoch: EPOCH });
    expect(batches(catchUp.packets)).toEqual([{ epoch: EPOCH, events: [], headSeq: 10 }]);
  });

  it('pages a long replay, each page carrying the seq it reaches', () => {
    const hub = hubWith(CATCH_UP_PAGE * 2 + 10);
    const catchUp = new CatchUps(hub).for(nacka, { lastSeq: 0, epoch: EPOCH });
    const pages = batches(catchUp.packets);
    expect(pages.map((p) => p.events.length)).toEqual([CATCH_UP_PAGE, CATCH_UP_PAGE, 10]);
    expect(pages.map((p) => p.headSeq)).toEqual([CATCH_UP_PAGE, CATCH_UP_PAGE * 2, CATCH_UP_PAGE * 2 + 10]);
  });

  it('sends the projection when replay is not possible', () => {
    const hub = hubWith(300, 10);
    const catchUps = new CatchUps(hub);
    const cases = [
      {},
      { lastSeq: 295, epoch: 'another-epoch' },
      { lastSeq: 301, epoch: EPOCH },
      // Older than the retained events.
      { lastSeq: 5, epoch: EPOCH },
    ];
    for (const client of cases) {
      const catchUp = catchUps.for(polisen, client);
      expect(catchUp.kind).toBe('snapshot');
      const expected: SyncSnapshot = { epoch: EPOCH, seq: 300, state: projectState(hub.state, polisen) };
      expect(catchUp.packets).toHaveLength(1);
      const { name, payload } = decode(catchUp.packets[0] ?? '');
      expect(name).toBe('sync.snapshot');
      expect(serverMessages['sync.snapshot'].parse(payload)).toEqual(expected);
    }
    const theirs = catchUps.for(nacka, {}).packets[0] ?? '';
    const ours = catchUps.for(polisen, {}).packets[0] ?? '';
    expect(theirs).not.toBe(ours);
  });

  it('shares one catch-up between sockets at the same place until the head moves', () => {
    const hub = hubWith(30);
    const catchUps = new CatchUps(hub);
    const first = catchUps.for(polisen, { lastSeq: 20, epoch: EPOCH });
    expect(catchUps.for(polisen, { lastSeq: 20, epoch: EPOCH })).toBe(first);
    expect(catchUps.for(nacka, { lastSeq: 20, epoch: EPOCH })).not.toBe(first);
    expect(catchUps.for(polisen, { lastSeq: 21, epoch: EPOCH })).not.toBe(first);

    hub.ingest(logLines(31, 1));
    const later = catchUps.for(polisen, { lastSeq: 20, epoch: EPOCH });
    expect(later).not.toBe(first);
    expect(later.headSeq).toBe(31);
    expect(batches(later.packets)[0]?.events.at(-1)?.seq).toBe(31);
  });
});
