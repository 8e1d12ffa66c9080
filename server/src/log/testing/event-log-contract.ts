import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyInPlace,
  initialDirectory,
  initialState,
  stateHash,
  type EventDraft,
  type StoredEvent,
} from '@lagesbild/shared';
import type {
  AppendOutcome,
  BatchCommand,
  BatchOutcome,
  CommandFingerprint,
  EventLog,
} from '../event-log.js';
import { buildAttribution, buildIncidentDrafts, buildLogEntryDraft, testTime } from './test-events.js';

/** One storage (a directory, a key prefix) on which the contract tests open logs. */
export type LogHarness = {
  /** A new, unopened log over this harness's storage: the same storage on every call. */
  log(options?: { idempotencyWindowMs?: number }): EventLog;
  /** Lets `ms` of idempotency-window time pass (a fake clock, or real time for Redis). */
  passTime(ms: number): Promise<void>;
  dispose(): Promise<void>;
};

/** The payload hash the contract's commands are sent with unless a test says otherwise. */
const PAYLOAD_HASH = 'payload-hash-1';
/** The sender and payload of the contract's commands: the attribution's user and PAYLOAD_HASH. */
const SENT: CommandFingerprint = { sender: buildAttribution().userId, payloadHash: PAYLOAD_HASH };

/** The seq under which the log remembers a command sent by SENT, or null. */
const findSeq = async (log: EventLog, commandId: string) =>
  (await log.findCommand(commandId, SENT))?.seq ?? null;

/** The shortest window the contract uses; long enough for an immediate retry to fall inside. */
export const CONTRACT_WINDOW_MS = 400;

/**
 * The behaviour every EventLog must have, run against each implementation. Each test
 * gets fresh storage from `makeHarness`.
 */
export function describeEventLogContract(name: string, makeHarness: () => Promise<LogHarness>): void {
  describe(`${name}: EventLog contract`, () => {
    let harness: LogHarness;
    const opened: EventLog[] = [];

    const openLog = async (options?: { idempotencyWindowMs?: number }) => {
      const log = harness.log(options);
      opened.push(log);
      const result = await log.open();
      return { log, opened: result };
    };
    const append = (
      log: EventLog,
      expectedSeq: number,
      drafts: EventDraft[],
      commandId: string = randomUUID(),
      sent: { userId?: string; payloadHash?: string | null } = {},
    ) =>
      log.append(
        expectedSeq,
        commandId,
        drafts,
        testTime(),
        buildAttribution(sent.userId === undefined ? {} : { userId: sent.userId }),
        sent.payloadHash === undefined ? PAYLOAD_HASH : sent.payloadHash,
      );
    const command = (
      drafts: EventDraft[],
      commandId: string = randomUUID(),
      sent: { userId?: string; payloadHash?: string | null } = {},
    ): BatchCommand => ({
      commandId,
      drafts,
      by: buildAttribution(sent.userId === undefined ? {} : { userId: sent.userId }),
      payloadHash: sent.payloadHash === undefined ? PAYLOAD_HASH : sent.payloadHash,
    });

    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      for (const log of opened.splice(0)) await log.close();
      await harness.dispose();
    });

    it('appends events with gap-free seqs and replays them, identical, on reopen', async () => {
      const { log, opened: first } = await openLog();
      expect(first.events).toEqual([]);
      expect(first.snapshot).toBeNull();

      const a = await append(log, 0, buildIncidentDrafts());
      const b = await append(log, 2, [buildLogEntryDraft('Första loggraden')]);
      expect(appendedSeqs(a)).toEqual([1, 2]);
      expect(appendedSeqs(b)).toEqual([3]);
      await log.close();

      const { opened: again } = await openLog();
      expect(again.epoch).toBe(first.epoch);
      expect(again.events).toEqual([...appendedEvents(a), ...appendedEvents(b)]);
    });

    it('answers conflict with the head seq when the expected seq is stale, and writes nothing', async () => {
      const { log } = await openLog();
      await append(log, 0, [buildLogEntryDraft()]);
      const stale = await append(log, 0, [buildLogEntryDraft()]);
      expect(stale).toEqual({ status: 'conflict', headSeq: 1 });
      const ahead = await append(log, 5, [buildLogEntryDraft()]);
      expect(ahead).toEqual({ status: 'conflict', headSeq: 1 });
      expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1]);
    });

    it('answers duplicate for a command id seen within the window, also after a reopen', async () => {
      const { log } = await openLog();
      const commandId = randomUUID();
      await append(log, 0, buildIncidentDrafts(), commandId);
      await append(log, 2, [buildLogEntryDraft()]);

      // A retry names whatever head the client knew; the duplicate wins over a conflict.
      expect(await append(log, 0, buildIncidentDrafts(), commandId)).toEqual({ status: 'duplicate', seq: 2 });
      expect(await append(log, 3, [buildLogEntryDraft()], commandId)).toEqual({
        status: 'duplicate',
        seq: 2,
      });
      expect(await findSeq(log, commandId)).toBe(2);
      expect(await findSeq(log, randomUUID())).toBeNull();
      await log.close();

      const { log: again } = await openLog();
      expect(await findSeq(again, commandId)).toBe(2);
      expect(await append(again, 3, [buildLogEntryDraft()], commandId)).toEqual({
        status: 'duplicate',
        seq: 2,
      });
      expect((await again.read(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('forgets a command id once the idempotency window has passed', async () => {
      const { log } = await openLog({ idempotencyWindowMs: CONTRACT_WINDOW_MS });
      const commandId = randomUUID();
      await append(log, 0, [buildLogEntryDraft()], commandId);
      expect(await append(log, 1, [buildLogEntryDraft()], commandId)).toEqual({
        status: 'duplicate',
        seq: 1,
      });

      await harness.passTime(CONTRACT_WINDOW_MS + 50);
      expect(await findSeq(log, commandId)).toBeNull();
      const again = await append(log, 1, [buildLogEntryDraft()], commandId);
      expect(appendedSeqs(again)).toEqual([2]);
    });

    it('tails the events after a seq and every later append, in order and once each', async () => {
      const { log } = await openLog();
      await append(log, 0, buildIncidentDrafts());
      await append(log, 2, [buildLogEntryDraft()]);

      const seen = collector();
      log.tail(1, seen.onEvents);
      await seen.until(3);
      let head = 3;
      for (let i = 0; i < 20; i++) {
        const outcome = await append(log, head, [buildLogEntryDraft(`rad ${i}`)]);
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

    it('opens from a snapshot plus the later events to the same state as a full replay', async () => {
      const { log } = await openLog();
      const all: StoredEvent[] = [];
      let head = 0;
      let snapshotSeq = 0;
      for (let i = 0; i < 12; i++) {
        const drafts = i % 3 === 0 ? buildIncidentDrafts(`Händelse ${i}`) : [buildLogEntryDraft(`rad ${i}`)];
        const outcome = await append(log, head, drafts);
        all.push(...appendedEvents(outcome));
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
      const first = appendedEvents(await append(log, 0, buildIncidentDrafts()));
      const second = appendedEvents(await append(log, 2, buildIncidentDrafts('Vattenläcka')));
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
        events.push(...appendedEvents(await append(log, i, [buildLogEntryDraft(`rad ${i}`)])));
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

    it('reads retained events in pages after a seq', async () => {
      const { log } = await openLog();
      for (let i = 0; i < 10; i++) await append(log, i, [buildLogEntryDraft(`rad ${i}`)]);
      expect((await log.read(0, 4)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect((await log.read(4, 4)).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
      expect((await log.read(8, 4)).map((e) => e.seq)).toEqual([9, 10]);
      expect(await log.read(10, 4)).toEqual([]);
    });

    it('refuses events that break the shared schema and writes nothing', async () => {
      const { log } = await openLog();
      const bad: EventDraft = {
        type: 'logEntry.added',
        payload: {
          entry: {
            id: 'not-a-uuid',
            incidentId: null,
            text: 'x',
            sharing: { scope: 'region' },
            at: testTime(),
            by: buildAttribution(),
          },
        },
      };
      await expect(append(log, 0, [bad])).rejects.toThrow();
      expect(await log.read(0, 10)).toEqual([]);
      expect(appendedSeqs(await append(log, 0, [buildLogEntryDraft()]))).toEqual([1]);
    });

    it('appends a batch back to back, remembering each command on its own', async () => {
      const { log } = await openLog();
      await append(log, 0, [buildLogEntryDraft()]);
      const [a, b, empty] = [command(buildIncidentDrafts()), command([buildLogEntryDraft()]), command([])];
      const outcome = await log.appendBatch(1, [a, b, empty], testTime());
      expect(batchSeqs(outcome)).toEqual([[2, 3], [4], []]);
      expect(batchEvents(outcome)[0]?.every((e) => e.commandId === a.commandId)).toBe(true);
      expect(await findSeq(log, a.commandId)).toBe(3);
      expect(await findSeq(log, b.commandId)).toBe(4);
      // Like an empty append, a command without events is not remembered.
      expect(await findSeq(log, empty.commandId)).toBeNull();
      expect(await append(log, 4, [buildLogEntryDraft()], a.commandId)).toEqual({
        status: 'duplicate',
        seq: 3,
      });
      const appended = await log.read(0, 10);
      expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      await log.close();

      const { log: again, opened } = await openLog();
      expect(opened.events).toEqual(appended);
      expect(await findSeq(again, b.commandId)).toBe(4);
    });

    it('answers conflict to a batch on a stale head, with the events it missed, and writes none of it', async () => {
      const { log } = await openLog();
      const missed = appendedEvents(await append(log, 0, [buildLogEntryDraft()]));
      const batch = [command([buildLogEntryDraft()]), command(buildIncidentDrafts())];
      expect(await log.appendBatch(0, batch, testTime())).toEqual({
        status: 'conflict',
        headSeq: 1,
        events: missed,
        retryAfterMs: 0,
      });
      expect(await log.appendBatch(3, batch, testTime())).toEqual({
        status: 'conflict',
        headSeq: 1,
        events: [],
        retryAfterMs: 0,
      });
      expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1]);
      for (const { commandId } of batch) expect(await findSeq(log, commandId)).toBeNull();
      // Decided again on the current head, the same commands go through.
      expect(batchSeqs(await log.appendBatch(1, batch, testTime()))).toEqual([[2], [3, 4]]);
    });

    it('names the commands of a batch appended before and writes none of the batch', async () => {
      const { log } = await openLog();
      const [a, b] = [command(buildIncidentDrafts()), command([buildLogEntryDraft()])];
      const earlier = batchEvents(await log.appendBatch(0, [a, b], testTime())).flat();
      const [c, d] = [command([buildLogEntryDraft()]), command([buildLogEntryDraft()])];

      // Across batches and across the single append; the duplicate wins over a conflict.
      const outcome = await log.appendBatch(3, [c, a, d, b], testTime());
      expect(outcome).toEqual({
        status: 'duplicate',
        seqs: new Map([
          [a.commandId, 2],
          [b.commandId, 3],
        ]),
        idConflicts: new Set(),
        headSeq: 3,
        events: [],
      });
      const stale = await log.appendBatch(0, [c, command([buildLogEntryDraft()], b.commandId)], testTime());
      expect(stale).toEqual({
        status: 'duplicate',
        seqs: new Map([[b.commandId, 3]]),
        idConflicts: new Set(),
        headSeq: 3,
        events: earlier,
      });
      expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(await findSeq(log, c.commandId)).toBeNull();
      expect(await findSeq(log, d.commandId)).toBeNull();

      // The rest, sent again without the duplicates, is appended.
      expect(batchSeqs(await log.appendBatch(3, [c, d], testTime()))).toEqual([[4], [5]]);
      expect(await append(log, 5, [buildLogEntryDraft()], d.commandId)).toEqual({
        status: 'duplicate',
        seq: 5,
      });
    });

    it('refuses a batch naming one command twice, or holding an invalid event, and writes nothing', async () => {
      const { log } = await openLog();
      const a = command([buildLogEntryDraft()]);
      const twice = [a, command([buildLogEntryDraft()]), command([buildLogEntryDraft()], a.commandId)];
      await expect(log.appendBatch(0, twice, testTime())).rejects.toThrow(/twice/);

      const bad = buildLogEntryDraft('Felaktig', 'not-a-uuid');
      const badBatch = [a, command([buildLogEntryDraft(), bad])];
      await expect(log.appendBatch(0, badBatch, testTime())).rejects.toThrow();

      expect(await log.read(0, 10)).toEqual([]);
      expect(await findSeq(log, a.commandId)).toBeNull();
      expect(batchSeqs(await log.appendBatch(0, [a], testTime()))).toEqual([[1]]);
    });

    it('tails the events of batches in order, once each', async () => {
      const { log } = await openLog();
      const seen = collector();
      log.tail(0, seen.onEvents);
      let head = 0;
      for (let i = 0; i < 5; i++) {
        const batch = [command([buildLogEntryDraft()]), command(buildIncidentDrafts())];
        head =
          batchSeqs(await log.appendBatch(head, batch, testTime()))
            .flat()
            .at(-1) ?? head;
      }
      await seen.until(15);
      expect(seen.seqs()).toEqual(range(1, 15));
    });

    it('answers id_conflict to a command id sent again by another sender or with another payload, also after a reopen', async () => {
      const { log } = await openLog();
      const commandId = randomUUID();
      await append(log, 0, [buildLogEntryDraft('Originalet')], commandId);

      const otherSender = { userId: 'u-mallory' };
      const otherPayload = { payloadHash: 'payload-hash-2' };
      expect(await append(log, 1, [buildLogEntryDraft()], commandId, otherSender)).toEqual({
        status: 'id_conflict',
        seq: 1,
      });
      expect(await append(log, 1, [buildLogEntryDraft()], commandId, otherPayload)).toEqual({
        status: 'id_conflict',
        seq: 1,
      });
      expect(await log.findCommand(commandId, { sender: 'u-mallory', payloadHash: PAYLOAD_HASH })).toEqual({
        seq: 1,
        sameCommand: false,
      });
      expect(await log.findCommand(commandId, SENT)).toEqual({ seq: 1, sameCommand: true });
      // A system change has no payload hash: the same sender is the same change.
      const system = randomUUID();
      await append(log, 1, [buildLogEntryDraft()], system, { payloadHash: null });
      expect(await append(log, 2, [buildLogEntryDraft()], system, { payloadHash: null })).toEqual({
        status: 'duplicate',
        seq: 2,
      });
      await log.close();

      const { log: again } = await openLog();
      expect(await append(again, 2, [buildLogEntryDraft()], commandId, otherSender)).toEqual({
        status: 'id_conflict',
        seq: 1,
      });
      expect(await append(again, 2, [buildLogEntryDraft()], commandId, otherPayload)).toEqual({
        status: 'id_conflict',
        seq: 1,
      });
      expect(await append(again, 2, [buildLogEntryDraft()], commandId)).toEqual({
        status: 'duplicate',
        seq: 1,
      });
      const stored = await again.read(0, 10);
      expect(stored.map((e) => e.seq)).toEqual([1, 2]);
      expect(stored[0]?.payload).toMatchObject({ entry: { text: 'Originalet' } });
    });

    it('names the id conflicts of a batch apart from its duplicates and writes none of the batch', async () => {
      const { log } = await openLog();
      const [a, b] = [command([buildLogEntryDraft()]), command([buildLogEntryDraft()])];
      await log.appendBatch(0, [a, b], testTime());
      const fresh = command([buildLogEntryDraft()]);
      const outcome = await log.appendBatch(
        2,
        [
          fresh,
          command([buildLogEntryDraft()], a.commandId),
          command([buildLogEntryDraft()], b.commandId, { userId: 'u-mallory' }),
        ],
        testTime(),
      );
      expect(outcome).toEqual({
        status: 'duplicate',
        seqs: new Map([[a.commandId, 1]]),
        idConflicts: new Set([b.commandId]),
        headSeq: 2,
        events: [],
      });
      const another = await log.appendBatch(
        2,
        [command([buildLogEntryDraft()], a.commandId, { payloadHash: 'x' })],
        testTime(),
      );
      expect(another).toMatchObject({ status: 'duplicate', idConflicts: new Set([a.commandId]) });
      expect(await findSeq(log, fresh.commandId)).toBeNull();
      expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1, 2]);
    });

    it('keeps its epoch across reopens', async () => {
      const { log, opened: first } = await openLog();
      await append(log, 0, [buildLogEntryDraft()]);
      await log.close();
      const { opened: again } = await openLog();
      expect(again.epoch).toBe(first.epoch);
      expect(first.epoch).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}

export function appendedEvents(outcome: AppendOutcome): StoredEvent[] {
  if (outcome.status !== 'appended') throw new Error(`expected appended, got ${JSON.stringify(outcome)}`);
  return outcome.events;
}

export function appendedSeqs(outcome: AppendOutcome): number[] {
  return appendedEvents(outcome).map((e) => e.seq);
}

export function batchEvents(outcome: BatchOutcome): StoredEvent[][] {
  if (outcome.status !== 'appended') throw new Error(`expected appended, got ${JSON.stringify(outcome)}`);
  return outcome.events;
}

export function batchSeqs(outcome: BatchOutcome): number[][] {
  return batchEvents(outcome).map((events) => events.map((e) => e.seq));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Collects what a tail delivers and lets a test await a seq without polling. */
export function collector() {
  const events: StoredEvent[] = [];
  const waiters: { seq: number; resolve: () => void }[] = [];
  return {
    onEvents(batch: StoredEvent[]) {
      events.push(...batch);
      const last = events.at(-1)?.seq ?? 0;
      for (const w of waiters.splice(0)) {
        if (last >= w.seq) w.resolve();
        else waiters.push(w);
      }
    },
    until(seq: number, timeoutMs = 10_000): Promise<void> {
      if ((events.at(-1)?.seq ?? 0) >= seq) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`tail reached ${events.at(-1)?.seq ?? 0}, waited for ${seq}`)),
          timeoutMs,
        );
        waiters.push({
          seq,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    seqs: () => events.map((e) => e.seq),
    events,
  };
}
