import type { Directive, DirectiveContent, DirectiveItem, DirectiveTemplate } from './directive-model.js';
import { stateHash } from './hash.js';
import type { Incident, IncidentKind, State } from './model.js';
import { ownEntry } from './records.js';
import type { RegionConfig } from './region.js';

// Prepared directives (förberedda inriktningar): which are offered, and the draft a template
// fills in. Pure, so the client's form and the hub's `decide` fill a template the same way.

const HOUR_MS = 3_600_000;

/**
 * The templates offered: the region file's, each replaced or hidden by one saved or removed
 * through the app under the same id, then those only saved through the app, oldest first.
 */
export function directiveTemplatesOf(
  region: Pick<RegionConfig, 'directiveTemplates'>,
  state: Pick<State, 'directiveTemplates'>,
): DirectiveTemplate[] {
  const fromFile = new Set(region.directiveTemplates.map((t) => t.id));
  const overridden = region.directiveTemplates.map((t) => {
    const saved = ownEntry(state.directiveTemplates, t.id);
    return saved ? saved.template : t;
  });
  const appOnly = Object.values(state.directiveTemplates)
    .filter((saved) => saved.template !== null && !fromFile.has(saved.template.id))
    .sort((a, b) => a.seq - b.seq)
    .map((saved) => saved.template);
  return [...overridden, ...appOnly].filter((t): t is DirectiveTemplate => t !== null);
}

/** The offered templates with those for the incident's kind first, each group in its own order. */
export function directiveTemplatesFor(
  region: Pick<RegionConfig, 'directiveTemplates'>,
  state: Pick<State, 'directiveTemplates'>,
  kind: IncidentKind,
): DirectiveTemplate[] {
  const all = directiveTemplatesOf(region, state);
  const forKind = (t: DirectiveTemplate) => t.incidentKinds.includes(kind);
  return [...all.filter(forKind), ...all.filter((t) => !forKind(t))];
}

/** What of the incident a filled template takes: its area, and the actors it summoned. */
export type TemplateIncident = Pick<Incident, 'area' | 'summonedActorIds'>;

/**
 * The actors that get a template's items: the incident's summoned actors (in the region
 * file's order); every actor of the region when there is no incident or it summons none of
 * them. An actor kind nobody summoned gets no item: the directive is for those taking part.
 */
function templateOwners(region: Pick<RegionConfig, 'actors'>, incident: TemplateIncident | null) {
  const summoned = new Set(incident?.summonedActorIds ?? []);
  const taking = region.actors.filter((a) => summoned.has(a.id));
  return taking.length > 0 ? taking : region.actors;
}

/**
 * How many items a template fills in at most in a region: for every actor of each item's
 * kind, as for an incident summoning everybody. The region file's templates and those an
 * administrator saves must stay within `LIMITS.maxDirectiveItems` by this count, so no filled
 * template is ever cut short.
 */
export const mostItemsFilled = (
  template: Pick<DirectiveTemplate, 'items'>,
  region: Pick<RegionConfig, 'actors'>,
): number =>
  template.items.reduce(
    (n, { actorKind }) => n + region.actors.filter((a) => a.kind === actorKind).length,
    0,
  );

/**
 * The content a template suggests for a new directive of an incident: each template item
 * becomes one item for every summoned actor of its kind (`templateOwners`, in the region
 * file's order), the incident's area, valid from `now` for the template's validity, reviewed
 * after its review interval. Item ids are derived from the directive's id and the item's
 * place (`templateItemId`), so the form and the hub fill the same template with the same ids
 * and the draft's diff against it shows only real changes.
 */
export function fillTemplate(
  template: DirectiveTemplate,
  region: Pick<RegionConfig, 'actors'>,
  now: string,
  directiveId: string,
  incident: TemplateIncident | null = null,
): DirectiveContent {
  const owners = templateOwners(region, incident);
  const items: DirectiveItem[] = [];
  for (const { actorKind, text } of template.items) {
    for (const actor of owners.filter((a) => a.kind === actorKind)) {
      items.push({ id: templateItemId(directiveId, items.length), text, ownerActorId: actor.id });
    }
  }
  const start = Date.parse(now);
  return {
    purpose: template.purpose,
    priorities: [...template.priorities],
    items,
    area: incident?.area ?? null,
    limits: template.limits,
    validFrom: new Date(start).toISOString(),
    validUntil: new Date(start + template.validityHours * HOUR_MS).toISOString(),
    reviewAt: new Date(start + template.reviewIntervalHours * HOUR_MS).toISOString(),
    underReadiness: false,
  };
}

/**
 * What a draft's template suggested, filled again from the template as it is offered now,
 * at the time the hub first filled it for the draft (`templateFilledAt`), for the incident
 * as it is now: what the draft's "from the template / changed" marks compare with. Null for
 * a draft without a template, or whose template has been removed since.
 */
export function draftTemplateContent(
  directive: Pick<Directive, 'id' | 'incidentId' | 'draft'>,
  region: Pick<RegionConfig, 'actors' | 'directiveTemplates'>,
  state: Pick<State, 'directiveTemplates' | 'incidents'>,
): DirectiveContent | null {
  const draft = directive.draft;
  if (!draft?.templateId || !draft.templateFilledAt) return null;
  const template = directiveTemplatesOf(region, state).find((t) => t.id === draft.templateId);
  if (!template) return null;
  const incident = ownEntry(state.incidents, directive.incidentId) ?? null;
  return fillTemplate(template, region, draft.templateFilledAt, directive.id, incident);
}

/**
 * The id of the `index`th item a template fills in for a directive: a UUID (version 5's
 * layout, though not its SHA-1) whose 122 free bits are two 64-bit `stateHash`es of the
 * directive id and the index. The same inputs give the same id everywhere; different
 * directives or places give different ids.
 */
export function templateItemId(directiveId: string, index: number): string {
  const hex = stateHash(`${directiveId}#${index}#a`) + stateHash(`${directiveId}#${index}#b`);
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
