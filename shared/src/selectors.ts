import { byLogOrder, loggedStep, newestFirst } from './log-order.js';
import type { Acknowledgement, Incident, Report, State } from './model.js';
import { ownEntry } from './records.js';
import { latestReportOf } from './report-index.js';

/** The actor's acknowledgement of the incident's activation, if it has given one. */
export const acknowledgementOf = (incident: Incident, actorId: string): Acknowledgement | null =>
  ownEntry(incident.acknowledgements, actorId) ?? null;

/** An incident placed by its activation, for ordering by it (`byLogOrder`). */
export const activationOrder = (i: Incident) => loggedStep(i.id, i.activatedSeq, i.activatedAt);

/** An incident placed by its request, for ordering by it (`byLogOrder`). */
export const requestOrder = (i: Incident) => loggedStep(i.id, i.requestedSeq, i.requestedAt);

/** An incident placed by its closing, for ordering by it (`byLogOrder`). */
export const closingOrder = (i: Incident) => loggedStep(i.id, i.closedSeq, i.closedAt);

/** Incidents in activated mode right now, the earliest activated first. */
export const activeIncidents = (state: Pick<State, 'incidents'>): Incident[] =>
  Object.values(state.incidents)
    .filter((i) => i.status === 'active')
    .sort((a, b) => byLogOrder(activationOrder(a), activationOrder(b)));

/** Requests for joint handling waiting for a decision, the earliest first. */
export const requestedIncidents = (state: Pick<State, 'incidents'>): Incident[] =>
  Object.values(state.incidents)
    .filter((i) => i.status === 'requested')
    .sort((a, b) => byLogOrder(requestOrder(a), requestOrder(b)));

/** The region is in activated mode while any incident is active. */
export const isActivatedMode = (state: State): boolean =>
  Object.values(state.incidents).some((i) => i.status === 'active');

/** Every report on an incident, newest (last logged) first. */
export const reportsForIncident = (state: Pick<State, 'reports'>, incidentId: string): Report[] =>
  Object.values(state.reports)
    .filter((r) => r.incidentId === incidentId)
    .sort(newestFirst);

/**
 * Each actor's current report on an incident: the one logged last, by the same rule
 * (`latestReportOf`) that decides which report a new one must name as superseded. Not the
 * newest `at`: hubs' clocks may disagree and two reports may share a millisecond, and the
 * picture must show the report the stale check enforces.
 */
export function latestReports(state: Pick<State, 'reports'>, incidentId: string): Map<string, Report> {
  const latest = new Map<string, Report>();
  for (const report of Object.values(state.reports)) {
    if (report.incidentId !== incidentId || latest.has(report.actorId)) continue;
    const current = latestReportOf(state.reports, incidentId, report.actorId);
    if (current) latest.set(report.actorId, current);
  }
  return latest;
}
