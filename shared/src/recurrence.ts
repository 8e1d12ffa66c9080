import type { Recurrence } from './conference-model.js';

// Recurring conferences are set in the region's wall-clock time ("Tuesdays at 09:00"), so
// the instant moves by an hour across daylight saving time. The rule is read in
// Europe/Stockholm whatever the clock of the hub that decides: every hub finds the same time.

/** The time zone recurrence rules are read in. */
export const REGION_TIME_ZONE = 'Europe/Stockholm';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let localParts: Intl.DateTimeFormat | undefined;

/** The region's wall clock at an instant, as if that wall-clock reading were UTC (ms). */
function wallClockAt(instant: number): number {
  localParts ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: REGION_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = localParts.formatToParts(instant);
  const seconds = instant - Math.floor(instant / 1000) * 1000;
  return (
    Date.UTC(
      part(parts, 'year'),
      part(parts, 'month') - 1,
      part(parts, 'day'),
      part(parts, 'hour'),
      part(parts, 'minute'),
      part(parts, 'second'),
    ) + seconds
  );
}

/** How far the region's clock is ahead of UTC at an instant (ms). */
const offsetAt = (instant: number): number => wallClockAt(instant) - instant;

/**
 * The instant at which the region's clock reads `wall` (a wall-clock reading written as UTC
 * ms). A reading that happens twice (the autumn hour) is the first; one that never happens
 * (the spring gap) is taken on the clock from before the change, so 02:30 becomes 03:30
 * summer time, as calendar programs do.
 */
function instantOfWallClock(wall: number): number {
  const before = offsetAt(wall - DAY);
  const after = offsetAt(wall + DAY);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t) === wall - t);
  if (candidates.length === 0) return wall - before;
  return Math.min(...candidates);
}

/**
 * The first occurrence of the weekly rule strictly after `afterIso`, in Europe/Stockholm
 * time, as an ISO instant (UTC). A conference closed exactly at its next occurrence's time
 * is scheduled a week on.
 */
export function nextOccurrence(rule: Recurrence, afterIso: string): string {
  const after = Date.parse(afterIso);
  if (Number.isNaN(after)) throw new Error(`nextOccurrence: not a time: ${afterIso}`);
  const [hours = 0, minutes = 0] = rule.time.split(':').map(Number);
  const today = new Date(wallClockAt(after));
  // Eight days: today's occurrence may already have passed, and then it comes a week on.
  for (let days = 0; days <= 7; days++) {
    const date = new Date(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days, hours, minutes),
    );
    const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (isoWeekday !== rule.weekday) continue;
    const instant = instantOfWallClock(date.getTime());
    if (instant > after) return new Date(instant).toISOString();
  }
  // Unreachable: within eight days the weekday comes once at least a week after `after`'s day.
  throw new Error('nextOccurrence: no occurrence within a week');
}
