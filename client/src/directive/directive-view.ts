import {
  fillTemplate,
  type Directive,
  type DirectiveContent,
  type DirectiveTemplate,
  type Incident,
  type RegionConfig,
} from '@lagesbild/shared';
import { blankForm, formFromContent } from './directive-form';
import type { DraftStart } from './DraftEditor';

/**
 * A new directive begun from a prepared one: the form holds what the template fills in for
 * this incident (its summoned actors, its area), as the hub fills it when the draft is saved.
 */
export function startFromTemplate(
  template: DirectiveTemplate,
  region: RegionConfig,
  incident: Pick<Incident, 'area' | 'summonedActorIds'>,
  directiveId: string,
  now: number,
): DraftStart {
  const content = fillTemplate(template, region, new Date(now).toISOString(), directiveId, incident);
  return {
    directiveId,
    form: formFromContent(content),
    base: content,
    templateId: template.id,
    templateContent: content,
    firstFill: true,
    baseVersion: 0,
    baseDraftSeq: null,
  };
}

/** A new directive begun blank. */
export const startBlank = (directiveId: string, now: number): DraftStart => ({
  directiveId,
  form: blankForm(now),
  base: null,
  templateId: null,
  templateContent: null,
  firstFill: false,
  baseVersion: 0,
  baseDraftSeq: null,
});

/**
 * Drafting on an existing directive: its saved draft while there is one (and it was written
 * on the latest version), otherwise the latest decided version, which redrafting starts from.
 * `templateContent` is what the saved draft's template suggested (`draftTemplateContent`).
 * Either way the start names the draft saved now, which the hub checks the rewrite against.
 */
export function startFromDirective(
  directive: Directive,
  templateContent: DirectiveContent | null,
): DraftStart {
  const versions = directive.versions.length;
  const draft = directive.draft;
  const baseDraftSeq = draft?.seq ?? null;
  if (draft && draft.baseVersion === versions) {
    return {
      directiveId: directive.id,
      form: formFromContent(draft.content),
      base: draft.content,
      templateId: draft.templateId,
      templateContent,
      firstFill: false,
      baseVersion: versions,
      baseDraftSeq,
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
    firstFill: false,
    baseVersion: versions,
    baseDraftSeq,
  };
}
