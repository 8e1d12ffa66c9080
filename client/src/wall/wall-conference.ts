import {
  acknowledgementOf,
  byLogOrder,
  CONFERENCE_STEPS,
  openActionItems,
  openConferenceOf,
  roundOrder,
  type ActionItem,
  type Conference,
  type ConferenceStep,
  type Incident,
  type RegionConfig,
  type State,
} from '@lagesbild/shared';
import { activeIncidentsOf } from './wall-view';

// What the wall shows of the coordination conference, derived from the picture by pure
// functions: the step and roll call while one runs, the decisions left open otherwise.

/** Open decisions listed on the wall; the rest are counted. */
export const DECISIONS_SHOWN = 3;

/**
 * One summoned actor's line in the roll call as the room reads it. An absent actor that
 * acknowledged the activation is told apart from one that never did: the first has been
 * reached and is busy, the second may not know the incident exists.
 */
export type RollCallState =
  'present' | 'represented' | 'absentAcknowledged' | 'absentUnacknowledged' | 'notCalled';

export type RollCallCell = {
  actorId: string;
  name: string;
  state: RollCallState;
  /** The representing actor's short name, when represented. */
  representedBy: string | null;
  /** Whether the actor acknowledged the activation; always true outside incidents. */
  acknowledged: boolean;
};

const shortName = (region: RegionConfig, actorId: string): string =>
  region.actors.find((a) => a.id === actorId)?.shortName ?? actorId;

/**
 * Every summoned actor in the order of the rounds (the convener first), so a cell never
 * moves while the roll call fills in. `incident` is null for an ordinary-mode conference,
 * where nobody was activated and so nobody is unacknowledged.
 */
export function rollCallCells(
  conference: Conference,
  incident: Incident | null,
  region: RegionConfig,
): RollCallCell[] {
  return roundOrder(region, conference).map((actorId) => {
    const entry = conference.rollCall[actorId];
    const acknowledged = incident === null || acknowledgementOf(incident, actorId) !== null;
    let state: RollCallState = 'notCalled';
    if (entry?.presence === 'present') state = 'present';
    else if (entry?.presence === 'represented') state = 'represented';
    else if (entry?.presence === 'absent')
      state = acknowledged ? 'absentAcknowledged' : 'absentUnacknowledged';
    return {
      actorId,
      name: shortName(region, actorId),
      state,
      representedBy: entry?.representedBy ? shortName(region, entry.representedBy.actorId) : null,
      acknowledged,
    };
  });
}

/** How many actors are in each roll-call state, for the line above the cells. */
export function rollCallCounts(cells: readonly RollCallCell[]): Record<RollCallState, number> {
  const counts: Record<RollCallState, number> = {
    present: 0,
    represented: 0,
    absentAcknowledged: 0,
    absentUnacknowledged: 0,
    notCalled: 0,
  };
  for (const cell of cells) counts[cell.state] += 1;
  return counts;
}

/** The step's place in the agenda, 0-based. */
export const stepIndex = (step: ConferenceStep): number => CONFERENCE_STEPS.indexOf(step);

/**
 * The incidents the wall rotates through, as ids. While a conference runs on some of them,
 * only those: the room follows the conference, and a rotation must not take its step
 * away from the screen. Otherwise every incident in activated mode, oldest activation first.
 */
export function wallRotationIds(state: Pick<State, 'incidents' | 'conferences'>): string[] {
  const active = activeIncidentsOf(state.incidents).map((i) => i.id);
  const conferring = active.filter((id) => openConferenceOf(state, id) !== undefined);
  return conferring.length > 0 ? conferring : active;
}

/**
 * The rotation's ids as one string, for a store selector: it is recomputed on every event
 * but changes (and re-renders) only when the list does.
 */
export const wallRotationKey = (state: Pick<State, 'incidents' | 'conferences'>): string =>
  wallRotationIds(state).join(',');

/**
 * The open decisions and action items of an incident (or, with null, of ordinary mode),
 * the earliest due first and those without a due time last: what the room must follow up.
 */
export function wallDecisions(
  state: Pick<State, 'actionItems'>,
  incidentId: string | null,
  limit = DECISIONS_SHOWN,
): { shown: ActionItem[]; more: number } {
  const open = openActionItems(state, { incidentId }).sort((a, b) => {
    if (a.dueAt !== b.dueAt) {
      if (a.dueAt === null) return 1;
      if (b.dueAt === null) return -1;
      return a.dueAt < b.dueAt ? -1 : 1;
    }
    return byLogOrder(a, b);
  });
  return { shown: open.slice(0, limit), more: Math.max(0, open.length - limit) };
}
