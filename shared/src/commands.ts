import { z } from 'zod';
import { AreaGeometry, LatLng } from './geo.js';
import { conferenceCommandPayloads } from './conference-commands.js';
import { directiveCommandPayloads, ReadinessDecision } from './directive-commands.js';
import { messageCommandPayloads } from './message-commands.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { CheckinStatus, FieldReportContent, IncidentKind, ReportContent, Sharing } from './model.js';

const ShortText = z.string().trim().min(1).max(LIMITS.maxShortTextLength);
const LongText = z.string().max(LIMITS.maxTextLength);
const ActorList = z.array(Slug).max(LIMITS.maxActorsPerList);

/** The payload schema of every command the hub accepts, keyed by command type. */
export const commandPayloads = {
  /** The green button: an actor's duty officer asks for joint handling. */
  'incident.request': z.strictObject({
    incidentId: Uuid,
    title: ShortText,
    reason: z.string().trim().min(1).max(LIMITS.maxTextLength),
  }),
  /** The decision to go into activated mode, new or from a request. */
  'incident.activate': z.strictObject({
    incidentId: Uuid,
    title: ShortText,
    kind: IncidentKind,
    description: LongText,
    area: AreaGeometry.nullable(),
    /** Empty means every actor of the region. */
    summonedActorIds: ActorList,
    nextConferenceAt: IsoTime.nullable(),
  }),
  /** Change what the coordination needs to know about an active incident. */
  'incident.update': z.strictObject({
    incidentId: Uuid,
    title: ShortText.optional(),
    kind: IncidentKind.optional(),
    description: LongText.optional(),
    nextConferenceAt: IsoTime.nullable().optional(),
    summonedActorIds: ActorList.optional(),
    area: AreaGeometry.nullable().optional(),
    /**
     * The incident's `version` the change was made on: refused as `stale` when the incident
     * has changed since, so a late or replayed update never puts back older text. Without
     * it the change applies to whatever is current (last writer wins); the app always sends it.
     */
    baseVersion: z.number().int().nonnegative().optional(),
  }),
  /** End joint handling (or turn down a request). */
  'incident.close': z.strictObject({ incidentId: Uuid, summary: LongText }),
  /** Show or lift heightened readiness for the whole region. */
  'readiness.set': z.strictObject({
    heightened: z.boolean(),
    note: LongText,
    /** The government decision behind it; `heightened` must then say level ≠ none. */
    decision: ReadinessDecision.optional(),
  }),
  /** The summoned actor confirms it has received the activation. */
  'activation.acknowledge': z.strictObject({ incidentId: Uuid }),
  /** The sender's actor reports on an incident. */
  'report.submit': ReportContent.extend({
    reportId: Uuid,
    incidentId: Uuid,
    /**
     * The id of the actor's report on the incident this one was written over (its newest
     * when the writing began), null for the actor's first. Refused as `stale` when the
     * actor has reported since. Without it the report simply becomes the newest.
     */
    supersedes: Uuid.nullable().optional(),
  }),
  /** A person reports an observation from the scene; the actor's situation report stays. */
  'fieldReport.submit': FieldReportContent.extend({ fieldReportId: Uuid, incidentId: Uuid }),
  /** A person reports in. */
  'checkin.create': z.strictObject({
    checkinId: Uuid,
    incidentId: Uuid.nullable(),
    status: CheckinStatus,
    position: LatLng.nullable(),
    note: LongText,
    /** Who sees the person, position and note; the rest of the region sees only a count. */
    sharing: Sharing.default({ scope: 'own' }),
  }),
  /** The person leaves; the check-in stays in the roster's history. */
  'checkin.checkout': z.strictObject({ checkinId: Uuid }),
  /** A line in the shared log. */
  'logEntry.add': z.strictObject({
    entryId: Uuid,
    incidentId: Uuid.nullable(),
    text: z.string().trim().min(1).max(LIMITS.maxTextLength),
    sharing: Sharing,
  }),
  ...conferenceCommandPayloads,
  ...directiveCommandPayloads,
  ...messageCommandPayloads,
} as const;

/** Every command type, e.g. `incident.activate`. */
export type CommandType = keyof typeof commandPayloads;
/** The list of command types, for matrices and menus. */
export const COMMAND_TYPES = Object.keys(commandPayloads) as CommandType[];

/** The payload type of one command type. */
export type CommandPayload<T extends CommandType> = z.infer<(typeof commandPayloads)[T]>;

/** A command as sent: its id is the client-made idempotency key. */
export type Command = {
  [T in CommandType]: { id: string; type: T; payload: CommandPayload<T> };
}[CommandType];

/** Command types as a zod enum, so an unknown type is its own clear error. */
export const CommandTypeSchema = z.enum(COMMAND_TYPES as [CommandType, ...CommandType[]]);

const CommandEnvelope = z.strictObject({
  id: Uuid,
  type: z.string().min(1).max(64),
  payload: z.unknown(),
});

/** Whether a string names a known command. */
export const isCommandType = (type: string): type is CommandType => Object.hasOwn(commandPayloads, type);

/**
 * Parses untrusted input into a command, or explains why not. The type is checked before
 * the payload so that an unknown command is reported as such.
 */
export function parseCommand(
  input: unknown,
): { ok: true; command: Command } | { ok: false; code: 'bad_request' | 'unknown_command'; message: string } {
  const envelope = CommandEnvelope.safeParse(input);
  if (!envelope.success) {
    return { ok: false, code: 'bad_request', message: z.prettifyError(envelope.error) };
  }
  const { id, type, payload } = envelope.data;
  if (!isCommandType(type)) {
    return { ok: false, code: 'unknown_command', message: `Unknown command type "${type}"` };
  }
  const parsed = commandPayloads[type].safeParse(payload);
  if (!parsed.success) {
    return { ok: false, code: 'bad_request', message: `${type}: ${z.prettifyError(parsed.error)}` };
  }
  // The payload was parsed by the schema chosen by `type`, so the pair is consistent.
  return { ok: true, command: { id, type, payload: parsed.data } as Command };
}
