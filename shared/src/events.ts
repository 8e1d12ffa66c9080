import { z } from 'zod';
import { AreaGeometry } from './geo.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { conferenceEventPayloads } from './conference-events.js';
import { ReadinessDecision } from './directive-commands.js';
import { directiveEventPayloads } from './directive-events.js';
import { messageEventPayloads } from './message-events.js';
import { directoryEventPayloads } from './directory.js';
import { Attribution, IncidentKind, NewCheckin, NewFieldReport, NewLogEntry, NewReport } from './model.js';

/** The payload schema of every event in the log, keyed by event type (past tense). */
export const eventPayloads = {
  'incident.requested': z.strictObject({ incidentId: Uuid, title: z.string(), reason: z.string() }),
  'incident.activated': z.strictObject({
    incidentId: Uuid,
    title: z.string(),
    kind: IncidentKind,
    description: z.string(),
    area: AreaGeometry.nullable(),
    summonedActorIds: z.array(Slug),
    nextConferenceAt: IsoTime.nullable(),
  }),
  'incident.updated': z.strictObject({
    incidentId: Uuid,
    title: z.string().optional(),
    kind: IncidentKind.optional(),
    description: z.string().optional(),
    nextConferenceAt: IsoTime.nullable().optional(),
    summonedActorIds: z.array(Slug).optional(),
    area: AreaGeometry.nullable().optional(),
  }),
  'incident.closed': z.strictObject({ incidentId: Uuid, summary: z.string() }),
  'readiness.changed': z.strictObject({
    heightened: z.boolean(),
    note: z.string(),
    /** Since protocol 4: the government decision; events before it have none. */
    decision: ReadinessDecision.optional(),
  }),
  'activation.acknowledged': z.strictObject({ incidentId: Uuid, actorId: Slug }),
  'report.submitted': z.strictObject({ report: NewReport }),
  'fieldReport.submitted': z.strictObject({ fieldReport: NewFieldReport }),
  'checkin.created': z.strictObject({ checkin: NewCheckin }),
  'checkin.checkedOut': z.strictObject({ checkinId: Uuid }),
  'logEntry.added': z.strictObject({ entry: NewLogEntry }),
  ...conferenceEventPayloads,
  ...directiveEventPayloads,
  ...messageEventPayloads,
  ...directoryEventPayloads,
} as const;

/** Every event type, e.g. `incident.activated`. */
export type EventType = keyof typeof eventPayloads;
/** The list of event types. */
export const EVENT_TYPES = Object.keys(eventPayloads) as EventType[];

/** The payload type of one event type. */
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** What `decide` returns: an event before the log has given it a place. */
export type EventDraft = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

const storedEvent = <T extends EventType>(type: T) =>
  z.strictObject({
    seq: z.number().int().positive(),
    type: z.literal(type),
    at: IsoTime,
    by: Attribution,
    commandId: z.string().min(1).max(100),
    payload: eventPayloads[type],
  });

/** Validates an event read back from storage or received over the wire. */
export const StoredEventSchema = z.discriminatedUnion('type', [
  storedEvent('incident.requested'),
  storedEvent('incident.activated'),
  storedEvent('incident.updated'),
  storedEvent('incident.closed'),
  storedEvent('readiness.changed'),
  storedEvent('activation.acknowledged'),
  storedEvent('report.submitted'),
  storedEvent('fieldReport.submitted'),
  storedEvent('checkin.created'),
  storedEvent('checkin.checkedOut'),
  storedEvent('logEntry.added'),
  storedEvent('conference.scheduled'),
  storedEvent('conference.dialInSet'),
  storedEvent('conference.rescheduled'),
  storedEvent('conference.summonsExtended'),
  storedEvent('conference.opened'),
  storedEvent('conference.stepped'),
  storedEvent('conference.rollCalled'),
  storedEvent('conference.roundNoted'),
  storedEvent('conference.assessed'),
  storedEvent('conference.nextSet'),
  storedEvent('conference.closed'),
  storedEvent('conference.minutesApproved'),
  storedEvent('actionItem.recorded'),
  storedEvent('actionItem.statusSet'),
  storedEvent('offer.made'),
  storedEvent('offer.answered'),
  storedEvent('need.settled'),
  storedEvent('directive.drafted'),
  storedEvent('directive.decided'),
  storedEvent('directive.cosigned'),
  storedEvent('directive.confirmed'),
  storedEvent('directive.itemReported'),
  storedEvent('directiveTemplate.saved'),
  storedEvent('directiveTemplate.removed'),
  storedEvent('directiveTemplate.restored'),
  storedEvent('jointMessage.drafted'),
  storedEvent('jointMessage.approved'),
  storedEvent('jointMessage.changeRequested'),
  storedEvent('jointMessage.agreed'),
  storedEvent('jointMessage.published'),
  storedEvent('jointMessage.cancelled'),
  storedEvent('actor.saved'),
  storedEvent('account.saved'),
  storedEvent('account.passwordSet'),
  storedEvent('session.revoked'),
  storedEvent('device.saved'),
  storedEvent('device.credentialSet'),
]);

/** An event in the log: gap-free `seq`, when, by whom, from which command. */
export type StoredEvent = z.infer<typeof StoredEventSchema>;

/** Parses an event from untrusted storage; throws with the reason when it is not one. */
export const parseStoredEvent = (input: unknown): StoredEvent => StoredEventSchema.parse(input);

// Does not compile when an event type of `eventPayloads` is missing from the union above.
const _everyEventTypeListed: [Exclude<EventType, StoredEvent['type']>] extends [never] ? true : false = true;
