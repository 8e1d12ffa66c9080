import type { CommandPayload } from './commands.js';
import {
  notFound,
  placeProblem,
  requireOpenIncident,
  type Context,
  type Decision,
  type Refusal,
} from './decide-helpers.js';
import type { Directive, DirectiveContent, DirectiveItem, DirectiveVersion } from './directive-model.js';
import {
  changedFieldsOf,
  confirmationOf,
  directiveOfIncident,
  hasExpired,
  latestVersion,
} from './directive-selectors.js';
import { directiveTemplatesOf, fillTemplate, mostItemsFilled } from './directive-templates.js';
import { canonicalJson } from './hash.js';
import { LIMITS } from './limits.js';
import type { State } from './model.js';
import { ownEntry } from './records.js';
import { fail, succeed } from './result.js';

// Joint directives: one function per command, pure like the rest of `decide`. The region
// file says who may send each command (coordinators draft, the directing level decides,
// owners confirm and report, admins keep templates); here what depends on the state is
// checked, and the directing level once more (defence in depth: a region file whose rights
// gave `directive.decide` to a function of another level would still not let it decide).

const EXPIRED = 'The directive has expired';

const isRefusal = <T extends object>(value: T | Refusal): value is Refusal =>
  'ok' in value && value.ok === false;

/** The directive, or the refusal for a missing one. */
const findDirective = (state: State, directiveId: string): Directive | Refusal =>
  ownEntry(state.directives, directiveId) ?? notFound('directive');

/** Refuses a sender whose function is not at the directing level in the region file. */
function requireDirecting(ctx: Context): Refusal | null {
  const fn = ctx.region.functions.find((f) => f.id === ctx.by.functionId);
  return fn?.level === 'directing'
    ? null
    : fail('forbidden', 'Only the directing level (head or deputy) may decide a directive');
}

/**
 * Refuses a change made on an older number of decided versions than there are now, as
 * `stale` (without details: those name only incidents and reports; the sender's picture
 * has the newer version).
 */
function requireBaseVersion(directive: Directive | undefined, baseVersion: number): Refusal | null {
  const decided = directive?.versions.length ?? 0;
  if (baseVersion === decided) return null;
  return baseVersion < decided
    ? fail('stale', `Version ${decided} has been decided since`)
    : fail('bad_request', `The directive has no version ${baseVersion}; ${decided} are decided`);
}

/** Refuses a draft rewritten on another draft than the one saved now (somebody saved since). */
function requireBaseDraft(directive: Directive | undefined, baseDraftSeq: number | null): Refusal | null {
  const draft = directive?.draft ?? null;
  if ((draft?.seq ?? null) === baseDraftSeq) return null;
  return draft
    ? fail('stale', `The draft has been saved since by ${draft.by.userName}`)
    : fail('stale', 'The draft you rewrote is no longer there');
}

/** The latest decided version while it has not expired (in force, or still to begin), or the refusal. */
function requireLatestValid(directive: Directive, now: string): DirectiveVersion | Refusal {
  const latest = latestVersion(directive);
  if (!latest) return fail('conflict', 'No version of the directive has been decided yet');
  return hasExpired(latest, now) ? fail('conflict', EXPIRED) : latest;
}

/** The item of the version in force that the sender's actor owns, or the refusal. */
function ownedItem(
  version: DirectiveVersion,
  itemId: string,
  ctx: Context,
  doing: string,
): DirectiveItem | Refusal {
  const item = version.content.items.find((i) => i.id === itemId);
  if (!item) return fail('not_found', `No such item in version ${version.version} of the directive`);
  if (item.ownerActorId !== ctx.by.actorId) {
    return fail('forbidden', `${doing} another actor's item: only ${item.ownerActorId} may`);
  }
  return item;
}

/** What the schema cannot see in a directive's content: times in order, owners, ids, place, readiness. */
function contentProblem(state: State, content: DirectiveContent, ctx: Context): Refusal | null {
  const from = Date.parse(content.validFrom);
  if (Date.parse(content.validUntil) <= from) {
    return fail('bad_request', 'The validity period ends before it starts');
  }
  if (content.reviewAt !== null && Date.parse(content.reviewAt) < from) {
    return fail('bad_request', 'The review time is before the directive becomes valid');
  }
  const known = new Set(ctx.region.actors.map((a) => a.id));
  const unknownOwners = [...new Set(content.items.map((i) => i.ownerActorId))].filter((id) => !known.has(id));
  if (unknownOwners.length > 0) {
    return fail('bad_request', `Unknown item owner(s): ${unknownOwners.join(', ')}`);
  }
  if (new Set(content.items.map((i) => i.id)).size !== content.items.length) {
    return fail('bad_request', 'Two items have the same id');
  }
  const badArea = content.area && placeProblem(ctx.region, "The directive's area", content.area);
  if (badArea) return badArea;
  if (content.underReadiness && state.readiness.level === 'none') {
    return fail(
      'bad_request',
      'A directive is made under heightened readiness only while readiness is heightened',
    );
  }
  return null;
}

export function decideDirectiveDraft(
  state: State,
  p: CommandPayload<'directive.draft'>,
  ctx: Context,
): Decision {
  const incident = state.incidents[p.incidentId];
  const notActive = requireOpenIncident(incident, 'active');
  if (notActive || !incident) return notActive ?? notFound('incident');
  const existing = ownEntry(state.directives, p.directiveId);
  if (existing && existing.incidentId !== p.incidentId) {
    return fail('bad_request', 'The directive belongs to another incident');
  }
  // One directive per incident, so every surface shows the same one; a new situation is a
  // new version of it.
  const ofIncident = directiveOfIncident(state, p.incidentId);
  if (!existing && ofIncident) {
    return fail(
      'conflict',
      `The incident already has a directive (${ofIncident.id}): draft a new version of it`,
    );
  }
  const old = requireBaseVersion(existing, p.baseVersion) ?? requireBaseDraft(existing, p.baseDraftSeq);
  if (old) return old;
  const bad = contentProblem(state, p.content, ctx);
  if (bad) return bad;
  let templateFilledAt: string | null = null;
  if (p.templateId !== null) {
    const template = directiveTemplatesOf(ctx.region, state).find((t) => t.id === p.templateId);
    if (!template) return notFound('directive template');
    // A rewritten draft keeps the time its template was first filled, so its changes are
    // shown against the same suggestion, not against one filled at a later time.
    const earlier = existing?.draft;
    templateFilledAt =
      earlier?.templateId === p.templateId && earlier.templateFilledAt ? earlier.templateFilledAt : ctx.now;
    const filled = fillTemplate(template, ctx.region, templateFilledAt, p.directiveId, incident);
    if (filled.items.length > LIMITS.maxDirectiveItems) {
      return fail(
        'conflict',
        `The prepared directive fills in ${filled.items.length} items for this incident; a directive holds ${LIMITS.maxDirectiveItems}`,
      );
    }
  }
  return succeed([
    {
      type: 'directive.drafted',
      payload: {
        directiveId: p.directiveId,
        incidentId: p.incidentId,
        content: p.content,
        templateId: p.templateId,
        templateFilledAt,
        baseVersion: p.baseVersion,
      },
    },
  ]);
}

export function decideDirectiveDecide(
  state: State,
  p: CommandPayload<'directive.decide'>,
  ctx: Context,
): Decision {
  const notDirecting = requireDirecting(ctx);
  if (notDirecting) return notDirecting;
  const directive = findDirective(state, p.directiveId);
  if (isRefusal(directive)) return directive;
  const closed = requireOpenIncident(state.incidents[directive.incidentId], 'active');
  if (closed) return closed;
  const { draft, versions } = directive;
  // Stale first: a decider who read version n while n+1 was decided needs to hear that.
  const old = requireBaseVersion(directive, p.baseVersion);
  if (old) return old;
  if (!draft) return fail('conflict', 'There is nothing to decide: the directive has no draft');
  // The decision is of the draft the decider read, not of a rewrite saved meanwhile.
  if (draft.seq !== p.draftSeq) {
    return fail(
      'stale',
      `The draft has been saved since by ${draft.by.userName}: read it again before deciding`,
    );
  }
  if (draft.baseVersion !== versions.length) {
    return fail(
      'conflict',
      `The draft was written on version ${draft.baseVersion}; version ${versions.length} has been decided since`,
    );
  }
  if (Date.parse(draft.content.validUntil) <= Date.parse(ctx.now)) {
    return fail('conflict', "The draft's validity period has already ended");
  }
  if (draft.content.underReadiness && state.readiness.level === 'none') {
    return fail('conflict', 'Heightened readiness has been lifted since the draft was written');
  }
  if (versions.length >= LIMITS.maxDirectiveVersions) {
    return fail('conflict', `The directive has reached its ${LIMITS.maxDirectiveVersions} versions`);
  }
  const previous = versions.at(-1);
  const changedFields = changedFieldsOf(previous?.content, draft.content);
  if (changedFields.length === 0) {
    return fail('conflict', `The draft changes nothing in version ${versions.length}`);
  }
  return succeed([
    {
      type: 'directive.decided',
      payload: {
        directiveId: directive.id,
        version: versions.length + 1,
        content: draft.content,
        templateId: draft.templateId,
        changedFields,
        draftedBy: draft.by,
      },
    },
  ]);
}

export function decideDirectiveCosign(
  state: State,
  p: CommandPayload<'directive.cosign'>,
  ctx: Context,
): Decision {
  const notDirecting = requireDirecting(ctx);
  if (notDirecting) return notDirecting;
  const directive = findDirective(state, p.directiveId);
  if (isRefusal(directive)) return directive;
  const closed = requireOpenIncident(state.incidents[directive.incidentId], 'active');
  if (closed) return closed;
  const latest = requireLatestValid(directive, ctx.now);
  if (isRefusal(latest)) return latest;
  if (p.version !== latest.version) {
    return fail('conflict', `Version ${p.version} is not the latest; version ${latest.version} is`);
  }
  if (latest.deciders.some((d) => d.userId === ctx.by.userId)) {
    return fail('conflict', 'You have already decided this version');
  }
  return succeed([
    { type: 'directive.cosigned', payload: { directiveId: directive.id, version: latest.version } },
  ]);
}

export function decideDirectiveConfirm(
  state: State,
  p: CommandPayload<'directive.confirm'>,
  ctx: Context,
): Decision {
  const directive = findDirective(state, p.directiveId);
  if (isRefusal(directive)) return directive;
  const closed = requireOpenIncident(state.incidents[directive.incidentId], 'active');
  if (closed) return closed;
  const latest = latestVersion(directive);
  if (!latest) return fail('conflict', 'No version of the directive has been decided yet');
  const item = ownedItem(latest, p.itemId, ctx, 'Confirming');
  if (isRefusal(item)) return item;
  if (hasExpired(latest, ctx.now)) return fail('conflict', EXPIRED);
  if (confirmationOf(directive, item.id))
    return fail('conflict', 'Your actor has already confirmed this item');
  return succeed([
    {
      type: 'directive.confirmed',
      payload: { directiveId: directive.id, itemId: item.id, version: latest.version },
    },
  ]);
}

export function decideDirectiveReport(
  state: State,
  p: CommandPayload<'directive.reportItem'>,
  ctx: Context,
): Decision {
  const directive = findDirective(state, p.directiveId);
  if (isRefusal(directive)) return directive;
  const latest = latestVersion(directive);
  if (!latest) return fail('conflict', 'No version of the directive has been decided yet');
  const item = ownedItem(latest, p.itemId, ctx, 'Reporting on');
  if (isRefusal(item)) return item;
  if (hasExpired(latest, ctx.now)) return fail('conflict', EXPIRED);
  const confirmation = confirmationOf(directive, item.id);
  if (!confirmation)
    return fail('conflict', 'The item is not confirmed for the version in force: confirm it first');
  if (confirmation.outcome === p.outcome && confirmation.outcomeText === p.text) {
    return fail('conflict', 'The item has already been reported so');
  }
  const { directiveId, itemId, outcome, text } = p;
  const version = confirmation.version;
  return succeed([
    { type: 'directive.itemReported', payload: { directiveId, itemId, version, outcome, text } },
  ]);
}

export function decideTemplateSave(
  state: State,
  p: CommandPayload<'directiveTemplate.save'>,
  ctx: Context,
): Decision {
  const { template } = p;
  // Two administrators editing one template: the second hears of the first, not silently over it.
  const saved = ownEntry(state.directiveTemplates, template.id);
  if ((saved?.seq ?? null) !== p.baseSeq) {
    return saved
      ? fail('stale', `The prepared directive has been changed since by ${saved.by.userName}`)
      : fail('stale', "The prepared directive has been restored to the region file's since");
  }
  const current = directiveTemplatesOf(ctx.region, state).find((t) => t.id === template.id);
  if (current && canonicalJson(current) === canonicalJson(template)) {
    return fail('conflict', 'The prepared directive is already saved so');
  }
  if (new Set(template.incidentKinds).size !== template.incidentKinds.length) {
    return fail('bad_request', 'An incident kind is listed twice');
  }
  const filled = mostItemsFilled(template, ctx.region);
  if (filled > LIMITS.maxDirectiveItems) {
    return fail(
      'bad_request',
      `The prepared directive fills in ${filled} items for the region's actors; a directive holds ${LIMITS.maxDirectiveItems}`,
    );
  }
  return succeed([{ type: 'directiveTemplate.saved', payload: { template } }]);
}

export function decideTemplateRemove(
  state: State,
  p: CommandPayload<'directiveTemplate.remove'>,
  ctx: Context,
): Decision {
  if (!directiveTemplatesOf(ctx.region, state).some((t) => t.id === p.templateId)) {
    return notFound('directive template');
  }
  return succeed([{ type: 'directiveTemplate.removed', payload: { templateId: p.templateId } }]);
}

export function decideTemplateRestore(
  state: State,
  p: CommandPayload<'directiveTemplate.restore'>,
  ctx: Context,
): Decision {
  if (!ctx.region.directiveTemplates.some((t) => t.id === p.templateId)) {
    return fail('not_found', 'No such directive template in the region file');
  }
  if (!ownEntry(state.directiveTemplates, p.templateId)) {
    return fail('conflict', "The prepared directive is the region file's already");
  }
  return succeed([{ type: 'directiveTemplate.restored', payload: { templateId: p.templateId } }]);
}
