import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { buildLogEntryCommand, runCommands } from '@lagesbild/shared/test-factories';
import { HubState } from '../hub/hub-state.js';
import { publishAfterAnswers } from './publish-after-answers.js';

describe('publishAfterAnswers', () => {
  it('publishes on the next turn, in order, with the head of the last event sent', async () => {
    const hub = new HubState('epoch', 100, null);
    const published: { seqs: number[]; headSeq: number }[] = [];
    publishAfterAnswers(
      hub,
      (events, headSeq) => published.push({ seqs: events.map((e) => e.seq), headSeq }),
      pino({ level: 'silent' }),
    );
    const { events } = runCommands([1, 2, 3, 4].map(() => ({ command: buildLogEntryCommand() })));
    const [one, two, three, four] = events as [StoredEvent, StoredEvent, StoredEvent, StoredEvent];

    hub.ingest([one, two]);
    hub.ingest([three]);
    // Whatever runs in this turn (the acks) runs before the broadcast.
    expect(published).toEqual([]);
    await nextTurn();
    expect(published).toEqual([{ seqs: [1, 2, 3], headSeq: 3 }]);

    hub.ingest([four]);
    await nextTurn();
    expect(published).toEqual([
      { seqs: [1, 2, 3], headSeq: 3 },
      { seqs: [4], headSeq: 4 },
    ]);
  });
});
