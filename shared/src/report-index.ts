import { collectionIndex } from './collection-index.js';
import type { Report, State } from './model.js';

type Reports = State['reports'];

const keyOf = (incidentId: string, actorId: string) => `${incidentId} ${actorId}`;

/**
 * Report ids by incident and actor, in the order they were folded: deciding a report finds
 * the one it supersedes without scanning every report of the region. An id folded again
 * later appears twice, and the index may name reports a given collection lacks (see
 * collection-index.ts), so readers walk from the newest end and take the first id their
 * own collection holds.
 */
const byActor = collectionIndex<Report, Map<string, string[]>>({
  empty: () => new Map(),
  add: (index, report) => {
    const key = keyOf(report.incidentId, report.actorId);
    const ids = index.get(key);
    if (ids) ids.push(report.id);
    else index.set(key, [report.id]);
  },
});

/**
 * The actor's current report on the incident: the one logged last, which a new report
 * supersedes and the picture shows (`latestReports`). Log order, not `at`: clocks differ.
 */
export function latestReportOf(reports: Reports, incidentId: string, actorId: string): Report | undefined {
  const ids = byActor.of(reports).get(keyOf(incidentId, actorId)) ?? [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const report = reports[ids[i] ?? ''];
    if (report && report.incidentId === incidentId && report.actorId === actorId) return report;
  }
  return undefined;
}

/** Called by the reducer after it put `report` into `reports`. */
export const noteReport = byActor.note;

/** Lets `copy`, a copy of `original` (or a view over it), use and extend the original's index. */
export const shareReportIndex = byActor.share;
