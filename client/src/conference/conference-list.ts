import type { Conference, Recurrence } from '@lagesbild/shared';

// The list of conferences, pure and small: the overview draws it in the first load.

/** The i18n keys of the weekdays, ISO order (1 Monday … 7 Sunday). */
export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The i18n key of a recurrence's weekday. */
export const weekdayKey = (rule: Recurrence): (typeof WEEKDAY_KEYS)[number] =>
  WEEKDAY_KEYS[rule.weekday - 1] ?? 'mon';

/**
 * The conferences of one list split into the ones held or running and the next one to
 * come; the past ones newest first, so the latest minutes are at hand.
 */
export function splitConferences(
  conferences: readonly Conference[],
  next: Conference | undefined,
): { past: Conference[]; upcoming: Conference[] } {
  const upcoming = conferences.filter((c) => c.status === 'scheduled');
  const past = conferences.filter((c) => c.status !== 'scheduled').reverse();
  upcoming.sort((a, b) => (a === next ? -1 : b === next ? 1 : a.scheduledAt.localeCompare(b.scheduledAt)));
  return { past, upcoming };
}
