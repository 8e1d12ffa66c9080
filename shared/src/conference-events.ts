import { z } from 'zod';
import {
  AssessmentContent,
  ConferenceStep,
  Minutes,
  NeedCoverage,
  NewActionItem,
  NewConference,
  NewOffer,
  Presence,
  Representation,
  ActionItemStatus,
} from './conference-model.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { Sharing } from './model-base.js';

/** The payload schema of every conference and resource event, keyed by event type. */
export const conferenceEventPayloads = {
  'conference.scheduled': z.strictObject({ conference: NewConference }),
  /** Carries the summoned actors: they, and only they, receive the dial-in details. */
  'conference.dialInSet': z.strictObject({
    conferenceId: Uuid,
    dialIn: z.string(),
    summonedActorIds: z.array(Slug),
  }),
  'conference.rescheduled': z.strictObject({ conferenceId: Uuid, scheduledAt: IsoTime }),
  /**
   * Actors summoned to the incident after its conference was called join the conference:
   * the full new list of summoned actors (the fold replaces the old one).
   */
  'conference.summonsExtended': z.strictObject({
    conferenceId: Uuid,
    summonedActorIds: z.array(Slug).max(LIMITS.maxActorsPerList),
  }),
  'conference.opened': z.strictObject({ conferenceId: Uuid }),
  'conference.stepped': z.strictObject({ conferenceId: Uuid, step: ConferenceStep }),
  'conference.rollCalled': z.strictObject({
    conferenceId: Uuid,
    actorId: Slug,
    presence: Presence,
    representedBy: Representation.nullable(),
  }),
  'conference.roundNoted': z.strictObject({
    conferenceId: Uuid,
    actorId: Slug,
    reported: z.boolean(),
    note: z.string(),
  }),
  'conference.assessed': AssessmentContent.extend({ conferenceId: Uuid }),
  'conference.nextSet': z.strictObject({ conferenceId: Uuid, nextConferenceAt: IsoTime.nullable() }),
  'conference.closed': z.strictObject({ conferenceId: Uuid }),
  /** The minutes as `buildMinutes` generated them at approval, so every hub keeps the same text. */
  'conference.minutesApproved': z.strictObject({
    conferenceId: Uuid,
    version: z.number().int().positive(),
    minutes: Minutes,
    correction: z.string(),
  }),
  'actionItem.recorded': z.strictObject({ item: NewActionItem }),
  'actionItem.statusSet': z.strictObject({ itemId: Uuid, status: ActionItemStatus }),
  'offer.made': z.strictObject({ offer: NewOffer }),
  /**
   * Carries whom the offer is shared with (copied from the offer by `decide`), so the answer
   * reaches exactly the offer's readers.
   */
  'offer.answered': z.strictObject({
    offerId: Uuid,
    answer: z.enum(['accepted', 'declined']),
    needActorId: Slug,
    fromActorId: Slug,
    sharing: Sharing,
  }),
  'need.settled': z.strictObject({
    incidentId: Uuid,
    actorId: Slug,
    reportId: Uuid,
    coverage: NeedCoverage,
    note: z.string(),
    sharing: Sharing,
  }),
} as const;
