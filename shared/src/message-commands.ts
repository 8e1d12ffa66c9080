import { z } from 'zod';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { MessageContent, PublicationChannel } from './message-model.js';

// The commands of joint messages. Rights come from the region file (communicators,
// coordinators and duty officers draft; communicators and duty officers sign off and
// publish); `decide` checks what depends on the state: the sender's actor is summoned, the
// version is the latest, the actor is one the version names.

const Version = z.number().int().positive();
const Comment = z.string().trim().max(LIMITS.maxTextLength);

/** The payload schema of every joint-message command, keyed by command type. */
export const messageCommandPayloads = {
  /**
   * Save a version of the incident's joint message (a new message when `messageId` is new).
   * `baseVersion` is the version the drafter edited (0 for a new message): refused as
   * `stale` when somebody has saved another version since, so no edit is overwritten
   * unseen. `approverActorIds` names the actors whose approval is needed.
   */
  'jointMessage.draft': z.strictObject({
    messageId: Uuid,
    incidentId: Uuid,
    content: MessageContent,
    approverActorIds: z.array(Slug).min(1).max(LIMITS.maxActorsPerList),
    baseVersion: z.number().int().nonnegative(),
  }),
  /**
   * A named actor approves a version. `forActorId` must be the sender's own actor: the
   * hub refuses approval on another actor's behalf. Refused as `stale` for a superseded version.
   */
  'jointMessage.approve': z.strictObject({
    messageId: Uuid,
    version: Version,
    forActorId: Slug,
    comment: Comment.default(''),
  }),
  /** A named actor asks for a change to a version, saying what (required). */
  'jointMessage.requestChange': z.strictObject({
    messageId: Uuid,
    version: Version,
    forActorId: Slug,
    comment: Comment.pipe(z.string().min(1, 'say what should change')),
  }),
  /** An actor records that it published the agreed version on a channel, and when. */
  'jointMessage.publish': z.strictObject({
    messageId: Uuid,
    version: Version,
    channel: PublicationChannel,
    publishedAt: IsoTime,
    note: z.string().trim().max(LIMITS.maxShortTextLength).default(''),
  }),
  /** A named actor withdraws the message (CAP `Cancel`): it is no longer to be published. */
  'jointMessage.cancel': z.strictObject({
    messageId: Uuid,
    reason: z.string().trim().min(1).max(LIMITS.maxTextLength),
  }),
} as const;
