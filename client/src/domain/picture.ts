import {
  acknowledgementOf,
  byLogOrder,
  durationBetween,
  latestReports,
  newestFirst,
  reportsForIncident,
  type Acknowledgement,
  type ActorStatus,
  type FeatureKind,
  type FieldReport,
  type Geometry,
  type Incident,
  type RegionConfig,
  type Report,
  type State,
} from '@lagesbild/shared';
import { actorLabel, summonedActorIds } from './actors';

/** One row of the acknowledgement matrix. */
export type AcknowledgementRow = {
  actorId: string;
  actorName: string;
  acknowledgement: Acknowledgement | null;
  /**
   * From the activation to the acknowledgement, by the log's clock; null before the
   * acknowledgement, and when the two times cannot be compared (see `durationBetween`).
   */
  timeToAcknowledgeMs: number | null;
  lastReportAt: string | null;
  status: ActorStatus | null;
};

const ms = (iso: string): number => new Date(iso).getTime();

/**
 * Every summoned actor with its acknowledgement and latest report. Those who have not
 * acknowledged come first, by name: in a conference the question is who is missing. Then
 * the others in the order they acknowledged, in the log.
 */
export function acknowledgementRows(
  state: State,
  incident: Incident,
  region: RegionConfig,
): AcknowledgementRow[] {
  const latest = latestReports(state, incident.id);
  const rows = summonedActorIds(incident, region).map((actorId): AcknowledgementRow => {
    const acknowledgement = acknowledgementOf(incident, actorId);
    const report = latest.get(actorId);
    return {
      actorId,
      actorName: actorLabel(region, actorId),
      acknowledgement,
      timeToAcknowledgeMs:
        acknowledgement && incident.activatedAt
          ? durationBetween(incident.activatedAt, acknowledgement.at)
          : null,
      lastReportAt: report?.at ?? null,
      status: report?.status ?? null,
    };
  });
  return rows.sort((a, b) => {
    if ((a.acknowledgement === null) !== (b.acknowledgement === null)) return a.acknowledgement ? 1 : -1;
    // Acknowledgements from older snapshots (no seq) in the same millisecond: by name.
    const acknowledged =
      a.acknowledgement && b.acknowledgement
        ? byLogOrder({ ...a.acknowledgement, id: '' }, { ...b.acknowledgement, id: '' })
        : 0;
    return acknowledged || a.actorName.localeCompare(b.actorName, 'sv');
  });
}

const SEVERITY: Record<ActorStatus, number> = { severe: 0, strained: 1, normal: 2 };

/** One actor's current status from its latest report; `null` status means no report yet. */
export type ActorStatusEntry = {
  actorId: string;
  actorName: string;
  status: ActorStatus | null;
  at: string | null;
};

/** The summoned actors' statuses, the most severe first, those without a report last. */
export function actorStatuses(state: State, incident: Incident, region: RegionConfig): ActorStatusEntry[] {
  const latest = latestReports(state, incident.id);
  const ids = new Set([...summonedActorIds(incident, region), ...latest.keys()]);
  return [...ids]
    .map((actorId) => {
      const report = latest.get(actorId);
      return {
        actorId,
        actorName: actorLabel(region, actorId),
        status: report?.status ?? null,
        at: report?.at ?? null,
      };
    })
    .sort((a, b) => {
      const sa = a.status ? SEVERITY[a.status] : 3;
      const sb = b.status ? SEVERITY[b.status] : 3;
      return sa !== sb ? sa - sb : a.actorName.localeCompare(b.actorName, 'sv');
    });
}

/** A need stated in an actor's latest report. */
export type NeedEntry = {
  actorId: string;
  actorName: string;
  needs: string;
  status: ActorStatus;
  at: string;
  /** The report's place in the log: the newest first among needs of one severity. */
  seq: number;
  reportId: string;
};

/** What the actors ask of each other now: the needs of each latest report, most severe first. */
export function needsAcrossActors(state: State, incidentId: string, region: RegionConfig): NeedEntry[] {
  return [...latestReports(state, incidentId).values()]
    .filter((r) => r.needs.trim() !== '')
    .map((r) => ({
      actorId: r.actorId,
      actorName: actorLabel(region, r.actorId),
      needs: r.needs,
      status: r.status,
      at: r.at,
      seq: r.seq,
      reportId: r.id,
    }))
    .sort(
      (a, b) =>
        SEVERITY[a.status] - SEVERITY[b.status] ||
        newestFirst({ ...a, id: a.reportId }, { ...b, id: b.reportId }),
    );
}

/** Which entries the timeline shows: one actor's or all, and all or only those after a time. */
export type TimelineFilter = { actorId: string | null; since: string | null };

/** One entry of the incident's timeline: a situation report or a field report, at its place in the log. */
export type TimelineItem =
  | { kind: 'report'; id: string; at: string; seq: number; report: Report }
  | { kind: 'fieldReport'; id: string; at: string; seq: number; fieldReport: FieldReport };

/** The incident's field reports, newest (last logged) first. Each stays: none supersedes another. */
export const fieldReportsForIncident = (
  state: Pick<State, 'fieldReports'>,
  incidentId: string,
): FieldReport[] =>
  Object.values(state.fieldReports)
    .filter((f) => f.incidentId === incidentId)
    .sort(newestFirst);

/**
 * The incident's situation reports and field reports together, newest (last logged) first,
 * narrowed to one actor and/or to after a time. Field reports sit beside the reports; they
 * never replace one. "After a time" compares with the times the log stamped, which come
 * from one clock.
 */
export function timelineItems(state: State, incidentId: string, filter: TimelineFilter): TimelineItem[] {
  const since = filter.since === null ? null : ms(filter.since);
  const wanted = (actorId: string, at: string) =>
    (filter.actorId === null || actorId === filter.actorId) && (since === null || ms(at) > since);
  const items: TimelineItem[] = [
    ...reportsForIncident(state, incidentId).map((report): TimelineItem => ({
      kind: 'report',
      id: report.id,
      at: report.at,
      seq: report.seq,
      report,
    })),
    ...fieldReportsForIncident(state, incidentId).map((fieldReport): TimelineItem => ({
      kind: 'fieldReport',
      id: fieldReport.id,
      at: fieldReport.at,
      seq: fieldReport.seq,
      fieldReport,
    })),
  ];
  return items
    .filter((item) =>
      wanted(item.kind === 'report' ? item.report.actorId : item.fieldReport.actorId, item.at),
    )
    .sort(newestFirst);
}

/** A field report with a position, as a point on the map. */
export type FieldReportPoint = { key: string; fieldReport: FieldReport; geometry: Geometry };

/** The incident's field reports that have a position, newest first. */
export const fieldReportPoints = (
  state: Pick<State, 'fieldReports'>,
  incidentId: string,
): FieldReportPoint[] =>
  fieldReportsForIncident(state, incidentId).flatMap((fieldReport) =>
    fieldReport.position
      ? [
          {
            key: `field-report/${fieldReport.id}`,
            fieldReport,
            geometry: { type: 'Point', coordinates: [fieldReport.position.lng, fieldReport.position.lat] },
          },
        ]
      : [],
  );

/** A feature as the map draws it: who reported it, in which report. */
export type PictureFeature = {
  key: string;
  featureId: string;
  reportId: string;
  actorId: string;
  kind: FeatureKind;
  label: string;
  geometry: Geometry;
  at: string;
};

/**
 * The features of each actor's latest report on the incident. A newer report supersedes
 * the older one (DOMAIN.md), so its map features replace the older ones too.
 */
export function pictureFeatures(state: State, incidentId: string): PictureFeature[] {
  return [...latestReports(state, incidentId).values()].flatMap((report) =>
    report.features.map((f) => ({
      key: `${report.id}/${f.id}`,
      featureId: f.id,
      reportId: report.id,
      actorId: report.actorId,
      kind: f.kind,
      label: f.label,
      geometry: f.geometry,
      at: report.at,
    })),
  );
}

/** Which features the map shows; an empty set hides nothing. */
export type FeatureFilter = { hiddenActors: ReadonlySet<string>; hiddenKinds: ReadonlySet<FeatureKind> };

export const filterFeatures = (
  features: readonly PictureFeature[],
  filter: FeatureFilter,
): PictureFeature[] =>
  features.filter((f) => !filter.hiddenActors.has(f.actorId) && !filter.hiddenKinds.has(f.kind));
