import type { Acknowledgement, Incident, Report, State } from './model.js';
import { ownEntry } from './records.js';

/** The actor's acknowledgement of the incident's activation, if it has given one. */
export const acknowledgementOf = (incident: Incident, actorId: string): Acknowledgement | null =>
  ownEntry(incident.acknowledgements, actorId) ?? null;

/** Incidents in activated mode right now. */
export const activeIncidents = (state: State): Incident[] =>
  Object.values(state.incidents)
    .filter((i) => i.status === 'active')
    .sort((a, b) => (a.activatedAt ?? '').localeCompare(b.activatedAt ?? ''));

/** Requests for joint handling waiting for a decision. */
export const requestedIncidents = (state: State): Incident[] =>
  Object.values(state.incidents)
    .filter((i) => i.status === 'requested')
    .sort((a, b) => (a.requestedAt ?? '').localeCompare(b.requestedAt ?? ''));

/** The region is in activated mode while any incident is active. */
export const isActivatedMode = (state: State): boolean =>
  Object.values(state.incidents).some((i) => i.status === 'active');

/** Every report on an incident, newest first. */
export const reportsForIncident = (state: State, incidentId: string): Report[] =>
  Object.values(state.reports)
    .filter((r) => r.incidentId === incidentId)
    .sort((a, b) => b.at.localeCompare(a.at));

/** Each actor's latest report on an incident (a newer report supersedes the older). */
export function latestReports(state: State, incidentId: string): Map<string, Report> {
  const latest = new Map<string, Report>();
  for (const report of reportsForIncident(state, incidentId)) {
    if (!latest.has(report.actorId)) latest.set(report.actorId, report);
  }
  return latest;
}
