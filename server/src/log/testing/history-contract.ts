import { expect, it } from 'vitest';
import { applyInPlace, initialDirectory, initialState, stateHash, type StoredEvent } from '@lagesbild/shared';
import type { ContractContext } from './contract-context.js';
import {
  appendOne,
  appendedEvents,
  appendedSeqs,
  batchSeqs,
  buildCommand,
  collector,
  range,
} from './log-helpers.js';
import { buildIncidentDrafts, buildLogEntryDraft, testTime } from './test-events.js';

/** The contract of what a log gives back: replay on open, snapshots, reads, tails, the epoch. */
export function describeHistoryContract({ openLog }: ContractContext): void {
  it('appends events with gap-free seqs and replays them, identical, on reopen', async () => {
    const { log, opened: first } = await openLog();
    expect(first.events).toEqual([]);
    expect(first.snapshot).toBeNull();

    const a = await appendOne(log, 0, buildIncidentDrafts());
    const b = await appendOne(log, 2, [buildLogEntryDraft('Första loggraden')]);
    expect(appendedSeqs(a)).toEqual([1, 2]);
    expect(appendedSeqs(b)).toEqual([3]);
    await log.close();

    const { opened: again } = await openLog();
    expect(again.epoch).toBe(first.epoch);
    expect(again.events).toEqual([...appendedEvents(a), ...appendedEvents(b)]);
  });

  it('tails the events after a seq and every later append, in order and once each', async () => {
    const { log } = await openLog();
    await appendOne(log, 0, buildIncidentDrafts());
    await appendOne(log, 2, [buildLogEntryDraft()]);

    const seen = collector();
    log.tail(1, seen.onEvents);
    await seen.until(3);
    let head = 3;
    for (let i = 0; i < 20; i++) {
      const outcome = await appendOne(log, head, [buildLogEntryDraft(`rad ${i}`)]);
      head = appendedSeqs(outcome).at(-1) ?? head;
    }
    await seen.until(23);
    expect(seen.seqs()).toEqual(range(2, 23));

    // A second tail from the start sees the same history.
    const all = collector();
    log.tail(0, all.onEvents);
    await all.until(23);
    expect(all.seqs()).toEqual(range(1, 23));
  });

  it('tails the events of batches in order, once each', async () => {
    const { log } = await openLog();
    const seen = collector();
    log.tail(0, seen.onEvents);
    let head = 0;
    for (let i = 0; i < 5; i++) {
      const batch = [buildCommand([buildLogEntryDraft()]), buildCommand(buildIncidentDrafts())];
      head =
        batchSeqs(await log.appendBatch(head, batch, testTime()))
          .flat()
          .at(-1) ?? head;
    }
    await seen.until(15);
    expect(seen.seqs()).toEqual(range(1, 15));
  });

  it('opens from a snapshot plus the later events to the same state as a full replay', async () => {
    const { log } = await openLog();
    const all: StoredEvent[] = [];
    let head = 0;
    let snapshotSeq = 0;
    for (let i = 0; i < 12; i++) {
      const drafts = i % 3 === 0 ? buildIncidentDrafts(`Händelse ${i}`) : [buildLogEntryDraft(`rad ${i}`)];
      all.push(...appendedEvents(await appendOne(log, head, drafts)));
      head = all.length;
      if (i === 6) {
        snapshotSeq = head;
        await log.saveSnapshot({
          seq: head,
          state: applyInPlace(initialState(), all),
          directory: initialDirectory(),
        });
      }
    }
    await log.close();

    const { opened: fromSnapshot } = await openLog();
    expect(fromSnapshot.snapshot?.seq).toBe(snapshotSeq);
    expect(fromSnapshot.events.map((e) => e.seq)).toEqual(range(snapshotSeq + 1, head));
    const folded = applyInPlace(
      structuredClone(fromSnapshot.snapshot?.state ?? initialState()),
      fromSnapshot.events,
    );
    expect(stateHash(folded)).toBe(stateHash(applyInPlace(initialState(), all)));
  });

  it('opens from a snapshot taken between the events of one command', async () => {
    const { log } = await openLog();
    const first = appendedEvents(await appendOne(log, 0, buildIncidentDrafts()));
    const second = appendedEvents(await appendOne(log, 2, buildIncidentDrafts('Vattenläcka')));
    await log.saveSnapshot({
      seq: 3,
      state: applyInPlace(initialState(), [...first, ...second.slice(0, 1)]),
      directory: initialDirectory(),
    });
    await log.close();

    const { opened: again } = await openLog();
    expect(again.snapshot?.seq).toBe(3);
    expect(again.events).toEqual(second.slice(1));
  });

  it('keeps the newer snapshot when an older one is saved after it', async () => {
    const { log } = await openLog();
    const events: StoredEvent[] = [];
    for (let i = 0; i < 4; i++)
      events.push(...appendedEvents(await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)])));
    await log.saveSnapshot({
      seq: 3,
      state: applyInPlace(initialState(), events.slice(0, 3)),
      directory: initialDirectory(),
    });
    await log.saveSnapshot({
      seq: 2,
      state: applyInPlace(initialState(), events.slice(0, 2)),
      directory: initialDirectory(),
    });
    await log.close();

    const { opened: again } = await openLog();
    expect(again.snapshot?.seq).toBe(3);
    expect(again.events.map((e) => e.seq)).toEqual([4]);
  });

  it('stores the state as it was when the snapshot was saved, not as the caller folds it on', async () => {
    const { log } = await openLog();
    const events = appendedEvents(await appendOne(log, 0, buildIncidentDrafts()));
    const later = appendedEvents(await appendOne(log, 2, buildIncidentDrafts('Vattenläcka')));
    const state = applyInPlace(initialState(), events);
    const saved = stateHash(state);
    const saving = log.saveSnapshot({ seq: 2, state, directory: initialDirectory() });
    // The hub goes on folding into the same object before the save has even started.
    applyInPlace(state, later);
    await saving;
    await log.close();

    const { opened: again } = await openLog();
    expect(stateHash(again.snapshot?.state ?? initialState())).toBe(saved);
    expect(again.events).toEqual(later);
  });

  it('refuses a snapshot beyond the head', async () => {
    const { log } = await openLog();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    await expect(
      log.saveSnapshot({ seq: 2, state: initialState(), directory: initialDirectory() }),
    ).rejects.toThrow(/seq 2/);
  });

  it('reads retained events in pages after a seq', async () => {
    const { log } = await openLog();
    for (let i = 0; i < 10; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    expect((await log.read(0, 4)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect((await log.read(4, 4)).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    expect((await log.read(8, 4)).map((e) => e.seq)).toEqual([9, 10]);
    expect(await log.read(10, 4)).toEqual([]);
  });

  it('keeps its epoch across reopens', async () => {
    const { log, opened: first } = await openLog();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    await log.close();
    const { opened: again } = await openLog();
    expect(again.epoch).toBe(first.epoch);
    expect(first.epoch).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses appends after close with LogUnavailableError', async () => {
    const { log } = await openLog();
    await log.close();
    expect(log.isHealthy()).toBe(false);
    await expect(appendOne(log, 0, [buildLogEntryDraft()])).rejects.toMatchObject({
      name: 'LogUnavailableError',
    });
  });
}
