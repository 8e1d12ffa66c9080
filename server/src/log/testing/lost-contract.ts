import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { initialDirectory, initialState } from '@lagesbild/shared';
import { LogLostError, LogUnavailableError, type EventLog } from '../event-log.js';
import type { ContractContext } from './contract-context.js';
import { appendOne, appendedSeqs, collector } from './log-helpers.js';
import { buildIncidentDrafts, buildLogEntryDraft } from './test-events.js';

/** How long a log may take to notice on its own that it was replaced (its periodic check). */
const NOTICE_WITHIN_MS = 5000;

/** Waits until the log says it is lost; fails with what it says otherwise. */
async function lostWithin(log: EventLog, ms = NOTICE_WITHIN_MS): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const reason = log.lostReason();
    if (reason !== null) return reason;
    if (Date.now() > deadline) throw new Error(`the log did not notice it was replaced within ${ms} ms`);
    await sleep(25);
  }
}

/**
 * The contract of a lost log: storage replaced under an open log (Redis flushed or
 * restarted without its data, a journal directory swapped) makes that log lost for good,
 * and it neither writes into nor reads from the log that is there now.
 */
export function describeLostContract({ openLog, replaceLog }: ContractContext): void {
  it('is not lost while its log is the one it opened', async () => {
    const { log } = await openLog();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    expect(log.lostReason()).toBeNull();
    expect(log.isHealthy()).toBe(true);
  });

  it('refuses to append into a log that replaced the one it opened, and writes nothing into it', async () => {
    const { log: old, opened: before } = await openLog();
    await appendOne(old, 0, buildIncidentDrafts());
    const seen = collector();
    old.tail(0, seen.onEvents);
    await seen.until(2);

    await replaceLog();
    const { log: fresh, opened: after } = await openLog();
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.events).toEqual([]);
    // The new log grows past where the old one was, so a tail that did not check would fold it.
    const newer = [
      ...appendedSeqs(await appendOne(fresh, 0, buildIncidentDrafts('Ny logg'))),
      ...appendedSeqs(await appendOne(fresh, 2, [buildLogEntryDraft('Ny rad')])),
    ];
    expect(newer).toEqual([1, 2, 3]);

    const refused = appendOne(old, 2, [buildLogEntryDraft('Från den gamla hubben')]);
    await expect(refused).rejects.toBeInstanceOf(LogLostError);
    await expect(appendOne(old, 2, [buildLogEntryDraft()])).rejects.toBeInstanceOf(LogUnavailableError);
    expect(await lostWithin(old)).toMatch(/\S/);
    expect(old.isHealthy()).toBe(false);
    await expect(old.read(0, 10)).rejects.toBeInstanceOf(LogLostError);
    await expect(
      old.saveSnapshot({ seq: 2, state: initialState(), directory: initialDirectory() }),
    ).rejects.toBeInstanceOf(LogUnavailableError);

    // Only the new log's own events are in it, and the old log's tail delivered none of them.
    const stored = await fresh.read(0, 10);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(stored.map((e) => e.payload)).not.toContainEqual(
      expect.objectContaining({ entry: expect.objectContaining({ text: 'Från den gamla hubben' }) }),
    );
    await sleep(200);
    expect(seen.seqs()).toEqual([1, 2]);
    expect(fresh.lostReason()).toBeNull();
  });

  it('notices by itself, without an append, that its log was replaced', async () => {
    const { log } = await openLog();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    await replaceLog();
    const reason = await lostWithin(log);
    expect(reason.length).toBeGreaterThan(10);
    expect(reason.length).toBeLessThanOrEqual(500);
    expect(log.isHealthy()).toBe(false);
  });
}
