import { describe, expect, it } from 'vitest';
import { initialDirectory, initialState } from '@lagesbild/shared';
import { describeEventLogContract } from './testing/event-log-contract.js';
import { appendOne, appendedSeqs, collector, range } from './testing/log-helpers.js';
import { buildLogEntryDraft } from './testing/test-events.js';
import { createMemoryLog, MemoryLogStore } from './memory-log.js';

describeEventLogContract('memory', async () => {
  const store = new MemoryLogStore();
  let clock = Date.UTC(2025, 0, 15, 8);
  return {
    log: (options) =>
      createMemoryLog({
        store,
        idempotencyWindowMs: options?.idempotencyWindowMs ?? 7 * 24 * 3600_000,
        now: () => clock,
      }),
    passTime: async (ms) => {
      clock += ms;
    },
    replaceLog: async () => store.replaceWithEmpty(),
    dispose: async () => undefined,
  };
});

describe('memory: several logs over one store', () => {
  const open = async (store: MemoryLogStore) => {
    const log = createMemoryLog({ store, idempotencyWindowMs: 60_000 });
    await log.open();
    return log;
  };

  it("delivers one log's appends to another log's tail, in order", async () => {
    const store = new MemoryLogStore();
    const [a, b] = [await open(store), await open(store)];
    const seen = collector();
    b.tail(0, seen.onEvents);
    let head = 0;
    for (let i = 0; i < 10; i++) {
      head = appendedSeqs(await appendOne(a, head, [buildLogEntryDraft(`rad ${i}`)])).at(-1) ?? head;
    }
    await seen.until(10);
    expect(seen.seqs()).toEqual(range(1, 10));
  });

  it('lets exactly one of two logs appending at the same seq win', async () => {
    const store = new MemoryLogStore();
    const [a, b] = [await open(store), await open(store)];
    const outcomes = await Promise.all([
      appendOne(a, 0, [buildLogEntryDraft()]),
      appendOne(b, 0, [buildLogEntryDraft()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['appended', 'conflict']);
    expect(outcomes[1]).toMatchObject({ headSeq: 1, events: await a.read(0, 10) });
  });

  it('numbers appends sent back to back without waiting, as the hub pipelines them', async () => {
    const log = await open(new MemoryLogStore());
    const outcomes = await Promise.all(range(0, 49).map((i) => appendOne(log, i, [buildLogEntryDraft()])));
    expect(outcomes.flatMap(appendedSeqs)).toEqual(range(1, 50));
  });
});

describe('memory: an unreachable log', () => {
  it('fails with LogUnavailableError while unavailable, then goes on with nothing lost', async () => {
    const store = new MemoryLogStore();
    const log = createMemoryLog({ store, idempotencyWindowMs: 60_000 });
    await log.open();
    await appendOne(log, 0, [buildLogEntryDraft()]);

    store.setUnavailable('Redis restarts');
    expect(log.isHealthy()).toBe(false);
    await expect(appendOne(log, 1, [buildLogEntryDraft()])).rejects.toMatchObject({
      name: 'LogUnavailableError',
    });
    await expect(log.read(0, 10)).rejects.toMatchObject({ name: 'LogUnavailableError' });
    await expect(
      log.saveSnapshot({ seq: 1, state: initialState(), directory: initialDirectory() }),
    ).rejects.toMatchObject({ name: 'LogUnavailableError' });

    store.setUnavailable(null);
    expect(log.isHealthy()).toBe(true);
    expect(appendedSeqs(await appendOne(log, 1, [buildLogEntryDraft()]))).toEqual([2]);
  });

  it('drops events older than the retained history before the newest snapshot', async () => {
    const log = createMemoryLog({ idempotencyWindowMs: 60_000, retainEvents: 3 });
    await log.open();
    for (let i = 0; i < 10; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    await log.saveSnapshot({ seq: 8, state: initialState(), directory: initialDirectory() });
    expect((await log.read(0, 100)).map((e) => e.seq)).toEqual(range(6, 10));
  });
});
