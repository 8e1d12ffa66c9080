import { fillTemplate, type Directive, type DirectiveTemplate, type RegionConfig } from '@lagesbild/shared';
import { blankForm, formFromContent } from './directive-form';
import type { DraftStart } from './DraftEditor';

/** A new directive begun from a prepared one: the form holds what the template fills in. */
export function startFromTemplate(
  template: DirectiveTemplate,
  region: RegionConfig,
  directiveId: string,
  now: number,
): DraftStart {
  const content = fillTemplate(template, region, new Date(now).toISOString(), directiveId);
  return {
    directiveId,
    form: formFromContent(content),
    base: content,
    templateId: template.id,
    templateContent: content,
    baseVersion: 0,
  };
}

/** A new directive begun blank. */
export const startBlank = (directiveId: string, now: number): DraftStart => ({
  directiveId,
  form: blankForm(now),
  base: null,
  templateId: null,
  templateContent: null,
  baseVersion: 0,
});

/**
 * Drafting on an existing directive: its saved draft while there is one (and it was written
 * on the latest version), otherwise the latest decided version, which redrafting starts from.
 */
export function startFromDirective(directive: Directive): DraftStart {
  const versions = directive.versions.length;
  const draft = directive.draft;
  if (draft && draft.baseVersion === versions) {
    return {
      directiveId: directive.id,
      form: formFromContent(draft.content),
      base: draft.content,
      templateId: draft.templateId,
      templateContent: draft.templateContent,
      baseVersion: versions,
    };
  }
  const latest = directive.versions.at(-1);
  const content = latest?.content ?? draft?.content ?? null;
  return {
    directiveId: directive.id,
    form: content ? formFromContent(content) : blankForm(Date.now()),
    base: content,
    templateId: null,
    templateContent: null,
    baseVersion: versions,
  };
}
