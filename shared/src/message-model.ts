import { z } from 'zod';
import { AreaGeometry } from './geo.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { Attribution, IncidentKind, LogSeq, ShortText } from './model-base.js';

// Joint messages to the public (samordnat budskap): one agreed message per incident, drafted
// by any summoned actor's communicator, coordinator or duty officer, signed off by the actors
// it names, then published by each actor on its own channels and offered as CAP 1.2.
// Every saved draft is a version; sign-off is per version, so an edit after agreement
// reopens it by itself.

/** The languages a message may be written in: Swedish always, English and easy Swedish (lättläst) if wanted. */
export const MESSAGE_LANGUAGES = ['sv', 'en', 'svEasy'] as const;
export const MessageLanguage = z.enum(MESSAGE_LANGUAGES);
export type MessageLanguage = z.infer<typeof MessageLanguage>;

/** The RFC 3066 tag CAP's `language` carries for each language ("x-" marks a private subtag). */
export const CAP_LANGUAGE_TAGS: Readonly<Record<MessageLanguage, string>> = {
  sv: 'sv-SE',
  en: 'en-GB',
  svEasy: 'sv-SE-x-lattlast',
};

const text = (max: number) => z.string().trim().min(1).max(max);

/** One language's text: what the public reads. */
export const MessageText = z.strictObject({
  headline: text(LIMITS.maxMessageHeadlineLength),
  /** The core message, short and plain. */
  core: text(LIMITS.maxMessageTextLength),
  /** What the public should do. */
  whatToDo: z.string().trim().max(LIMITS.maxMessageTextLength),
});
export type MessageText = z.infer<typeof MessageText>;

/** An actor's own channel where the public finds more (a web page, an account). */
export const MessageChannel = z.strictObject({
  actorId: Slug,
  /** An https address, shown as a link and put in CAP's `web` when it is the first. */
  url: z.url({ protocol: /^https?$/ }).max(500),
});
export type MessageChannel = z.infer<typeof MessageChannel>;

/** Where the public finds more: the actors' own channels, 113 13 and krisinformation.se. */
export const MoreInfo = z.strictObject({
  channels: z.array(MessageChannel).max(LIMITS.maxMessageChannels),
  /** Refer to 113 13, the national information number. */
  phone11313: z.boolean(),
  /** Refer to krisinformation.se, the national crisis portal. */
  krisinformation: z.boolean(),
});
export type MoreInfo = z.infer<typeof MoreInfo>;

/** An SCB municipality code (four digits), as the region file gives each municipality actor. */
export const MunicipalityCode = z.string().regex(/^\d{4}$/, 'an SCB municipality code has four digits');

/** The affected area: a drawn polygon, municipalities picked from the region's list, or both. */
export const MessageArea = z.strictObject({
  polygon: AreaGeometry.nullable(),
  municipalityCodes: z.array(MunicipalityCode).max(LIMITS.maxMessageMunicipalities),
  /** How the area is named to the public ("Nacka och Värmdö"); CAP's `areaDesc`. */
  description: z.string().trim().max(LIMITS.maxShortTextLength),
});
export type MessageArea = z.infer<typeof MessageArea>;

/** What a version of a joint message says. */
export const MessageContent = z.strictObject({
  /** Swedish is required; English and easy Swedish are null when not written. */
  texts: z.strictObject({
    sv: MessageText,
    en: MessageText.nullable(),
    svEasy: MessageText.nullable(),
  }),
  moreInfo: MoreInfo,
  area: MessageArea,
  validFrom: IsoTime,
  validUntil: IsoTime,
  /** An exercise (övning): CAP status `Exercise`, and marked as such on every surface. */
  exercise: z.boolean(),
  /** The directive in force the message follows, if it cites one. */
  directiveId: Uuid.nullable(),
});
export type MessageContent = z.infer<typeof MessageContent>;

/** An actor's answer to a version: approved, or asked for a change (with why). */
export const SignOff = z.strictObject({
  actorId: Slug,
  decision: z.enum(['approved', 'changeRequested']),
  comment: z.string().trim().max(LIMITS.maxTextLength),
  /** Counted for the drafting actor when it saved the version itself. */
  byDrafting: z.boolean(),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type SignOff = z.infer<typeof SignOff>;

/** One saved version: v1, v2 … with its sign-offs. */
export const MessageVersion = z.strictObject({
  version: z.number().int().positive(),
  content: MessageContent,
  /** The actors whose approval is needed, the owner of the matter first. */
  approverActorIds: z.array(Slug).min(1).max(LIMITS.maxActorsPerList),
  /**
   * The incident's title and kind when the version was saved: CAP's `event` and `category`.
   * Kept with the version so that an incident renamed after agreement cannot change what
   * the actors agreed to tell the public.
   */
  incidentTitle: ShortText,
  incidentKind: IncidentKind,
  draftedBy: Attribution,
  at: IsoTime,
  seq: LogSeq,
  /** Each named actor's latest answer to this version, keyed by actor id. */
  signOffs: z.record(Slug, SignOff),
  /** When every named actor had approved this version; null until then. */
  agreedAt: IsoTime.nullable(),
  agreedSeq: z.number().int().positive().nullable(),
});
export type MessageVersion = z.infer<typeof MessageVersion>;

/** Where an actor publishes an agreed message. */
export const PUBLICATION_CHANNELS = ['web', 'social', 'phone11313', 'vma', 'press'] as const;
export const PublicationChannel = z.enum(PUBLICATION_CHANNELS);
export type PublicationChannel = z.infer<typeof PublicationChannel>;

/** An actor's record that it published an agreed version on a channel. */
export const Publication = z.strictObject({
  actorId: Slug,
  channel: PublicationChannel,
  version: z.number().int().positive(),
  /** When the actor says it published (it may record it afterwards). */
  publishedAt: IsoTime,
  note: z.string().trim().max(LIMITS.maxShortTextLength),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type Publication = z.infer<typeof Publication>;

/** The key of an actor's publication on a channel. */
export const publicationKey = (actorId: string, channel: PublicationChannel): string =>
  `${actorId}:${channel}`;

/** The withdrawal of a message (CAP `Cancel`). */
export const MessageCancellation = z.strictObject({
  reason: z.string().trim().min(1).max(LIMITS.maxTextLength),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type MessageCancellation = z.infer<typeof MessageCancellation>;

/** A joint message of an incident with every version, sign-off and publication. */
export const JointMessage = z.strictObject({
  id: Uuid,
  incidentId: Uuid,
  /** The actor that drafted the first version: the owner of the matter. */
  ownerActorId: Slug,
  /** Saved versions, oldest first. */
  versions: z.array(MessageVersion),
  /** Publications keyed by `publicationKey(actorId, channel)`; the latest per channel. */
  publications: z.record(z.string(), Publication),
  cancelled: MessageCancellation.nullable(),
  /** The seq of the last event that changed the message. */
  version: z.number().int().nonnegative(),
});
export type JointMessage = z.infer<typeof JointMessage>;
