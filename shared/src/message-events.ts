import { z } from 'zod';
import { IsoTime, Slug, Uuid } from './ids.js';
import { MessageContent, MessageVersion, PublicationChannel } from './message-model.js';

const Version = z.number().int().positive();

/** The payload schema of every joint-message event, keyed by event type. */
export const messageEventPayloads = {
  /**
   * A version was saved. Carries the whole content, so every version is whole in the log.
   * When the drafting actor is among the approvers and the drafter's function may approve,
   * a `jointMessage.approved` with `byDrafting` follows in the same command: saving is its
   * approval (a coordinator's save is not).
   */
  'jointMessage.drafted': z.strictObject({
    messageId: Uuid,
    incidentId: Uuid,
    version: Version,
    content: MessageContent,
    /** The owner of the matter first: `decide` names it on every version. */
    approverActorIds: z.array(Slug).min(1),
    /** The owner of the matter: the first version's drafting actor, repeated on every version. */
    ownerActorId: Slug,
    /** The incident's title and kind as they were when the version was saved: CAP's `event` and `category`. */
    incidentTitle: MessageVersion.shape.incidentTitle,
    incidentKind: MessageVersion.shape.incidentKind,
  }),
  'jointMessage.approved': z.strictObject({
    messageId: Uuid,
    version: Version,
    actorId: Slug,
    comment: z.string(),
    byDrafting: z.boolean(),
  }),
  'jointMessage.changeRequested': z.strictObject({
    messageId: Uuid,
    version: Version,
    actorId: Slug,
    comment: z.string(),
  }),
  /** Every named actor has approved `version`: it is agreed, from this event's time. */
  'jointMessage.agreed': z.strictObject({ messageId: Uuid, version: Version }),
  'jointMessage.published': z.strictObject({
    messageId: Uuid,
    version: Version,
    actorId: Slug,
    channel: PublicationChannel,
    publishedAt: IsoTime,
    note: z.string(),
  }),
  'jointMessage.cancelled': z.strictObject({ messageId: Uuid, reason: z.string() }),
} as const;
