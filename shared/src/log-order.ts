/**
 * What the log placed: the seq of the event that logged it, the log's time of it, and an id.
 * A seq of 0 (an item from a snapshot of a hub older than seqs on items) is before every
 * item logged since.
 */
export type Logged = { readonly seq: number; readonly at: string; readonly id: string };

/**
 * Oldest first, by place in the log. Hubs' clocks may disagree and two events may share a
 * millisecond, so time only orders items that have no seq (older snapshots) among
 * themselves, and the id makes the order total.
 */
export const byLogOrder = (a: Logged, b: Logged): number =>
  a.seq - b.seq || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Newest first, by place in the log (see `byLogOrder`). */
export const newestFirst = (a: Logged, b: Logged): number => byLogOrder(b, a);

/**
 * A step an incident took (requested, activated, closed) as a `Logged` for ordering
 * incidents by it; an incident that has not taken it sorts as seq 0 with no time.
 */
export const loggedStep = (id: string, seq: number | null, at: string | null): Logged => ({
  seq: seq ?? 0,
  at: at ?? '',
  id,
});

/**
 * A duration between two times the log stamped, never negative: the log's clock only
 * moves forward (Redis stamps no event before the last in its append script; a hub stamps
 * no journal event before the newest it holds), so a negative difference can only come
 * from items stamped by different hubs' clocks before the log had one (older data). Such a duration is unknown (null)
 * rather than shown as 0; within `toleranceMs` (the same millisecond, rounding) it is 0.
 */
export function durationBetween(from: string, to: string, toleranceMs = 1000): number | null {
  const ms = Date.parse(to) - Date.parse(from);
  if (Number.isNaN(ms) || ms < -toleranceMs) return null;
  return Math.max(0, ms);
}
