import { z } from 'zod';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { ActorStatus, Attribution, LogSeq, LongText, Sharing, ShortText, StepSeq } from './model-base.js';

// The coordination conference (samverkanskonferens) and what is coordinated in it: its
// roll call, rounds, common assessment, decisions and action items, minutes; and needs
// answered by offers of resources. Every item is folded from the log, so every hub and
// every screen shows the same conference history.

/**
 * The agenda, in order (DOMAIN.md, "A coordination conference, typically"). The chair moves
 * one step forward at a time, or back to any earlier step.
 */
export const CONFERENCE_STEPS = [
  'rollCall',
  'convenerPicture',
  'rounds',
  'assessment',
  'directives',
  'jointMessage',
  'nextConference',
] as const;
export const ConferenceStep = z.enum(CONFERENCE_STEPS);
export type ConferenceStep = z.infer<typeof ConferenceStep>;

/** scheduled → open (running, on a step) → closed. Minutes are approved after closing. */
export const ConferenceStatus = z.enum(['scheduled', 'open', 'closed']);
export type ConferenceStatus = z.infer<typeof ConferenceStatus>;

/**
 * A weekly recurrence in the region's time (Europe/Stockholm): e.g. Tuesdays at 09:00.
 * Closing a recurring conference schedules its next occurrence by this rule.
 */
export const Recurrence = z.strictObject({
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: z.number().int().min(1).max(7),
  /** Local wall-clock time, 24-hour "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM"'),
});
export type Recurrence = z.infer<typeof Recurrence>;

/** Present, absent, or represented by another actor (and in which function). */
export const PRESENCES = ['present', 'absent', 'represented'] as const;
export const Presence = z.enum(PRESENCES);
export type Presence = z.infer<typeof Presence>;

/** Who stands in for an absent actor at the roll call. */
export const Representation = z.strictObject({ actorId: Slug, functionId: Slug });
export type Representation = z.infer<typeof Representation>;

/** One summoned actor's line in the roll call: taken by the chair or said by the actor itself. */
export const RollCallEntry = z.strictObject({
  presence: Presence,
  /** Set exactly when `presence` is `represented`. */
  representedBy: Representation.nullable(),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type RollCallEntry = z.infer<typeof RollCallEntry>;

/** The chair's mark on one actor's round: reported or not, and a short note. */
export const RoundEntry = z.strictObject({
  reported: z.boolean(),
  note: LongText,
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type RoundEntry = z.infer<typeof RoundEntry>;

/** The four parts of a common assessment (samlad bedömning), as the chair writes them. */
export const AssessmentContent = z.strictObject({
  situation: LongText,
  expectedDevelopment: LongText,
  consequences: LongText,
  uncertainties: LongText,
});
export type AssessmentContent = z.infer<typeof AssessmentContent>;

/**
 * One version of a conference's common assessment. Every version is kept; the newest of
 * an incident's conferences (or of the ordinary-mode conferences) heads the common picture.
 */
export const Assessment = AssessmentContent.extend({
  /** 1 for the conference's first assessment, then 2, 3 … */
  version: z.number().int().positive(),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type Assessment = z.infer<typeof Assessment>;

/** Decisions (beslut) and action items (åtgärdspunkter): both have an owner and a due time. */
export const ActionItemKind = z.enum(['decision', 'action']);
export type ActionItemKind = z.infer<typeof ActionItemKind>;

/** open → done (by its owner) or cancelled (by the chair); either may reopen it. */
export const ActionItemStatus = z.enum(['open', 'done', 'cancelled']);
export type ActionItemStatus = z.infer<typeof ActionItemStatus>;

/**
 * The minutes (protokoll) of a conference as approved: generated from the log by
 * `buildMinutes` when the chair approves, so every hub stores the same text. Names are
 * kept as ids and shown in the reader's language.
 */
export const Minutes = z.strictObject({
  conferenceId: Uuid,
  incidentId: Uuid.nullable(),
  /** The incident's title at approval, or '' for an ordinary-mode conference. */
  incidentTitle: z.string(),
  title: z.string(),
  convenerActorId: Slug,
  scheduledAt: IsoTime,
  openedAt: IsoTime.nullable(),
  closedAt: IsoTime.nullable(),
  /** Every summoned actor, in the region's round order, with its roll call. */
  participants: z.array(
    z.strictObject({
      actorId: Slug,
      /** null: the roll call never reached the actor. */
      presence: Presence.nullable(),
      representedBy: Representation.nullable(),
      /** Whether the actor had acknowledged the activation (always true outside incidents). */
      acknowledged: z.boolean(),
    }),
  ),
  /** Each actor's round, in round order: the chair's mark and the report it rested on. */
  rounds: z.array(
    z.strictObject({
      actorId: Slug,
      reported: z.boolean(),
      note: z.string(),
      reportId: Uuid.nullable(),
      status: ActorStatus.nullable(),
    }),
  ),
  assessment: AssessmentContent.nullable(),
  decisions: z.array(
    z.strictObject({
      id: Uuid,
      kind: ActionItemKind,
      text: z.string(),
      ownerActorId: Slug,
      dueAt: IsoTime.nullable(),
      status: ActionItemStatus,
    }),
  ),
  nextConferenceAt: IsoTime.nullable(),
});
export type Minutes = z.infer<typeof Minutes>;

/** One approved version of the minutes; version 1 is the first approval, later ones corrections. */
export const MinutesVersion = z.strictObject({
  version: z.number().int().positive(),
  minutes: Minutes,
  /** What was corrected and why; '' for version 1. */
  correction: LongText,
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type MinutesVersion = z.infer<typeof MinutesVersion>;

/** A conference as `decide` makes it and `conference.scheduled` carries it. */
export const NewConference = z.strictObject({
  id: Uuid,
  /** null for an ordinary-mode conference of the whole region, not tied to an incident. */
  incidentId: Uuid.nullable(),
  title: ShortText,
  scheduledAt: IsoTime,
  convenerActorId: Slug,
  summonedActorIds: z.array(Slug).max(LIMITS.maxActorsPerList),
  recurrence: Recurrence.nullable(),
  /** The conference this one was scheduled from (the previous one's "next conference"), if any. */
  previousConferenceId: Uuid.nullable(),
});
export type NewConference = z.infer<typeof NewConference>;

/** A coordination conference with its history, folded from the log. */
export const Conference = NewConference.extend({
  status: ConferenceStatus,
  /** The agenda step on every screen; null until the conference is opened. */
  step: ConferenceStep.nullable(),
  scheduledBy: Attribution,
  scheduledSeq: LogSeq,
  openedAt: IsoTime.nullable(),
  openedBy: Attribution.nullable(),
  openedSeq: StepSeq,
  closedAt: IsoTime.nullable(),
  closedBy: Attribution.nullable(),
  closedSeq: StepSeq,
  /** Keyed by summoned actor id. */
  rollCall: z.record(Slug, RollCallEntry),
  /** Keyed by actor id. */
  rounds: z.record(Slug, RoundEntry),
  /** Oldest first; the last is the conference's current assessment. */
  assessments: z.array(Assessment),
  nextConferenceAt: IsoTime.nullable(),
  /** Approved versions, oldest first. Once there is one, the record itself is read-only. */
  minutes: z.array(MinutesVersion),
  /** The seq of the last event that changed the conference. */
  version: z.number().int().nonnegative(),
});
export type Conference = z.infer<typeof Conference>;

/**
 * A conference's meeting link or dial-in number with PIN: free text, kept apart from the
 * conference so that only the summoned actors receive it.
 */
export const ConferenceDialIn = z.strictObject({
  conferenceId: Uuid,
  dialIn: LongText,
  /** Who receives it: the conference's summoned actors when it was set. */
  summonedActorIds: z.array(Slug),
  seq: LogSeq,
});
export type ConferenceDialIn = z.infer<typeof ConferenceDialIn>;

/** A decision or action item as `decide` makes it and `actionItem.recorded` carries it. */
export const NewActionItem = z.strictObject({
  id: Uuid,
  conferenceId: Uuid,
  incidentId: Uuid.nullable(),
  kind: ActionItemKind,
  text: z.string().trim().min(1).max(LIMITS.maxTextLength),
  ownerActorId: Slug,
  dueAt: IsoTime.nullable(),
  at: IsoTime,
  by: Attribution,
});
export type NewActionItem = z.infer<typeof NewActionItem>;

/** A decision or action item recorded at a conference, and what became of it. */
export const ActionItem = NewActionItem.extend({
  status: ActionItemStatus,
  statusAt: IsoTime.nullable(),
  statusBy: Attribution.nullable(),
  seq: LogSeq,
});
export type ActionItem = z.infer<typeof ActionItem>;

/** What the needing actor made of an offer. */
export const OfferStatus = z.enum(['offered', 'accepted', 'declined']);
export type OfferStatus = z.infer<typeof OfferStatus>;

/**
 * An offer as `decide` makes it: another actor answers a need in a report with what it can
 * give, how much, and from when. It is shared as the report it answers is (`sharing`, with
 * the needing actor as owner), and the offering actor always sees it.
 */
export const NewOffer = z.strictObject({
  id: Uuid,
  incidentId: Uuid,
  needActorId: Slug,
  /** The needing actor's report whose needs the offer answers (its newest when offered). */
  reportId: Uuid,
  fromActorId: Slug,
  what: ShortText,
  quantity: z.string().trim().max(LIMITS.maxShortTextLength),
  availableAt: IsoTime,
  note: LongText,
  sharing: Sharing,
  at: IsoTime,
  by: Attribution,
});
export type NewOffer = z.infer<typeof NewOffer>;

/** An offer and the needing actor's answer to it. */
export const Offer = NewOffer.extend({
  status: OfferStatus,
  answeredAt: IsoTime.nullable(),
  answeredBy: Attribution.nullable(),
  seq: LogSeq,
});
export type Offer = z.infer<typeof Offer>;

/** How far a need is covered, as the needing actor judges it. */
export const NEED_COVERAGES = ['covered', 'partlyCovered', 'notCovered'] as const;
export const NeedCoverage = z.enum(NEED_COVERAGES);
export type NeedCoverage = z.infer<typeof NeedCoverage>;

/**
 * A need's status: open (nobody has offered) → offers → covered / partly covered / not
 * covered. Derived by `needStatus` from the report, its offers and the settlement.
 */
export type NeedStatus = 'open' | 'offers' | NeedCoverage;

/**
 * The needing actor's judgement of one report's needs. It holds for that report: a newer
 * report with other needs opens them again.
 */
export const NeedSettlement = z.strictObject({
  incidentId: Uuid,
  actorId: Slug,
  reportId: Uuid,
  coverage: NeedCoverage,
  note: LongText,
  /** Shared as the report is, so the settlement reaches exactly the report's readers. */
  sharing: Sharing,
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type NeedSettlement = z.infer<typeof NeedSettlement>;
