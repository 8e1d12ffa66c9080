import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { LogLostError, type CommandFingerprint, type EventLog } from '../event-log.js';
import type { ContractContext } from './contract-context.js';
import {
  CONTRACT_WINDOW_MS,
  PAYLOAD_HASH,
  appendOne,
  appendedEvents,
  batchEvents,
  batchSeqs,
  buildCommand,
  duplicateOf,
  idConflictOf,
} from './log-helpers.js';
import { buildAttribution, buildIncidentDrafts, buildLogEntryDraft, testTime } from './test-events.js';

/** The sender and payload of the contract's commands: the attribution's user and PAYLOAD_HASH. */
const SENT: CommandFingerprint = { sender: buildAttribution().userId, payloadHash: PAYLOAD_HASH };

/** The seq under which the log remembers a command sent by SENT, or null. */
const findSeq = async (log: EventLog, commandId: string) =>
  (await log.findCommand(commandId, SENT))?.seq ?? null;

/** The contract of `appendBatch`: numbering, the head check and exactly-once by command id. */
export function describeAppendContract({ openLog, passTime, aheadOfHead }: ContractContext): void {
  it('appends a batch back to back, remembering each command on its own', async () => {
    const { log } = await openLog();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    const [a, b, empty] = [
      buildCommand(buildIncidentDrafts()),
      buildCommand([buildLogEntryDraft()]),
      buildCommand([]),
    ];
    const outcome = await log.appendBatch(1, [a, b, empty], testTime());
    expect(batchSeqs(outcome)).toEqual([[2, 3], [4], []]);
    expect(batchEvents(outcome)[0]?.every((e) => e.commandId === a.commandId)).toBe(true);
    expect(await findSeq(log, a.commandId)).toBe(3);
    expect(await findSeq(log, b.commandId)).toBe(4);
    // Nothing to write, nothing to remember: repeating an empty command changes nothing.
    expect(await findSeq(log, empty.commandId)).toBeNull();
    expect(await appendOne(log, 4, [buildLogEntryDraft()], a.commandId)).toEqual(
      duplicateOf(a.commandId, 3, 4),
    );
    const appended = await log.read(0, 10);
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await log.close();

    const { log: again, opened } = await openLog();
    expect(opened.events).toEqual(appended);
    expect(await findSeq(again, b.commandId)).toBe(4);
  });

  it('answers conflict on a stale head, with the events missed, and writes none of the batch', async () => {
    const { log } = await openLog();
    const missed = appendedEvents(await appendOne(log, 0, [buildLogEntryDraft()]));
    const batch = [buildCommand([buildLogEntryDraft()]), buildCommand(buildIncidentDrafts())];
    expect(await log.appendBatch(0, batch, testTime())).toEqual({
      status: 'conflict',
      headSeq: 1,
      events: missed,
      retryAfterMs: 0,
    });
    expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1]);
    for (const { commandId } of batch) expect(await findSeq(log, commandId)).toBeNull();
    // Decided again on the current head, the same commands go through.
    expect(batchSeqs(await log.appendBatch(1, batch, testTime()))).toEqual([[2], [3, 4]]);
  });

  if (aheadOfHead === 'conflict') {
    it('answers conflict on a head beyond its own and writes none of the batch', async () => {
      const { log } = await openLog();
      await appendOne(log, 0, [buildLogEntryDraft()]);
      const batch = [buildCommand([buildLogEntryDraft()])];
      expect(await log.appendBatch(3, batch, testTime())).toEqual({
        status: 'conflict',
        headSeq: 1,
        events: [],
        retryAfterMs: 0,
      });
      expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1]);
      expect(await findSeq(log, batch[0]?.commandId ?? '')).toBeNull();
    });
  } else {
    it('is lost when an append names a head beyond its own: it lost events the hub had read', async () => {
      const { log } = await openLog();
      await appendOne(log, 0, [buildLogEntryDraft()]);
      const batch = [buildCommand([buildLogEntryDraft()])];
      await expect(log.appendBatch(3, batch, testTime())).rejects.toBeInstanceOf(LogLostError);
      expect(log.lostReason()).toMatch(/head is seq 1, below seq 3 that this hub read from it/);
      const { log: again } = await openLog();
      expect((await again.read(0, 10)).map((e) => e.seq)).toEqual([1]);
      expect(await findSeq(again, batch[0]?.commandId ?? '')).toBeNull();
    });
  }

  it('answers duplicate for a command id seen within the window, also after a reopen', async () => {
    const { log } = await openLog();
    const commandId = randomUUID();
    const first = appendedEvents(await appendOne(log, 0, buildIncidentDrafts(), commandId));
    const later = appendedEvents(await appendOne(log, 2, [buildLogEntryDraft()]));

    // A retry names whatever head the client knew; the duplicate wins over a conflict, and
    // the answer carries what the retry missed.
    expect(await appendOne(log, 0, buildIncidentDrafts(), commandId)).toEqual(
      duplicateOf(commandId, 2, 3, [...first, ...later]),
    );
    expect(await appendOne(log, 3, [buildLogEntryDraft()], commandId)).toEqual(duplicateOf(commandId, 2, 3));
    expect(await findSeq(log, commandId)).toBe(2);
    expect(await findSeq(log, randomUUID())).toBeNull();
    await log.close();

    const { log: again } = await openLog();
    expect(await findSeq(again, commandId)).toBe(2);
    expect(await appendOne(again, 3, [buildLogEntryDraft()], commandId)).toEqual(
      duplicateOf(commandId, 2, 3),
    );
    expect((await again.read(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('forgets a command id once the idempotency window has passed', async () => {
    const { log } = await openLog({ idempotencyWindowMs: CONTRACT_WINDOW_MS });
    const commandId = randomUUID();
    await appendOne(log, 0, [buildLogEntryDraft()], commandId);
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId)).toEqual(duplicateOf(commandId, 1, 1));

    await passTime(CONTRACT_WINDOW_MS + 50);
    expect(await findSeq(log, commandId)).toBeNull();
    expect(batchSeqs(await appendOne(log, 1, [buildLogEntryDraft()], commandId))).toEqual([[2]]);
  });

  it('names the commands of a batch appended before and writes none of the batch', async () => {
    const { log } = await openLog();
    const [a, b] = [buildCommand(buildIncidentDrafts()), buildCommand([buildLogEntryDraft()])];
    const earlier = batchEvents(await log.appendBatch(0, [a, b], testTime())).flat();
    const [c, d] = [buildCommand([buildLogEntryDraft()]), buildCommand([buildLogEntryDraft()])];

    // Across batches; the duplicate wins over a conflict.
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
    const stale = await log.appendBatch(
      0,
      [c, buildCommand([buildLogEntryDraft()], b.commandId)],
      testTime(),
    );
    expect(stale).toEqual(duplicateOf(b.commandId, 3, 3, earlier));
    expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await findSeq(log, c.commandId)).toBeNull();
    expect(await findSeq(log, d.commandId)).toBeNull();

    // The rest, sent again without the duplicates, is appended.
    expect(batchSeqs(await log.appendBatch(3, [c, d], testTime()))).toEqual([[4], [5]]);
    expect(await appendOne(log, 5, [buildLogEntryDraft()], d.commandId)).toEqual(
      duplicateOf(d.commandId, 5, 5),
    );
  });

  it('refuses a batch naming one command twice, or holding an event that breaks the schema, and writes nothing', async () => {
    const { log } = await openLog();
    const a = buildCommand([buildLogEntryDraft()]);
    const twice = [
      a,
      buildCommand([buildLogEntryDraft()]),
      buildCommand([buildLogEntryDraft()], a.commandId),
    ];
    await expect(log.appendBatch(0, twice, testTime())).rejects.toThrow(/twice/);

    const bad = buildLogEntryDraft('Felaktig', 'not-a-uuid');
    await expect(
      log.appendBatch(0, [a, buildCommand([buildLogEntryDraft(), bad])], testTime()),
    ).rejects.toThrow();
    await expect(appendOne(log, 0, [bad])).rejects.toThrow();

    expect(await log.read(0, 10)).toEqual([]);
    expect(await findSeq(log, a.commandId)).toBeNull();
    expect(batchSeqs(await log.appendBatch(0, [a], testTime()))).toEqual([[1]]);
  });

  it('answers id_conflict to a command id sent again by another sender or with another payload, also after a reopen', async () => {
    const { log } = await openLog();
    const commandId = randomUUID();
    await appendOne(log, 0, [buildLogEntryDraft('Originalet')], commandId);

    const otherSender = { userId: 'u-mallory' };
    const otherPayload = { payloadHash: 'payload-hash-2' };
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId, otherSender)).toEqual(
      idConflictOf(commandId, 1),
    );
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId, otherPayload)).toEqual(
      idConflictOf(commandId, 1),
    );
    expect(await log.findCommand(commandId, { sender: 'u-mallory', payloadHash: PAYLOAD_HASH })).toEqual({
      seq: 1,
      sameCommand: false,
    });
    expect(await log.findCommand(commandId, SENT)).toEqual({ seq: 1, sameCommand: true });
    // A system change has no payload hash: the same sender is the same change.
    const system = randomUUID();
    await appendOne(log, 1, [buildLogEntryDraft()], system, { payloadHash: null });
    expect(await appendOne(log, 2, [buildLogEntryDraft()], system, { payloadHash: null })).toEqual(
      duplicateOf(system, 2, 2),
    );
    await log.close();

    const { log: again } = await openLog();
    expect(await appendOne(again, 2, [buildLogEntryDraft()], commandId, otherSender)).toEqual(
      idConflictOf(commandId, 2),
    );
    expect(await appendOne(again, 2, [buildLogEntryDraft()], commandId, otherPayload)).toEqual(
      idConflictOf(commandId, 2),
    );
    expect(await appendOne(again, 2, [buildLogEntryDraft()], commandId)).toEqual(
      duplicateOf(commandId, 1, 2),
    );
    const stored = await again.read(0, 10);
    expect(stored.map((e) => e.seq)).toEqual([1, 2]);
    expect(stored[0]?.payload).toMatchObject({ entry: { text: 'Originalet' } });
  });

  it('names the id conflicts of a batch apart from its duplicates and writes none of the batch', async () => {
    const { log } = await openLog();
    const [a, b] = [buildCommand([buildLogEntryDraft()]), buildCommand([buildLogEntryDraft()])];
    await log.appendBatch(0, [a, b], testTime());
    const fresh = buildCommand([buildLogEntryDraft()]);
    const outcome = await log.appendBatch(
      2,
      [
        fresh,
        buildCommand([buildLogEntryDraft()], a.commandId),
        buildCommand([buildLogEntryDraft()], b.commandId, { userId: 'u-mallory' }),
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
      [buildCommand([buildLogEntryDraft()], a.commandId, { payloadHash: 'x' })],
      testTime(),
    );
    expect(another).toEqual(idConflictOf(a.commandId, 2));
    expect(await findSeq(log, fresh.commandId)).toBeNull();
    expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1, 2]);
  });
}
