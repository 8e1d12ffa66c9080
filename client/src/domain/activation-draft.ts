import {
  commandPayloads,
  LIMITS,
  type CommandPayload,
  type IncidentKind,
  type Incident,
  type Position,
  type RegionConfig,
} from '@lagesbild/shared';
import { geometryFromPositions } from './drawing';
import { fromLocalInput } from './format';

/** The decision dialog as filled in. */
export type ActivationDraft = {
  title: string;
  kind: IncidentKind;
  description: string;
  /** The area's vertices as clicked; empty for no area. */
  area: Position[];
  summonedActorIds: string[];
  /** The value of the datetime-local input; empty for "not decided". */
  nextConference: string;
};

export type ActivationProblem = 'required' | 'tooLong' | 'noActors' | 'areaTooSmall' | 'badTime' | 'invalid';
export type ActivationProblems = Partial<
  Record<'title' | 'description' | 'area' | 'summoned' | 'nextConference' | 'form', ActivationProblem>
>;

/** A new decision: every actor summoned, prefilled from the request it answers. */
export function newActivationDraft(region: RegionConfig, request: Incident | null): ActivationDraft {
  return {
    title: request?.title ?? '',
    kind: request?.kind ?? 'other',
    description: request?.reason ?? '',
    area: [],
    summonedActorIds: region.actors.map((a) => a.id),
    nextConference: '',
  };
}

/** Checks the decision against the hub's limits and schema and builds the command payload. */
export function validateActivationDraft(
  draft: ActivationDraft,
  incidentId: string,
  region: RegionConfig,
): { ok: true; payload: CommandPayload<'incident.activate'> } | { ok: false; problems: ActivationProblems } {
  const problems: ActivationProblems = {};
  const title = draft.title.trim();
  if (title === '') problems.title = 'required';
  else if (title.length > LIMITS.maxShortTextLength) problems.title = 'tooLong';
  if (draft.description.length > LIMITS.maxTextLength) problems.description = 'tooLong';
  if (draft.summonedActorIds.length === 0) problems.summoned = 'noActors';
  const area = draft.area.length === 0 ? null : geometryFromPositions('Polygon', draft.area);
  if (draft.area.length > 0 && area === null) problems.area = 'areaTooSmall';
  const nextConferenceAt = draft.nextConference === '' ? null : fromLocalInput(draft.nextConference);
  if (draft.nextConference !== '' && nextConferenceAt === null) problems.nextConference = 'badTime';
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  // Summoning everybody is sent as "every actor", which the hub expands to the registry.
  const everybody = region.actors.every((a) => draft.summonedActorIds.includes(a.id));
  const parsed = commandPayloads['incident.activate'].safeParse({
    incidentId,
    title,
    kind: draft.kind,
    description: draft.description,
    area: area?.type === 'Polygon' ? area : null,
    summonedActorIds: everybody ? [] : draft.summonedActorIds,
    nextConferenceAt,
  });
  if (!parsed.success) return { ok: false, problems: { form: 'invalid' } };
  return { ok: true, payload: parsed.data };
}
