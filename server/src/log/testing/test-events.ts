import { randomUUID } from 'node:crypto';
import type { Attribution, EventDraft } from '@lagesbild/shared';

/** Factories for the log tests: small, valid events a real hub could append. */

export function buildAttribution(overrides: Partial<Attribution> = {}): Attribution {
  return { userId: 'u-anna', userName: 'Anna Berg', actorId: 'nacka', functionId: 'tib', ...overrides };
}

export const testTime = (second = 0): string => new Date(Date.UTC(2025, 0, 15, 8, 0, second)).toISOString();

/** A `logEntry.added` draft; each call makes a new entry unless an id is given. */
export function buildLogEntryDraft(text = 'Stabsmöte kl 09.00', id: string = randomUUID()): EventDraft {
  return {
    type: 'logEntry.added',
    payload: {
      entry: {
        id,
        incidentId: null,
        text,
        sharing: { scope: 'region' },
        at: testTime(),
        by: buildAttribution(),
      },
    },
  };
}

/** An `incident.requested` draft followed by its `incident.activated`, as one command appends. */
export function buildIncidentDrafts(title = 'Storm över Stockholm'): EventDraft[] {
  const incidentId = randomUUID();
  return [
    { type: 'incident.requested', payload: { incidentId, title, reason: 'Stormvarning klass 2' } },
    {
      type: 'incident.activated',
      payload: {
        incidentId,
        title,
        kind: 'weather',
        description: 'Elavbrott väntas',
        area: null,
        summonedActorIds: ['nacka'],
        nextConferenceAt: null,
      },
    },
  ];
}
