/**
 * Appends to a journal as fast as it can and prints `ack <seq>` for every append that
 * resolved, until it is killed. journal-log.test.ts runs it and kills it with SIGKILL to
 * check that every acknowledged event survives the crash of the process.
 */
import { randomUUID } from 'node:crypto';
import { createJournalLog } from '../journal/journal-log.js';
import { buildAttribution, buildLogEntryDraft, testTime } from './test-events.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: journal-crash-child <dir>');
const log = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
const opened = await log.open();
let head = opened.events.at(-1)?.seq ?? 0;
const by = buildAttribution();
for (;;) {
  const base = head;
  const appends = Array.from({ length: 8 }, (_, i) =>
    log
      .appendBatch(
        base + i,
        [{ commandId: randomUUID(), drafts: [buildLogEntryDraft(`rad ${base + i}`)], by, payloadHash: null }],
        testTime(),
      )
      .then((outcome) => {
        if (outcome.status === 'appended')
          process.stdout.write(
            `ack ${outcome.events
              .flat()
              .map((e) => e.seq)
              .join(' ')}\n`,
          );
      }),
  );
  await Promise.all(appends);
  head += 8;
}
