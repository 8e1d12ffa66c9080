import { z } from 'zod';
import { AreaGeometry, LatLng, MapFeature } from './geo.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import {
  ActorStatus,
  Attribution,
  IncidentKind,
  LogSeq,
  LongText,
  Sharing,
  ShortText,
  StepSeq,
} from './model-base.js';
import { ActionItem, Conference, ConferenceDialIn, NeedSettlement, Offer } from './conference-model.js';
import { ReadinessLevel } from './directive-commands.js';
import { Directive, SavedTemplate } from './directive-model.js';
import { JointMessage } from './message-model.js';

export {
  ACTOR_STATUSES,
  ActorStatus,
  Attribution,
  INCIDENT_KINDS,
  IncidentKind,
  Sharing,
} from './model-base.js';

/** requested (the green button) → active (activated mode) → closed. */
export const IncidentStatus = z.enum(['requested', 'active', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** One actor's confirmation that it has received the activation. */
export const Acknowledgement = z.strictObject({ at: IsoTime, by: Attribution, seq: LogSeq });
export type Acknowledgement = z.infer<typeof Acknowledgement>;

/** What the actors handle jointly; each has its own activation. */
export const Incident = z.strictObject({
  id: Uuid,
  status: IncidentStatus,
  title: ShortText,
  kind: IncidentKind,
  description: LongText,
  reason: LongText,
  area: AreaGeometry.nullable(),
  summonedActorIds: z.array(Slug),
  nextConferenceAt: IsoTime.nullable(),
  requestedAt: IsoTime.nullable(),
  requestedBy: Attribution.nullable(),
  activatedAt: IsoTime.nullable(),
  activatedBy: Attribution.nullable(),
  closedAt: IsoTime.nullable(),
  closedBy: Attribution.nullable(),
  closingSummary: LongText,
  /** The seqs of the events that requested, activated and closed the incident: the lists' order. */
  requestedSeq: StepSeq,
  activatedSeq: StepSeq,
  closedSeq: StepSeq,
  acknowledgements: z.record(Slug, Acknowledgement),
  /**
   * The seq of the last event that changed the incident (acknowledgements aside, which
   * change nothing an update replaces). An `incident.update` names the version it was
   * made on and is refused as `stale` when the incident has changed since. 0 for incidents
   * in snapshots of hubs older than versions.
   */
  version: z.number().int().nonnegative().default(0),
});
export type Incident = z.infer<typeof Incident>;

/** The report fields a duty officer fills in (DOMAIN.md, "What a situation report holds"). */
export const ReportContent = z.strictObject({
  happened: LongText,
  consequences: LongText,
  measures: LongText,
  needs: LongText,
  assessment: LongText,
  status: ActorStatus,
  sharing: Sharing,
  features: z.array(MapFeature).max(LIMITS.maxFeaturesPerReport),
});
export type ReportContent = z.infer<typeof ReportContent>;

/**
 * A situation report as `decide` makes it and its event carries it. Folding it gives it
 * its place in the log (`seq`) and the log's time (`at`): see `Report`.
 */
export const NewReport = ReportContent.extend({
  id: Uuid,
  incidentId: Uuid,
  actorId: Slug,
  at: IsoTime,
  by: Attribution,
});
export type NewReport = z.infer<typeof NewReport>;

/** One actor's situation report at a point in the log; a later one supersedes it. */
export const Report = NewReport.extend({ seq: LogSeq });
export type Report = z.infer<typeof Report>;

/**
 * A short observation from the scene (fältrapport) in the METHANE shape rescue services use
 * for a first report: type of event, exact location, hazards, access, casualties, services
 * present and needed. (The M, "major incident declared", is the activation itself.) It
 * stands beside the actor's situation report and never supersedes it.
 */
export const FieldReportContent = z.strictObject({
  eventType: ShortText,
  /** Where exactly, in words: address, road and junction, landmark. */
  locationText: z.string().trim().max(LIMITS.maxShortTextLength),
  /** Where exactly, as a point (device position or picked on the map); null if unknown. */
  position: LatLng.nullable(),
  hazards: LongText,
  access: LongText,
  casualties: LongText,
  servicesPresent: LongText,
  servicesNeeded: LongText,
  sharing: Sharing,
});
export type FieldReportContent = z.infer<typeof FieldReportContent>;

/** A field report as `decide` makes it and its event carries it (see `NewReport`). */
export const NewFieldReport = FieldReportContent.extend({
  id: Uuid,
  incidentId: Uuid,
  actorId: Slug,
  at: IsoTime,
  by: Attribution,
});
export type NewFieldReport = z.infer<typeof NewFieldReport>;

/** One field report as filed: each stays in the picture, none replaces another. */
export const FieldReport = NewFieldReport.extend({ seq: LogSeq });
export type FieldReport = z.infer<typeof FieldReport>;

/** Where a person is in the response. */
export const CHECKIN_STATUSES = ['available', 'onTheWay', 'onSite', 'offDuty'] as const;
export const CheckinStatus = z.enum(CHECKIN_STATUSES);
export type CheckinStatus = z.infer<typeof CheckinStatus>;

/** A check-in as `decide` makes it and its event carries it (see `NewReport`). */
export const NewCheckin = z.strictObject({
  id: Uuid,
  incidentId: Uuid.nullable(),
  status: CheckinStatus,
  position: LatLng.nullable(),
  note: LongText,
  at: IsoTime,
  by: Attribution,
  checkedOutAt: IsoTime.nullable(),
  /** Who sees the person, position and note; check-ins logged before sharing existed are the actor's own. */
  sharing: Sharing.default({ scope: 'own' }),
  /**
   * Set on the copy sent to those the person did not share with (visibility.ts): only the
   * actor, function, status and times are real; the person, position and note are blanked.
   */
  regionSummary: z.literal(true).optional(),
});
export type NewCheckin = z.infer<typeof NewCheckin>;

/** A person reporting in: present, where, in which function. */
export const Checkin = NewCheckin.extend({ seq: LogSeq });
export type Checkin = z.infer<typeof Checkin>;

/** A log entry as `decide` makes it and its event carries it (see `NewReport`). */
export const NewLogEntry = z.strictObject({
  id: Uuid,
  incidentId: Uuid.nullable(),
  text: z.string().trim().min(1).max(LIMITS.maxTextLength),
  sharing: Sharing,
  at: IsoTime,
  by: Attribution,
});
export type NewLogEntry = z.infer<typeof NewLogEntry>;

/** A free-text line in the shared log (decisions, observations, minutes). */
export const LogEntry = NewLogEntry.extend({ seq: LogSeq });
export type LogEntry = z.infer<typeof LogEntry>;

/** Heightened readiness, decided by the government and shown region-wide. */
export const Readiness = z.preprocess(
  withReadinessLevel,
  z.strictObject({
    /** Level ≠ none, kept for the pages and tests that only ask whether readiness is heightened. */
    heightened: z.boolean(),
    note: LongText,
    since: IsoTime.nullable(),
    by: Attribution.nullable(),
    // The government decision (since protocol 4); states folded before it read as none.
    level: ReadinessLevel.default('none'),
    scope: z.enum(['country', 'parts']).default('country'),
    parts: LongText.default(''),
    decisionRef: z.string().max(200).default(''),
    decisionDate: IsoTime.nullable().default(null),
  }),
);
export type Readiness = z.infer<typeof Readiness>;

/** A readiness stored before levels existed was heightened or not: its level says the same. */
function withReadinessLevel(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || 'level' in raw || !('heightened' in raw)) return raw;
  return { ...raw, level: raw.heightened === true ? 'heightened' : 'none' };
}

/** Everything the region knows, folded from the log. Records are keyed by item id. */
export const State = z.strictObject({
  incidents: z.record(z.string(), Incident),
  reports: z.record(z.string(), Report),
  fieldReports: z.record(z.string(), FieldReport),
  checkins: z.record(z.string(), Checkin),
  logEntries: z.record(z.string(), LogEntry),
  readiness: Readiness,
  /** Coordination conferences, keyed by id. */
  conferences: z.record(z.string(), Conference),
  /** Meeting links and dial-in numbers, keyed by conference id; for the summoned only. */
  conferenceDialIns: z.record(z.string(), ConferenceDialIn),
  /** Decisions and action items recorded at conferences, keyed by id. */
  actionItems: z.record(z.string(), ActionItem),
  /** Offers of resources answering needs, keyed by id. */
  offers: z.record(z.string(), Offer),
  /** The needing actors' judgements of their needs, keyed by the report's id. */
  needSettlements: z.record(z.string(), NeedSettlement),
  /** Joint directives with their versions and follow-ups, keyed by id. */
  directives: z.record(z.string(), Directive),
  /** Prepared directives saved or removed through the app, keyed by template id. */
  directiveTemplates: z.record(z.string(), SavedTemplate),
  /** Joint messages to the public with their versions, sign-offs and publications, keyed by id. */
  jointMessages: z.record(z.string(), JointMessage),
});
export type State = z.infer<typeof State>;

/** The state before the first event. */
export function initialState(): State {
  return {
    incidents: {},
    reports: {},
    fieldReports: {},
    checkins: {},
    logEntries: {},
    readiness: {
      heightened: false,
      note: '',
      since: null,
      by: null,
      level: 'none',
      scope: 'country',
      parts: '',
      decisionRef: '',
      decisionDate: null,
    },
    conferences: {},
    conferenceDialIns: {},
    actionItems: {},
    offers: {},
    needSettlements: {},
    directives: {},
    directiveTemplates: {},
    jointMessages: {},
  };
}
