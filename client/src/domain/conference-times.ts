import { IsoTime } from '@lagesbild/shared';
import { z } from 'zod';

// The picture holds only an incident's next conference time; the earlier ones are
// remembered here as they are seen, so "since the last conference" has a time to start from.

const KEY = 'lagesbild.conferenceTimes';
const Known = z.record(z.string(), z.array(IsoTime).max(200));

function readAll(): Record<string, string[]> {
  try {
    const parsed = Known.safeParse(JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The conference times seen for an incident, oldest first. */
export const knownConferenceTimes = (incidentId: string): string[] => readAll()[incidentId] ?? [];

/** Remembers a conference time of an incident; returns the updated list. */
export function rememberConferenceTime(incidentId: string, at: string): string[] {
  const all = readAll();
  const known = all[incidentId] ?? [];
  if (known.includes(at)) return known;
  const next = [...known, at].sort().slice(-200);
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ ...all, [incidentId]: next }));
  } catch {
    // Not remembered: the filter falls back to the activation time.
  }
  return next;
}
