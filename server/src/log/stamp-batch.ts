import { parseStoredEvent, type StoredEvent } from '@lagesbild/shared';
import type { BatchCommand } from './event-log.js';

/**
 * Numbers a batch's events from `expectedSeq + 1` on, command after command, and validates
 * each against the shared schema, so a log never holds what its replay would refuse.
 * Throws before anything is written when an event is invalid or a command id repeats.
 */
export function stampBatch(
  expectedSeq: number,
  commands: readonly BatchCommand[],
  at: string,
): StoredEvent[][] {
  const ids = new Set<string>();
  let seq = expectedSeq;
  return commands.map(({ commandId, drafts, by }) => {
    if (ids.has(commandId)) throw new Error(`a batch names command ${commandId} twice`);
    ids.add(commandId);
    return drafts.map((draft) =>
      parseStoredEvent({ seq: ++seq, type: draft.type, at, by, commandId, payload: draft.payload }),
    );
  });
}
