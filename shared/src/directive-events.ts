import { z } from 'zod';
import { DIRECTIVE_FIELDS, DirectiveContent, DirectiveTemplate, ItemOutcome } from './directive-model.js';
import { IsoTime, Slug, Uuid } from './ids.js';
import { Attribution } from './model-base.js';

/** The payload schema of every directive event, keyed by event type. */
export const directiveEventPayloads = {
  'directive.drafted': z.strictObject({
    directiveId: Uuid,
    incidentId: Uuid,
    content: DirectiveContent,
    templateId: Slug.nullable(),
    /** When the template was filled for this draft: kept from the draft's first save from it. */
    templateFilledAt: IsoTime.nullable(),
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
    /** The version whose confirmation the report completes. */
    version: z.number().int().positive(),
    outcome: ItemOutcome,
    text: z.string(),
  }),
  'directiveTemplate.saved': z.strictObject({ template: DirectiveTemplate }),
  'directiveTemplate.removed': z.strictObject({ templateId: Slug }),
  /** The app's change or removal of a region file's template is dropped. */
  'directiveTemplate.restored': z.strictObject({ templateId: Slug }),
} as const;
