import {
  DIRECTIVE_FIELDS,
  type Directive,
  type DirectiveContent,
  type DirectiveField,
  type DirectiveItem,
  type DirectiveVersion,
  type ItemFollowUp,
} from './directive-model.js';
import { canonicalJson } from './hash.js';
import type { State } from './model.js';
import type { RegionConfig } from './region.js';

// Derived views of joint directives, shared by `decide` and every client surface, so the
// dashboard, the wall and the phone show the same version in force and the same follow-up.

/** Where a directive first appeared in the log: its first version, or its first draft. */
const firstSeq = (d: Directive) => Math.min(d.versions[0]?.seq ?? Infinity, d.draft?.seq ?? Infinity);

/** The directives of an incident, in the order they were begun. */
export const directivesOf = (state: Pick<State, 'directives'>, incidentId: string): Directive[] =>
  Object.values(state.directives)
    .filter((d) => d.incidentId === incidentId)
    .sort((a, b) => firstSeq(a) - firstSeq(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The incident's directive: `decide` lets an incident have one, so this is it. A log written
 * before that rule could hold more; then the first begun is the one, on every surface alike
 * (the tab, the incident's head, the wall and the phone all ask here).
 */
export const directiveOfIncident = (
  state: Pick<State, 'directives'>,
  incidentId: string,
): Directive | undefined => directivesOf(state, incidentId)[0];

/** The latest decided version, begun or not, expired or not; undefined before the first decision. */
export const latestVersion = (directive: Directive): DirectiveVersion | undefined =>
  directive.versions.at(-1);

/** Whether a version's validity has ended at `now` (it is valid until, not including, `validUntil`). */
export const hasExpired = (version: DirectiveVersion, now: string): boolean =>
  Date.parse(version.content.validUntil) <= Date.parse(now);

/**
 * Whether a version's validity has begun at `now`. One that starts no later than it was
 * decided has begun for anyone who sees it: a screen judges by a clock that ticks every
 * half minute, which can lag the hub's moment of decision, and the version would otherwise
 * show as "kommande" on the deciding person's own screen.
 */
export const hasBegun = (version: DirectiveVersion, now: string): boolean => {
  const from = Date.parse(version.content.validFrom);
  return from <= Date.parse(now) || from <= Date.parse(version.decidedAt);
};

/**
 * The version in force at `now`: of the versions that have begun, the one decided last,
 * until it expires. A version decided to begin later is upcoming (`upcomingVersion`) and the
 * one before it stays in force until it begins; once a later version has begun, the earlier
 * one is replaced and never in force again, even if the later one ends first.
 */
export function inForce(directive: Directive, now: string): DirectiveVersion | undefined {
  const begun = directive.versions.findLast((v) => hasBegun(v, now));
  return begun && !hasExpired(begun, now) ? begun : undefined;
}

/** The latest decided version while it has not begun yet ("kommande"); undefined otherwise. */
export function upcomingVersion(directive: Directive, now: string): DirectiveVersion | undefined {
  const latest = latestVersion(directive);
  return latest && !hasBegun(latest, now) ? latest : undefined;
}

/**
 * The incident's directive with its version in force now: what the incident's head, the
 * wall and the phone show as "the directive".
 */
export function directiveInForceOf(
  state: Pick<State, 'directives'>,
  incidentId: string,
  now: string,
): { directive: Directive; version: DirectiveVersion } | undefined {
  const directive = directiveOfIncident(state, incidentId);
  const version = directive && inForce(directive, now);
  return directive && version ? { directive, version } : undefined;
}

/** One field that differs between two contents, with both values for display. */
export type FieldChange = {
  [F in DirectiveField]: { field: F; before: DirectiveContent[F]; after: DirectiveContent[F] };
}[DirectiveField];

/** The fields in which `after` differs from `before`, in the form's order. */
export function directiveDiff(before: DirectiveContent, after: DirectiveContent): FieldChange[] {
  return DIRECTIVE_FIELDS.filter((f) => canonicalJson(before[f]) !== canonicalJson(after[f])).map(
    (field) => ({ field, before: before[field], after: after[field] }) as FieldChange,
  );
}

/** The fields a new version changes: every field for the first, else those that differ. */
export const changedFieldsOf = (
  previous: DirectiveContent | undefined,
  next: DirectiveContent,
): DirectiveField[] => (previous ? directiveDiff(previous, next).map((c) => c.field) : [...DIRECTIVE_FIELDS]);

/** The items of the latest version that an actor owns, in the directive's order. */
export const itemsOwnedBy = (directive: Directive, actorId: string): DirectiveItem[] =>
  (latestVersion(directive)?.content.items ?? []).filter((item) => item.ownerActorId === actorId);

const sameItem = (a: DirectiveItem | undefined, b: DirectiveItem | undefined) =>
  a !== undefined && b !== undefined && a.text === b.text && a.ownerActorId === b.ownerActorId;

/** Every follow-up of an item, oldest version first: the confirmations and reports kept. */
export const followUpsOf = (directive: Directive, itemId: string): ItemFollowUp[] =>
  Object.values(directive.followUps)
    .filter((f) => f.itemId === itemId)
    .sort((a, b) => a.version - b.version);

/**
 * The owner's confirmation of an item as it stands in the latest version: a confirmation
 * still holds while every version decided since left the item as it was confirmed; a
 * changed (or reassigned) item needs a new one. Earlier confirmations stay in the
 * directive's follow-ups (`followUpsOf`) for the record.
 */
export function confirmationOf(directive: Directive, itemId: string): ItemFollowUp | undefined {
  const followUp = followUpsOf(directive, itemId).at(-1);
  if (!followUp) return undefined;
  const itemIn = (v: DirectiveVersion | undefined) => v?.content.items.find((i) => i.id === itemId);
  const confirmed = itemIn(directive.versions[followUp.version - 1]);
  const later = directive.versions.slice(followUp.version);
  return later.every((v) => sameItem(confirmed, itemIn(v))) && confirmed ? followUp : undefined;
}

/** One row of the follow-up: an item of the latest version, its owner, and how far it got. */
export type FollowUpRow = {
  itemId: string;
  text: string;
  ownerActorId: string;
  /** The owner's confirmation that still holds for this version, if any. */
  confirmedAt: string | null;
  confirmedBy: ItemFollowUp['confirmedBy'] | null;
  outcome: ItemFollowUp['outcome'];
  outcomeText: string;
  reportedAt: string | null;
  /** The review time has passed and the owner has not reported the item done. */
  overdue: boolean;
  /** The item's follow-ups of earlier versions that no longer hold, oldest first, for the record. */
  earlier: ItemFollowUp[];
};

/**
 * The follow-up matrix of a directive's latest version: one row per item, grouped by owner
 * in the region file's order of actors (the directive's order within an owner). Empty
 * before the first decision.
 */
export function followUpMatrix(
  directive: Directive,
  region: Pick<RegionConfig, 'actors'>,
  now: string,
): FollowUpRow[] {
  const latest = latestVersion(directive);
  if (!latest) return [];
  const reviewPassed =
    latest.content.reviewAt !== null && Date.parse(latest.content.reviewAt) <= Date.parse(now);
  const actorOrder = new Map(region.actors.map((a, i) => [a.id, i]));
  const place = (item: DirectiveItem) => actorOrder.get(item.ownerActorId) ?? region.actors.length;
  const items = latest.content.items.map((item, index) => ({ item, index }));
  items.sort((a, b) => place(a.item) - place(b.item) || a.index - b.index);
  return items.map(({ item }) => {
    const confirmation = confirmationOf(directive, item.id);
    const outcome = confirmation?.outcome ?? null;
    return {
      itemId: item.id,
      text: item.text,
      ownerActorId: item.ownerActorId,
      confirmedAt: confirmation?.confirmedAt ?? null,
      confirmedBy: confirmation?.confirmedBy ?? null,
      outcome,
      outcomeText: confirmation?.outcomeText ?? '',
      reportedAt: confirmation?.reportedAt ?? null,
      overdue: reviewPassed && outcome !== 'done',
      earlier: followUpsOf(directive, item.id).filter((f) => f !== confirmation),
    };
  });
}
