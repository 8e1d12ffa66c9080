import type { Checkin, State } from './model.js';

type Checkins = State['checkins'];

/**
 * Check-in ids by the person (user id) who made them, per `checkins` collection, so that
 * deciding a check-in does not scan every check-in of the region. Kept outside the state:
 * the state's shape, its JSON and its hash stay as they are.
 *
 * An index only ever grows, and may be shared by a collection and its copies (see
 * `shareCheckinIndex`): it can then name ids a given collection does not hold, or holds
 * already checked out, so every reader looks each id up in its own collection. Ids are never
 * removed, which is what makes sharing safe.
 */
type Index = Map<string, Set<string>>;

const indexes = new WeakMap<Checkins, Index>();

function indexOf(checkins: Checkins): Index {
  let index = indexes.get(checkins);
  if (!index) {
    // Once per collection object (a snapshot, a client's copy); kept current by the reducer.
    index = new Map();
    for (const checkin of Object.values(checkins)) add(index, checkin);
    indexes.set(checkins, index);
  }
  return index;
}

function add(index: Index, checkin: Checkin): void {
  const ids = index.get(checkin.by.userId);
  if (ids) ids.add(checkin.id);
  else index.set(checkin.by.userId, new Set([checkin.id]));
}

/** The person's check-ins that have not ended, in the order they were indexed. */
export function openCheckinsOf(checkins: Checkins, userId: string): Checkin[] {
  const open: Checkin[] = [];
  for (const id of indexOf(checkins).get(userId) ?? []) {
    const checkin = checkins[id];
    if (checkin && checkin.by.userId === userId && checkin.checkedOutAt === null) open.push(checkin);
  }
  return open;
}

/** Called by the reducer after it put `checkin` into `checkins`; a collection not yet indexed is left alone. */
export function noteCheckin(checkins: Checkins, checkin: Checkin): void {
  const index = indexes.get(checkins);
  if (index) add(index, checkin);
}

/**
 * Lets `copy`, a copy of `original` (or a view over it) that the reducer goes on folding
 * into, use and extend the original's index instead of building its own.
 */
export function shareCheckinIndex(original: Checkins, copy: Checkins): void {
  indexes.set(copy, indexOf(original));
}
