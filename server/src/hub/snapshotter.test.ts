import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { buildAttribution, buildLogEntryDraft, testTime } from '../log/testing/test-events.js';
import type { Snapshot } from '../log/event-log.js';
import { HubState } from './hub-state.js';
import { startSnapshots } from './snapshotter.js';

const event = (seq: number): StoredEvent => ({
  ...buildLogEntryDraft(`rad ${seq}`),
  seq,
  at: testTime(),
  by: buildAttribution(),
  commandId: `c${seq}`,
});

/** A log whose saves take `saveMs` of the fake clock. */
function slowLog(clock: { now: number }, saveMs: number) {
  const saved: number[] = [];
  return {
    saved,
    saveSnapshot: async (snapshot: Snapshot) => {
      clock.now += saveMs;
      saved.push(snapshot.seq);
    },
  };
}

async function feed(hub: HubState, from: number, to: number) {
  for (let seq = from; seq <= to; seq++) {
    hub.ingest([event(seq)]);
    // Let a save that started finish before the next event.
    await Promise.resolve();
    await Promise.resolve();
  }
}

describe('startSnapshots', () => {
  it('saves every `every` events while saves are quick', async () => {
    const clock = { now: 0 };
    const hub = new HubState('epoch', 100, null);
    const log = slowLog(clock, 0);
    startSnapshots(hub, log, 10, pino({ level: 'silent' }), () => clock.now);
    await feed(hub, 1, 50);
    expect(log.saved).toEqual([10, 20, 30, 40, 50]);
  });

  it('saves a state that is slow to save less often, so saving takes at most a tenth of the time', async () => {
    const clock = { now: 0 };
    const hub = new HubState('epoch', 100, null);
    const log = slowLog(clock, 1000);
    startSnapshots(hub, log, 10, pino({ level: 'silent' }), () => clock.now);
    await feed(hub, 1, 30);
    // The first save took 1 s, so none for the next 9 s, however many events arrive.
    expect(log.saved).toEqual([10]);
    clock.now += 9000;
    await feed(hub, 31, 31);
    expect(log.saved).toEqual([10, 31]);
  });
});
