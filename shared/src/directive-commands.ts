import { z } from 'zod';
import { DirectiveContent, DirectiveTemplate, ItemOutcome } from './directive-model.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { LongText } from './model-base.js';

// The commands of joint directives and of heightened readiness. Rights come from the region
// file: coordinators draft, the directing level decides, owners confirm and report, admins
// keep the templates; `decide` checks what depends on the state.

/** The seq of a logged event that a change was made on. */
const Seq = z.number().int().nonnegative();

/** The payload schema of every directive command, keyed by command type. */
export const directiveCommandPayloads = {
  /**
   * Write (or rewrite) the draft of the directive of an active incident (one per incident).
   * `baseVersion` is the number of decided versions the drafter started from (0 for a new
   * directive): refused as `stale` when another version has been decided since.
   */
  'directive.draft': z.strictObject({
    directiveId: Uuid,
    incidentId: Uuid,
    content: DirectiveContent,
    /** The template the draft was started from, if any: the draft shows what it changed. */
    templateId: Slug.nullable().default(null),
    baseVersion: z.number().int().nonnegative(),
    /**
     * The seq of the saved draft the drafter rewrote, null when there was none: refused as
     * `stale` when somebody else has saved the draft since, so nobody overwrites it unseen.
     */
    baseDraftSeq: Seq.nullable(),
  }),
  /**
   * The directing level decides the draft: it becomes the next version, in force from its
   * start until replaced or expired. `baseVersion` as for the draft, and `draftSeq` the seq
   * of the draft the decider read: refused as `stale` when the draft was rewritten since.
   */
  'directive.decide': z.strictObject({
    directiveId: Uuid,
    baseVersion: z.number().int().nonnegative(),
    draftSeq: Seq,
  }),
  /** Another directing person records that it, too, decided the latest version. */
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
  /**
   * An administrator saves a prepared directive (new, or replacing one of the same id).
   * `baseSeq` is the seq of the app's saving of it that the administrator edited, null for a
   * new one or the region file's own: refused as `stale` when another administrator has
   * saved or removed it since.
   */
  'directiveTemplate.save': z.strictObject({ template: DirectiveTemplate, baseSeq: Seq.nullable() }),
  /** An administrator removes a prepared directive (a region file's one is hidden). */
  'directiveTemplate.remove': z.strictObject({ templateId: Slug }),
  /**
   * An administrator drops the app's change or removal of a region file's prepared directive:
   * the file's version is offered again, and so are the file's later edits.
   */
  'directiveTemplate.restore': z.strictObject({ templateId: Slug }),
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
