import { z } from 'zod';
import { DIRECTIVE_FIELDS, DirectiveContent, DirectiveTemplate, ItemOutcome } from './directive-model.js';
import { Slug, Uuid } from './ids.js';
import { Attribution } from './model-base.js';

/** The payload schema of every directive event, keyed by event type. */
export const directiveEventPayloads = {
  'directive.drafted': z.strictObject({
    directiveId: Uuid,
    incidentId: Uuid,
    content: DirectiveContent,
    templateId: Slug.nullable(),
    /** What the template filled in, as `decide` made it, so the draft can show what changed. */
    templateContent: DirectiveContent.nullable(),
    baseVersion: z.number().int().nonnegative(),
  }),
  /** Carries the decided content, so every version is whole in the log. */
  'directive.decided': z.strictObject({
    directiveId: Uuid,
    version: z.number().int().positive(),
    content: DirectiveContent,
    templateId: Slug.nullable(),
    changedFields: z.array(z.enum(DIRECTIVE_FIELDS)),
    draftedBy: Attribution,
  }),
  'directive.cosigned': z.strictObject({ directiveId: Uuid, version: z.number().int().positive() }),
  'directive.confirmed': z.strictObject({
    directiveId: Uuid,
    itemId: Uuid,
    version: z.number().int().positive(),
  }),
  'directive.itemReported': z.strictObject({
    directiveId: Uuid,
    itemId: Uuid,
    outcome: ItemOutcome,
    text: z.string(),
  }),
  'directiveTemplate.saved': z.strictObject({ template: DirectiveTemplate }),
  'directiveTemplate.removed': z.strictObject({ templateId: Slug }),
} as const;
