/** How long the wall shows one incident before it moves to the next. */
export const ROTATE_MS = 20_000;

/**
 * A freshly activated incident stays on screen this long before the rotation resumes: the
 * minute of the full-screen takeover, then another minute in the normal view, so the room
 * sees its acknowledgements come in.
 */
export const FOCUS_HOLD_MS = 6 * ROTATE_MS;

/** An incident that just got a new directive in force stays on screen this long: the room reads it. */
export const DIRECTIVE_HOLD_MS = 3 * ROTATE_MS;

/** Which incident the wall shows, since when, and for how long before moving on. */
export type RotationState = { currentId: string | null; since: number; holdMs: number };

/** Where the rotation starts: nothing shown yet. */
export const initialRotation = (now: number): RotationState => ({
  currentId: null,
  since: now,
  holdMs: ROTATE_MS,
});

/**
 * Advances the rotation to `now` over the incidents in activated mode (oldest activation
 * first). Returns the same object when nothing changes, so a caller can skip a render.
 * The current incident stays while it is active and its time is not up; a closed one is
 * replaced at once; with a single incident there is nothing to rotate.
 */
export function tickRotation(
  state: RotationState,
  activeIds: readonly string[],
  now: number,
  intervalMs = ROTATE_MS,
): RotationState {
  const first = activeIds[0];
  if (first === undefined) {
    return state.currentId === null ? state : { currentId: null, since: now, holdMs: intervalMs };
  }
  const index = state.currentId === null ? -1 : activeIds.indexOf(state.currentId);
  if (index === -1) return { currentId: first, since: now, holdMs: intervalMs };
  if (activeIds.length === 1 || now - state.since < state.holdMs) return state;
  const next = activeIds[(index + 1) % activeIds.length] ?? first;
  return { currentId: next, since: now, holdMs: intervalMs };
}

/** Puts one incident on screen now (a new activation), holding it longer than a turn. */
export const focusIncident = (incidentId: string, now: number, holdMs = FOCUS_HOLD_MS): RotationState => ({
  currentId: incidentId,
  since: now,
  holdMs,
});

/** "2 / 3": the position of the current incident, for the rotation dots. */
export function rotationPosition(
  activeIds: readonly string[],
  currentId: string | null,
): { index: number; count: number } | null {
  if (currentId === null) return null;
  const index = activeIds.indexOf(currentId);
  return index === -1 ? null : { index, count: activeIds.length };
}
