import {
  conferencesOf,
  nextConferenceOf,
  type Conference,
  type Incident,
  type State,
} from '@lagesbild/shared';

/**
 * How long a conference that should have started still counts as "next": one running late
 * is still the one people are waiting for, but one forgotten for hours must not hide the
 * real next one.
 */
export const OVERDUE_SHOWN_MS = 3 * 60 * 60_000;

/** The next conference as the overview names it. */
export type UpcomingConference = {
  at: string;
  /** The scheduled conference, or null when only the incident's next time is known. */
  conference: Conference | null;
  incident: Incident | null;
};

/**
 * The next coordination conference anywhere: the ordinary-mode one or an active incident's,
 * whichever comes first. Read from the log's conferences; an incident whose next time was
 * set at activation, before any conference was called, counts by that time.
 */
export function upcomingConference(
  state: Pick<State, 'conferences' | 'incidents'>,
  now: number,
): UpcomingConference | null {
  const candidates: UpcomingConference[] = [];
  const ordinary = nextConferenceOf(state, null);
  if (ordinary) candidates.push({ at: ordinary.scheduledAt, conference: ordinary, incident: null });
  for (const incident of Object.values(state.incidents)) {
    if (incident.status !== 'active') continue;
    const next = nextConferenceOf(state, incident.id);
    if (next) candidates.push({ at: next.scheduledAt, conference: next, incident });
    else if (incident.nextConferenceAt && conferencesOf(state, incident.id).length === 0)
      candidates.push({ at: incident.nextConferenceAt, conference: null, incident });
  }
  return (
    candidates
      .filter((c) => Date.parse(c.at) >= now - OVERDUE_SHOWN_MS)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0] ?? null
  );
}
