import { collectionIndex } from './collection-index.js';
import type { Checkin, State } from './model.js';

type Checkins = State['checkins'];

/**
 * Check-in ids by the person (user id) who made them, so that deciding a check-in does not
 * scan every check-in of the region. Readers check each id against their own collection
 * (see collection-index.ts): it may name check-ins that collection lacks or has ended.
 */
const byPerson = collectionIndex<Checkin, Map<string, Set<string>>>({
  empty: () => new Map(),
  add: (index, checkin) => {
    const ids = index.get(checkin.by.userId);
    if (ids) ids.add(checkin.id);
    else index.set(checkin.by.userId, new Set([checkin.id]));
  },
});

/** The person's check-ins that have not ended, in the order they were indexed. */
export function openCheckinsOf(checkins: Checkins, userId: string): Checkin[] {
  const open: Checkin[] = [];
  for (const id of byPerson.of(checkins).get(userId) ?? []) {
    const checkin = checkins[id];
    if (checkin && checkin.by.userId === userId && checkin.checkedOutAt === null) open.push(checkin);
  }
  return open;
}

/** Called by the reducer after it put `checkin` into `checkins`. */
export const noteCheckin = byPerson.note;

/** Lets `copy`, a copy of `original` that the reducer goes on folding into, share its index. */
export const shareCheckinIndex = byPerson.share;
