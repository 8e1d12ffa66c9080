import {
  commandPayloads,
  LIMITS,
  type CommandPayload,
  type Incident,
  type IncidentKind,
  type Position,
  type RegionConfig,
} from '@lagesbild/shared';
import { summonedActorIds } from './actors';
import { geometryFromPositions } from './drawing';
import { fromLocalInput, toLocalInput } from './format';

/** The edit dialog as filled in, made from the incident as it was when editing began. */
export type IncidentEditDraft = {
  title: string;
  kind: IncidentKind;
  description: string;
  /** The area's outline as drawn, without the closing vertex; empty for no area. */
  area: Position[];
  /** Actors to summon on top of those already summoned (who cannot be removed here). */
  addedActorIds: string[];
  /** The value of the datetime-local input; empty for "not decided". */
  nextConference: string;
};

/** The parts of an incident the dialog edits, named for labels and for "changed by others". */
export const EDITED_FIELDS = ['title', 'kind', 'description', 'area', 'summoned', 'nextConference'] as const;
export type EditedField = (typeof EDITED_FIELDS)[number];

export type IncidentEditProblem =
  'required' | 'tooLong' | 'areaTooSmall' | 'badTime' | 'unchanged' | 'invalid';
export type IncidentEditProblems = Partial<
  Record<'title' | 'description' | 'area' | 'nextConference' | 'form', IncidentEditProblem>
>;

/** The outer ring of the area as vertices, without GeoJSON's repeated first vertex. */
function outline(incident: Incident): Position[] {
  const ring = incident.area?.coordinates[0] ?? [];
  return ring.slice(0, -1);
}

const samePositions = (a: readonly Position[], b: readonly Position[]): boolean =>
  a.length === b.length && a.every((p, i) => p[0] === b[i]?.[0] && p[1] === b[i]?.[1]);

/** The draft of an untouched dialog: the incident as it is. */
export function incidentEditDraft(incident: Incident): IncidentEditDraft {
  return {
    title: incident.title,
    kind: incident.kind,
    description: incident.description,
    area: outline(incident),
    addedActorIds: [],
    nextConference: toLocalInput(incident.nextConferenceAt),
  };
}

/** Which parts of the draft differ from the incident it was made from. */
export function changedFields(draft: IncidentEditDraft, base: Incident): Set<EditedField> {
  const untouched = incidentEditDraft(base);
  const changed = new Set<EditedField>();
  if (draft.title.trim() !== untouched.title) changed.add('title');
  if (draft.kind !== untouched.kind) changed.add('kind');
  if (draft.description !== untouched.description) changed.add('description');
  if (!samePositions(draft.area, untouched.area)) changed.add('area');
  if (draft.addedActorIds.length > 0) changed.add('summoned');
  if (draft.nextConference !== untouched.nextConference) changed.add('nextConference');
  return changed;
}

/** What someone else changed between two versions of the incident, in the dialog's terms. */
export function changedBetween(older: Incident, newer: Incident): Set<EditedField> {
  const changed = changedFields(incidentEditDraft(newer), older);
  const before = new Set(older.summonedActorIds);
  const after = new Set(newer.summonedActorIds);
  if (before.size !== after.size || [...after].some((id) => !before.has(id))) changed.add('summoned');
  return changed;
}

/**
 * The person's edits carried over to a newer version of the incident: what they changed
 * stays theirs, what they left alone takes the newer value, and actors the newer version
 * already summons are no longer "added".
 */
export function rebaseDraft(
  draft: IncidentEditDraft,
  older: Incident,
  newer: Incident,
  region: RegionConfig,
): IncidentEditDraft {
  const mine = changedFields(draft, older);
  const fresh = incidentEditDraft(newer);
  const nowSummoned = new Set(summonedActorIds(newer, region));
  return {
    title: mine.has('title') ? draft.title : fresh.title,
    kind: mine.has('kind') ? draft.kind : fresh.kind,
    description: mine.has('description') ? draft.description : fresh.description,
    area: mine.has('area') ? draft.area : fresh.area,
    addedActorIds: draft.addedActorIds.filter((id) => !nowSummoned.has(id)),
    nextConference: mine.has('nextConference') ? draft.nextConference : fresh.nextConference,
  };
}

/**
 * Checks the draft and builds the `incident.update` payload with only what changed, made
 * on the version the draft was made from: a change someone made meanwhile makes the hub
 * refuse it as stale instead of one overwriting the other unseen.
 */
export function incidentUpdateFromDraft(
  draft: IncidentEditDraft,
  base: Incident,
  region: RegionConfig,
): { ok: true; payload: CommandPayload<'incident.update'> } | { ok: false; problems: IncidentEditProblems } {
  const problems: IncidentEditProblems = {};
  const title = draft.title.trim();
  if (title === '') problems.title = 'required';
  else if (title.length > LIMITS.maxShortTextLength) problems.title = 'tooLong';
  if (draft.description.length > LIMITS.maxTextLength) problems.description = 'tooLong';
  const area = draft.area.length === 0 ? null : geometryFromPositions('Polygon', draft.area);
  if (draft.area.length > 0 && area === null) problems.area = 'areaTooSmall';
  const nextConferenceAt = draft.nextConference === '' ? null : fromLocalInput(draft.nextConference);
  if (draft.nextConference !== '' && nextConferenceAt === null) problems.nextConference = 'badTime';
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const changed = changedFields(draft, base);
  if (changed.size === 0) return { ok: false, problems: { form: 'unchanged' } };
  const parsed = commandPayloads['incident.update'].safeParse({
    incidentId: base.id,
    ...(changed.has('title') ? { title } : {}),
    ...(changed.has('kind') ? { kind: draft.kind } : {}),
    ...(changed.has('description') ? { description: draft.description } : {}),
    ...(changed.has('area') ? { area: area?.type === 'Polygon' ? area : null } : {}),
    // The hub replaces the whole list, so the ones already summoned are sent along.
    ...(changed.has('summoned')
      ? { summonedActorIds: [...new Set([...summonedActorIds(base, region), ...draft.addedActorIds])] }
      : {}),
    ...(changed.has('nextConference') ? { nextConferenceAt } : {}),
    baseVersion: base.version,
  });
  if (!parsed.success) return { ok: false, problems: { form: 'invalid' } };
  return { ok: true, payload: parsed.data };
}
