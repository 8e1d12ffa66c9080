import {
  acknowledgementOf,
  activationOrder,
  byLogOrder,
  latestReports,
  newestFirst,
  requestOrder,
  type Logged,
  type Actor,
  type Checkin,
  type Incident,
  type LogEntry,
  type MapFeature,
  type RegionConfig,
  type Report,
  type State,
} from '@lagesbild/shared';

// What the wall shows, derived from the picture by pure functions. Every list is cut to a
// fixed length: a wall runs for weeks and must draw the same amount on day 30 as on day 1.

/** Newest reports in the ticker. */
export const TICKER_LENGTH = 6;
/** Log entries in ordinary mode. */
export const RECENT_LOG_LENGTH = 8;
/** Requests for joint handling listed in ordinary mode. */
export const REQUESTS_SHOWN = 4;

/** One cell of the acknowledgement matrix. */
export type AckCell = { actorId: string; name: string; acknowledgedAt: string | null };

/**
 * The summoned actors (an empty summons is every actor) and whether each has acknowledged;
 * the lead actor first, then in the region's order, so a cell never jumps around.
 */
export function ackMatrix(incident: Incident, region: RegionConfig): AckCell[] {
  const byId = new Map<string, Actor>(region.actors.map((a) => [a.id, a]));
  const summoned =
    incident.summonedActorIds.length > 0 ? incident.summonedActorIds : region.actors.map((a) => a.id);
  const order = new Map(region.actors.map((a, i) => [a.id, a.id === region.leadActorId ? -1 : i]));
  return [...new Set(summoned)]
    .sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
    .map((actorId) => ({
      actorId,
      name: byId.get(actorId)?.shortName ?? actorId,
      acknowledgedAt: acknowledgementOf(incident, actorId)?.at ?? null,
    }));
}

/**
 * The `limit` newest items by place in the log, newest first, in one pass: the collections
 * only grow, and sorting all of them on every event would make a long-running wall slower
 * each day.
 */
export function newest<T extends Logged>(items: Iterable<T>, limit: number): T[] {
  const kept: T[] = [];
  for (const item of items) {
    const last = kept[kept.length - 1];
    if (kept.length === limit && last && newestFirst(item, last) >= 0) continue;
    let index = kept.findIndex((k) => newestFirst(item, k) < 0);
    if (index === -1) index = kept.length;
    kept.splice(index, 0, item);
    if (kept.length > limit) kept.pop();
  }
  return kept;
}

/** The newest situation reports on incidents in activated mode, for the ticker. */
export function tickerReports(state: Pick<State, 'reports' | 'incidents'>, limit = TICKER_LENGTH): Report[] {
  const active = (r: Report) => state.incidents[r.incidentId]?.status === 'active';
  return newest(Object.values(state.reports).filter(active), limit);
}

/** The map's content for one incident: each actor's latest features, and who is checked in where. */
export type IncidentMapContent = {
  features: { feature: MapFeature; actorId: string }[];
  checkins: Checkin[];
};

/**
 * Only each actor's latest report counts (a newer one supersedes it), so a road reopened in
 * the last report is not still drawn closed from an earlier one.
 */
export function incidentMapContent(
  state: Pick<State, 'reports' | 'checkins'>,
  incidentId: string,
): IncidentMapContent {
  const features = [...latestReports(state, incidentId).values()].flatMap((report) =>
    report.features.map((feature) => ({ feature, actorId: report.actorId })),
  );
  const checkins = Object.values(state.checkins).filter(
    (c) => c.incidentId === incidentId && c.checkedOutAt === null && c.position !== null,
  );
  return { features, checkins };
}

/** The newest log entries not tied to an incident: the monitoring of ordinary mode. */
export const recentLogEntries = (state: Pick<State, 'logEntries'>, limit = RECENT_LOG_LENGTH): LogEntry[] =>
  newest(Object.values(state.logEntries), limit);

/** Requests for joint handling waiting for a decision, newest first. */
export const pendingRequests = (state: Pick<State, 'incidents'>, limit = REQUESTS_SHOWN): Incident[] =>
  newest(
    Object.values(state.incidents)
      .filter((i) => i.status === 'requested')
      .map((incident) => ({ ...requestOrder(incident), incident })),
    limit,
  ).map((entry) => entry.incident);

/** Incidents in activated mode, oldest activation first: the rotation's order. */
export const activeIncidentsOf = (incidents: State['incidents']): Incident[] =>
  Object.values(incidents)
    .filter((i) => i.status === 'active')
    .sort((a, b) => byLogOrder(activationOrder(a), activationOrder(b)));
