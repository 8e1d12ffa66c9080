import { z } from 'zod';
import {
  ActionItemKind,
  ActionItemStatus,
  AssessmentContent,
  ConferenceStep,
  NeedCoverage,
  Presence,
  Recurrence,
  Representation,
} from './conference-model.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { LongText, ShortText } from './model-base.js';

// The commands of the coordination conference and of coordinated resources. The chair is
// the convening actor's duty officer or coordinator: the region file lets those functions
// send the commands, and `decide` checks that the sender's actor convenes the conference.

const DialIn = z.string().max(LIMITS.maxDialInLength);

/** What a decision or action item says. */
const ActionItemText = z.string().trim().min(1).max(LIMITS.maxTextLength);

/** The payload schema of every conference and resource command, keyed by command type. */
export const conferenceCommandPayloads = {
  /**
   * Call a conference: for an incident (its summoned actors by default) or, with
   * `incidentId` null, an ordinary-mode conference of the whole region, optionally
   * recurring. Scheduling an incident's conference also sets its next conference time.
   */
  'conference.schedule': z.strictObject({
    conferenceId: Uuid,
    incidentId: Uuid.nullable(),
    title: ShortText,
    scheduledAt: IsoTime,
    /** The region's lead actor (Länsstyrelsen) when left out. */
    convenerActorId: Slug.optional(),
    /** Empty means the incident's summoned actors, or every actor for an ordinary-mode one. */
    summonedActorIds: z.array(Slug).max(LIMITS.maxActorsPerList).default([]),
    /** Meeting link or dial-in number with PIN; shown only to the summoned. */
    dialIn: DialIn.default(''),
    recurrence: Recurrence.nullable().default(null),
  }),
  /** Move a conference that has not opened, or change its dial-in details. */
  'conference.reschedule': z.strictObject({
    conferenceId: Uuid,
    scheduledAt: IsoTime.optional(),
    dialIn: DialIn.optional(),
  }),
  /** The chair opens the conference: it starts at the roll call. */
  'conference.open': z.strictObject({ conferenceId: Uuid }),
  /**
   * The chair moves the agenda: one step forward, or back to any earlier step. `fromStep`
   * is the step the chair saw, so a second click on a stale screen is refused, not repeated.
   */
  'conference.step': z.strictObject({ conferenceId: Uuid, fromStep: ConferenceStep, toStep: ConferenceStep }),
  /**
   * One summoned actor's roll call: the chair takes any, an actor's own duty officer or
   * coordinator may only say "present" for it.
   */
  'conference.rollCall': z.strictObject({
    conferenceId: Uuid,
    actorId: Slug,
    presence: Presence,
    /** Required exactly when `presence` is `represented`. */
    representedBy: Representation.nullable().default(null),
  }),
  /** The chair marks an actor's round as reported (or not) with a short note. */
  'conference.round': z.strictObject({
    conferenceId: Uuid,
    actorId: Slug,
    reported: z.boolean(),
    note: LongText.default(''),
  }),
  /**
   * The chair writes (a new version of) the common assessment. `baseVersion` is the version
   * the chair edited (0 for the first); refused as `conflict` when another was saved since
   * (the stale details name only incidents and reports).
   */
  'conference.assess': AssessmentContent.extend({
    conferenceId: Uuid,
    baseVersion: z.number().int().nonnegative().optional(),
  }),
  /**
   * The chair sets (or clears) the time of the next conference while this one runs. Once
   * it is closed, the next conference is scheduled and moved with `conference.reschedule`.
   */
  'conference.setNext': z.strictObject({ conferenceId: Uuid, nextConferenceAt: IsoTime.nullable() }),
  /**
   * The chair closes the conference. When a next time is set (or the conference recurs),
   * the next conference is scheduled under `nextConferenceId`, made by the client so a retry
   * names the same one.
   */
  'conference.close': z.strictObject({ conferenceId: Uuid, nextConferenceId: Uuid }),
  /**
   * The chair approves the minutes, generated from the log. `version` is the version this
   * approval makes: 1 for the first, then one past the latest for a correction, which must
   * say what it corrects; refused as `conflict` when another version came first, and when
   * the correction would leave the minutes as they are.
   */
  'conference.approveMinutes': z.strictObject({
    conferenceId: Uuid,
    version: z.number().int().positive(),
    correction: LongText.default(''),
    /** Corrected round notes, by actor id; only in a correction. */
    roundNotes: z.record(Slug, LongText).optional(),
    /** Corrected roll-call lines, by actor id; only in a correction. */
    participants: z
      .record(
        Slug,
        z.strictObject({ presence: Presence, representedBy: Representation.nullable().default(null) }),
      )
      .optional(),
    /** Corrected decisions and action items, by item id: only the parts that change; only in a correction. */
    decisions: z
      .record(
        Uuid,
        z
          .strictObject({
            text: ActionItemText,
            ownerActorId: Slug,
            dueAt: IsoTime.nullable(),
            status: ActionItemStatus,
          })
          .partial(),
      )
      .optional(),
    /** A corrected assessment; only in a correction. */
    assessment: AssessmentContent.optional(),
    /** A corrected next conference time (the record only; the next conference moves by `reschedule`). */
    nextConferenceAt: IsoTime.nullable().optional(),
  }),
  /** The chair records a decision or an action item; each has an owner actor. */
  'actionItem.record': z.strictObject({
    itemId: Uuid,
    conferenceId: Uuid,
    kind: ActionItemKind,
    text: ActionItemText,
    ownerActorId: Slug,
    dueAt: IsoTime.nullable().default(null),
  }),
  /** The owner marks its item done (or open again); the chair may also cancel one. */
  'actionItem.setStatus': z.strictObject({ itemId: Uuid, status: ActionItemStatus }),
  /** Another actor answers a need in a report with what it can give, how much, and from when. */
  'offer.make': z.strictObject({
    offerId: Uuid,
    incidentId: Uuid,
    needActorId: Slug,
    /** The needing actor's report the offer answers: its newest, or refused as `stale`. */
    reportId: Uuid,
    what: ShortText,
    quantity: z.string().trim().max(LIMITS.maxShortTextLength).default(''),
    availableAt: IsoTime,
    note: LongText.default(''),
  }),
  /** The needing actor accepts or declines an offer. */
  'offer.answer': z.strictObject({ offerId: Uuid, answer: z.enum(['accepted', 'declined']) }),
  /** The needing actor judges how far its report's needs are covered. */
  'need.settle': z.strictObject({
    incidentId: Uuid,
    reportId: Uuid,
    coverage: NeedCoverage,
    note: LongText.default(''),
  }),
} as const;
