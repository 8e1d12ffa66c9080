import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { buildAttribution, buildLogEntryDraft, testTime } from '../log/testing/test-events.js';
import { HubState } from './hub-state.js';

const events = (from: number, to: number): StoredEvent[] =>
  Array.from(
    { length: to - from + 1 },
    (_, i) =>
      ({
        ...buildLogEntryDraft(`rad ${from + i}`),
        seq: from + i,
        at: testTime(),
        by: buildAttribution(),
        commandId: `c${from + i}`,
      }) as StoredEvent,
  );

describe('HubState catch-up window', () => {
  it('keeps the last events of a batch larger than the window, contiguous', () => {
    const hub = new HubState('epoch', 10, null);
    hub.ingest(events(1, 5));
    hub.ingest(events(6, 100));
    expect(hub.headSeq).toBe(100);
    expect(Object.keys(hub.state.logEntries)).toHaveLength(100);
    expect(hub.oldestCatchUpSeq).toBe(90);
    expect(hub.eventsAfter(89)).toBeNull();
    expect(hub.eventsAfter(95)?.map((e) => e.seq)).toEqual([96, 97, 98, 99, 100]);
    expect(hub.recentCommand('c100')?.seq).toBe(100);
    expect(hub.recentCommand('c3')).toBeUndefined();
  });

  it('keeps the window across small batches', () => {
    const hub = new HubState('epoch', 10, null);
    for (let seq = 1; seq <= 30; seq += 3) hub.ingest(events(seq, seq + 2));
    expect(hub.eventsAfter(25)?.map((e) => e.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(hub.oldestCatchUpSeq).toBeLessThanOrEqual(20);
  });
});

describe('waiting for the hub to reach a seq', () => {
  it('answers at once when the hub is there already', async () => {
    const hub = new HubState('epoch', 10, null);
    hub.ingest(events(1, 3));
    await expect(hub.waitFor(2, 60_000)).resolves.toBe(true);
  });

  it('answers once the events up to the seq are folded, not before', async () => {
    const hub = new HubState('epoch', 10, null);
    let reached: boolean | undefined;
    const waiting = hub.waitFor(3, 60_000).then((r) => (reached = r));
    hub.ingest(events(1, 2));
    await Promise.resolve();
    expect(reached).toBeUndefined();
    hub.ingest(events(3, 4));
    await expect(waiting).resolves.toBe(true);
  });

  it('gives up after the timeout when nothing comes', async () => {
    const hub = new HubState('epoch', 10, null);
    await expect(hub.waitFor(1, 5)).resolves.toBe(false);
  });
});
