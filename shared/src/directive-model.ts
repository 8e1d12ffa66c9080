import { z } from 'zod';
import { AreaGeometry } from './geo.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LIMITS } from './limits.js';
import { ACTOR_KINDS, Attribution, IncidentKind, LogSeq, LongText } from './model-base.js';

// Joint directives (inriktningsbeslut): drafted by a coordinator, often from a prepared
// template, decided by the directing level, confirmed and followed up by each owner actor.
// Every decided version is kept; the one in force is the latest decided that has begun,
// until it expires (`inForce`).

/** The three levels of the collaboration agreement; the region file gives each function one. */
export const FUNCTION_LEVELS = ['directing', 'coordinating', 'executing'] as const;
export const FunctionLevel = z.enum(FUNCTION_LEVELS);
export type FunctionLevel = z.infer<typeof FunctionLevel>;

const RequiredText = z.string().trim().min(1).max(LIMITS.maxTextLength);

/** One responsibility of a directive: what, and which actor owns it. */
export const DirectiveItem = z.strictObject({
  /** Made by the client; kept from version to version while the item stays. */
  id: Uuid,
  text: RequiredText,
  ownerActorId: Slug,
});
export type DirectiveItem = z.infer<typeof DirectiveItem>;

/** What a directive says (DOMAIN.md, "inriktningsbeslut"). */
export const DirectiveContent = z.strictObject({
  /** The purpose, or the joint goal. */
  purpose: RequiredText,
  /** Priorities, most important first. */
  priorities: z.array(RequiredText).max(LIMITS.maxDirectivePriorities),
  /** Who is responsible for what. */
  items: z.array(DirectiveItem).max(LIMITS.maxDirectiveItems),
  area: AreaGeometry.nullable(),
  /** Limits, and what not to do. */
  limits: LongText,
  validFrom: IsoTime,
  validUntil: IsoTime,
  /** When the directive is to be reviewed; items not reported by then are overdue. */
  reviewAt: IsoTime.nullable(),
  /** Made under heightened readiness (only while it is in force). */
  underReadiness: z.boolean(),
});
export type DirectiveContent = z.infer<typeof DirectiveContent>;

/** A directive's fields, for diffs between versions and against a template. */
export const DIRECTIVE_FIELDS = [
  'purpose',
  'priorities',
  'items',
  'area',
  'limits',
  'validFrom',
  'validUntil',
  'reviewAt',
  'underReadiness',
] as const satisfies readonly (keyof DirectiveContent)[];
export type DirectiveField = (typeof DIRECTIVE_FIELDS)[number];

/** The draft a coordinator works on; deciding it makes the next version. */
export const DirectiveDraft = z.strictObject({
  content: DirectiveContent,
  /** The template it was started from, if any. */
  templateId: Slug.nullable(),
  /**
   * When the hub filled the template for this draft (its first save from the template): what
   * the template suggested is filled again from it at read time (`draftTemplateContent`)
   * rather than carried in every draft event, which would double the event's size.
   */
  templateFilledAt: IsoTime.nullable(),
  /** How many versions were decided when the draft was written; deciding checks it. */
  baseVersion: z.number().int().nonnegative(),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type DirectiveDraft = z.infer<typeof DirectiveDraft>;

/** One decided version: v1, v2 … with who drafted, who decided, and which fields changed. */
export const DirectiveVersion = z.strictObject({
  version: z.number().int().positive(),
  content: DirectiveContent,
  templateId: Slug.nullable(),
  /** The fields that differ from the previous version (all of them for v1). */
  changedFields: z.array(z.enum(DIRECTIVE_FIELDS)),
  draftedBy: Attribution,
  /** The directing persons who decided it: the first, then any who co-signed. */
  deciders: z.array(Attribution).min(1),
  decidedAt: IsoTime,
  seq: LogSeq,
});
export type DirectiveVersion = z.infer<typeof DirectiveVersion>;

/** What an owner actor reports it did with an item. */
export const ITEM_OUTCOMES = ['done', 'partlyDone', 'notDone'] as const;
export const ItemOutcome = z.enum(ITEM_OUTCOMES);
export type ItemOutcome = z.infer<typeof ItemOutcome>;

/** The owner's follow-up of one item: confirmed (mottaget och omhändertaget), then reported. */
export const ItemFollowUp = z.strictObject({
  itemId: Uuid,
  /** The version the owner confirmed; a later version's changed item needs a new confirmation. */
  version: z.number().int().positive(),
  confirmedAt: IsoTime,
  confirmedBy: Attribution,
  outcome: ItemOutcome.nullable(),
  outcomeText: LongText,
  reportedAt: IsoTime.nullable(),
  reportedBy: Attribution.nullable(),
  seq: LogSeq,
});
export type ItemFollowUp = z.infer<typeof ItemFollowUp>;

/** The key of an item's follow-up confirmed on a version. */
export const followUpKey = (itemId: string, version: number): string => `${itemId}@${version}`;

/** The directive of one incident (an incident has at most one) with its whole history. */
export const Directive = z.strictObject({
  id: Uuid,
  incidentId: Uuid,
  draft: DirectiveDraft.nullable(),
  /** Decided versions, oldest first; the last is in force until it expires. */
  versions: z.array(DirectiveVersion),
  /**
   * Every confirmation with its report, keyed by `followUpKey(itemId, version)`: a new
   * confirmation of a changed item leaves the earlier one for the after-action record.
   */
  followUps: z.record(z.string(), ItemFollowUp),
  /** The seq of the last event that changed the directive. */
  version: z.number().int().nonnegative(),
});
export type Directive = z.infer<typeof Directive>;

/** What a prepared directive suggests for an actor kind: the actors of that kind get the item. */
export const TemplateItem = z.strictObject({
  actorKind: z.enum(ACTOR_KINDS),
  text: RequiredText,
});
export type TemplateItem = z.infer<typeof TemplateItem>;

/** A prepared directive (förberedd inriktning) for a kind of event. */
export const DirectiveTemplate = z.strictObject({
  id: Slug,
  name: z.strictObject({ sv: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }),
  /** The incident kinds it is offered for first. */
  incidentKinds: z.array(IncidentKind).max(20),
  purpose: RequiredText,
  priorities: z.array(RequiredText).max(LIMITS.maxDirectivePriorities),
  items: z.array(TemplateItem).max(LIMITS.maxDirectiveItems),
  limits: LongText,
  /** How long after the decision the directive is reviewed, and valid (hours). */
  reviewIntervalHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  validityHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
});
export type DirectiveTemplate = z.infer<typeof DirectiveTemplate>;

/**
 * A prepared directive saved or removed through the app, keyed by template id in the state.
 * `template` null means removed: it also hides a region-file template of the same id.
 */
export const SavedTemplate = z.strictObject({
  template: DirectiveTemplate.nullable(),
  at: IsoTime,
  by: Attribution,
  seq: LogSeq,
});
export type SavedTemplate = z.infer<typeof SavedTemplate>;
