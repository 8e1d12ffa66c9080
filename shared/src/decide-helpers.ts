import type { EventDraft } from './events.js';
import { geometryProblem, type Geometry } from './geo.js';
import type { Attribution, Incident } from './model.js';
import type { RegionConfig } from './region.js';
import { fail, type AppError, type Result, type StaleDetails } from './result.js';

// What every `decide…` function shares: its context, its answer, and the refusals that
// read the same whichever command is refused. Apart from decide.ts so the command modules
// (decide.ts, decide-conference.ts) use them without importing each other.

/**
 * What a decision comes to: the events to append, or why the change is refused. `decide`
 * returns it for commands, and the hub's directory decisions return the same shape.
 */
export type Decision = Result<EventDraft[]>;

/** Who sends the command, the hub's time, and the region: all a decision may know besides the state. */
export type Context = { by: Attribution; now: string; region: RegionConfig };

/** A refusal, for checks that answer "nothing wrong" with null. */
export type Refusal = { ok: false; error: AppError };

/** Refuses ids the region does not name as actors, listing them. */
export function unknownActors(region: RegionConfig, actorIds: readonly string[]): Refusal | null {
  const known = new Set(region.actors.map((a) => a.id));
  const unknown = actorIds.filter((id) => !known.has(id));
  return unknown.length > 0 ? fail('bad_request', `Unknown actor(s): ${unknown.join(', ')}`) : null;
}

/** Refuses a missing incident, a closed one, and (with `active`) a request not yet activated. */
export function requireOpenIncident(incident: Incident | undefined, need: 'active' | 'open'): Refusal | null {
  if (!incident) return notFound('incident');
  if (incident.status === 'closed') return fail('conflict', 'The incident is closed');
  if (need === 'active' && incident.status !== 'active')
    return fail('conflict', 'The incident is not active');
  return null;
}

/** "No such conference": the thing the command names is not in the state. */
export const notFound = (what: string): Refusal => fail('not_found', `No such ${what}`);

/** A change made on an older version of an item than the current one; the current one goes along. */
export const stale = (message: string, current: StaleDetails): Refusal => ({
  ok: false,
  error: { code: 'stale', message, stale: current },
});

/** The ids once each, in their first order. */
export const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

/** Refuses a place outside the region or a broken shape, naming what it belongs to. */
export function placeProblem(region: RegionConfig, what: string, geometry: Geometry): Refusal | null {
  const problem = geometryProblem(geometry, region.bounds);
  return problem === null ? null : fail('bad_request', `${what}: ${problem}`);
}
