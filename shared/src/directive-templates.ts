import type { AreaGeometry } from './geo.js';
import type { DirectiveContent, DirectiveItem, DirectiveTemplate } from './directive-model.js';
import { stateHash } from './hash.js';
import { LIMITS } from './limits.js';
import type { IncidentKind, State } from './model.js';
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

/**
 * The content a template suggests for a new directive: each template item becomes one item
 * for every actor of its kind (in the region file's order), valid from `now` for the
 * template's validity, reviewed after its review interval. Item ids are derived from the
 * directive's id and the item's place (`templateItemId`), so the form and the hub fill the
 * same template with the same ids and the draft's diff against it shows only real changes.
 * A region with many actors of a kind could make more items than a directive may hold: the
 * first `LIMITS.maxDirectiveItems` are kept.
 */
export function fillTemplate(
  template: DirectiveTemplate,
  region: Pick<RegionConfig, 'actors'>,
  now: string,
  directiveId: string,
  area: AreaGeometry | null = null,
): DirectiveContent {
  const items: DirectiveItem[] = [];
  for (const { actorKind, text } of template.items) {
    for (const actor of region.actors.filter((a) => a.kind === actorKind)) {
      items.push({ id: templateItemId(directiveId, items.length), text, ownerActorId: actor.id });
    }
  }
  const start = Date.parse(now);
  return {
    purpose: template.purpose,
    priorities: [...template.priorities],
    items: items.slice(0, LIMITS.maxDirectiveItems),
    area,
    limits: template.limits,
    validFrom: new Date(start).toISOString(),
    validUntil: new Date(start + template.validityHours * HOUR_MS).toISOString(),
    reviewAt: new Date(start + template.reviewIntervalHours * HOUR_MS).toISOString(),
    underReadiness: false,
  };
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
