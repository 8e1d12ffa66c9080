import { z } from 'zod';
import { DirectiveContent, DirectiveTemplate, ItemOutcome } from './directive-model.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LongText } from './model-base.js';

// The commands of joint directives and of heightened readiness. Rights come from the region
// file: coordinators draft, the directing level decides, owners confirm and report, admins
// keep the templates; `decide` checks what depends on the state.

/** The payload schema of every directive command, keyed by command type. */
export const directiveCommandPayloads = {
  /**
   * Write (or rewrite) the draft of a directive for an active incident. `baseVersion` is the
   * number of decided versions the drafter started from (0 for a new directive): refused as
   * `stale` when another version has been decided since.
   */
  'directive.draft': z.strictObject({
    directiveId: Uuid,
    incidentId: Uuid,
    content: DirectiveContent,
    /** The template the draft was started from, if any: the draft shows what it changed. */
    templateId: Slug.nullable().default(null),
    baseVersion: z.number().int().nonnegative(),
  }),
  /**
   * The directing level decides the draft: it becomes the next version, in force until
   * replaced or expired. `baseVersion` as for the draft: the decider decides what it read.
   */
  'directive.decide': z.strictObject({ directiveId: Uuid, baseVersion: z.number().int().nonnegative() }),
  /** Another directing person records that it, too, decided the version in force. */
  'directive.cosign': z.strictObject({ directiveId: Uuid, version: z.number().int().positive() }),
  /** The owner actor confirms an item of the version in force: "mottaget och omhändertaget". */
  'directive.confirm': z.strictObject({ directiveId: Uuid, itemId: Uuid }),
  /** The owner actor reports what it did with a confirmed item. */
  'directive.reportItem': z.strictObject({
    directiveId: Uuid,
    itemId: Uuid,
    outcome: ItemOutcome,
    text: LongText.default(''),
  }),
  /** An administrator saves a prepared directive (new, or replacing one of the same id). */
  'directiveTemplate.save': z.strictObject({ template: DirectiveTemplate }),
  /** An administrator removes a prepared directive saved through the app. */
  'directiveTemplate.remove': z.strictObject({ templateId: Slug }),
} as const;

/** The two levels of höjd beredskap a government can decide, or none. */
export const READINESS_LEVELS = ['none', 'heightened', 'highest'] as const;
export const ReadinessLevel = z.enum(READINESS_LEVELS);
export type ReadinessLevel = z.infer<typeof ReadinessLevel>;

/** The government decision behind heightened readiness: whole country, or named parts. */
export const ReadinessDecision = z.strictObject({
  level: ReadinessLevel,
  /** 'country', or 'parts' with the parts named in `parts`. */
  scope: z.enum(['country', 'parts']),
  parts: LongText,
  /** The government decision's reference (e.g. "Fö2026/01234") and date. */
  decisionRef: z.string().trim().max(200),
  decisionDate: IsoTime.nullable(),
});
export type ReadinessDecision = z.infer<typeof ReadinessDecision>;
