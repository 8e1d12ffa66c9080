import type { Report, State } from './model.js';

type Reports = State['reports'];

/**
 * Report ids by incident and actor, in the order they were folded, per `reports`
 * collection: deciding a report finds the one it supersedes without scanning every report
 * of the region. Kept outside the state, like the check-in index (checkin-index.ts): the
 * state's shape, its JSON and its hash stay as they are.
 *
 * An index only ever grows and may be shared by a collection and its copies, so it can
 * name ids a given collection does not hold (a provisional report never appended), and an
 * id folded again later appears twice: readers walk from the newest end and take the first
 * id their own collection holds.
 */
type Index = Map<string, string[]>;

const indexes = new WeakMap<Reports, Index>();

const keyOf = (incidentId: string, actorId: string) => `${incidentId} ${actorId}`;

function indexOf(reports: Reports): Index {
  let index = indexes.get(reports);
  if (!index) {
    // Once per collection object; the collection holds its reports in the order folded.
    index = new Map();
    for (const report of Object.values(reports)) add(index, report);
    indexes.set(reports, index);
  }
  return index;
}

function add(index: Index, report: Report): void {
  const key = keyOf(report.incidentId, report.actorId);
  const ids = index.get(key);
  if (ids) ids.push(report.id);
  else index.set(key, [report.id]);
}

/** The actor's newest report on the incident (the one a new report supersedes), if any. */
export function latestReportOf(reports: Reports, incidentId: string, actorId: string): Report | undefined {
  const ids = indexOf(reports).get(keyOf(incidentId, actorId)) ?? [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const report = reports[ids[i] ?? ''];
    if (report && report.incidentId === incidentId && report.actorId === actorId) return report;
  }
  return undefined;
}

/** Called by the reducer after it put `report` into `reports`; a collection not yet indexed is left alone. */
export function noteReport(reports: Reports, report: Report): void {
  const index = indexes.get(reports);
  if (index) add(index, report);
}

/** Lets `copy`, a copy of `original` (or a view over it), use and extend the original's index. */
export function shareReportIndex(original: Reports, copy: Reports): void {
  indexes.set(copy, indexOf(original));
}
