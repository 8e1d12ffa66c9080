import { describe, expect, it } from 'vitest';
import {
  projectState,
  type StoredEvent,
  type SyncEvents,
  type SyncSnapshot,
  type Viewer,
} from '@lagesbild/shared';
import { buildAttribution, buildEvent, buildLogEntry } from '@lagesbild/shared/test-factories';
import { CATCH_UP_PAGE, CatchUps, eventPacket, syncEventsJson } from './catch-up.js';
import { HubState } from '../hub/hub-state.js';

const EPOCH = 'epoch-1';
const nacka: Viewer = { kind: 'actor', actorId: 'nacka' };
const polisen: Viewer = { kind: 'actor', actorId: 'polisen' };
const device: Viewer = { kind: 'device' };

/** A log line by Nacka, shared with the region or kept to Nacka. */
const logLine = (seq: number, scope: 'region' | 'own'): StoredEvent =>
  buildEvent(
    {
      type: 'logEntry.added',
      payload: {
        entry: buildLogEntry({ sharing: { scope }, by: buildAttribution({ actorId: 'nacka' }) }),
      },
    },
    { seq },
  );

/** A hub that folded `count` log lines; every third one is Nacka's own. */
function hubWith(count: number, retain = 5000): HubState {
  const hub = new HubState(EPOCH, retain, null);
  hub.ingest(Array.from({ length: count }, (_, i) => logLine(i + 1, (i + 1) % 3 === 0 ? 'own' : 'region')));
  return hub;
}

/** What socket.io's encoder makes of `socket.emit(name, argument)`. */
const asSocketIo = (name: string, argument: unknown) => `2${JSON.stringify([name, argument])}`;

const batches = (packets: readonly string[]): SyncEvents[] =>
  packets.map((p) => {
    expect(p.startsWith('2["sync.events",')).toBe(true);
    return (JSON.parse(p.slice(1)) as [string, SyncEvents])[1];
  });

describe('catch-up packets', () => {
  it('are byte for byte what socket.emit would send', () => {
    const events = [logLine(7, 'region'), logLine(8, 'own')];
    const batch: SyncEvents = { epoch: EPOCH, events, headSeq: 9 };
    const packet = eventPacket(
      'sync.events',
      syncEventsJson(
        EPOCH,
        events.map((e) => JSON.stringify(e)),
        9,
      ),
    );
    expect(packet).toBe(asSocketIo('sync.events', batch));
    expect(eventPacket('sync.events', syncEventsJson(EPOCH, [], 3))).toBe(
      asSocketIo('sync.events', { epoch: EPOCH, events: [], headSeq: 3 }),
    );
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
      expect(catchUp.packets).toEqual([asSocketIo('sync.snapshot', expected)]);
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

    hub.ingest([logLine(31, 'region')]);
    const later = catchUps.for(polisen, { lastSeq: 20, epoch: EPOCH });
    expect(later).not.toBe(first);
    expect(later.headSeq).toBe(31);
    expect(batches(later.packets)[0]?.events.at(-1)?.seq).toBe(31);
  });
});
