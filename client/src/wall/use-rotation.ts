import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { focusIncident, initialRotation, tickRotation, type RotationState } from './rotation';

/** How often the rotation looks at the clock; a turn lasts many of these. */
const TICK_MS = 1_000;

/**
 * Rotates through the incidents in activated mode. One interval for the page's life; the
 * pure `tickRotation` returns the same object when nothing changes, so React skips the
 * render on most ticks. The current incident may have been closed since the last tick:
 * callers fall back to the first active one.
 */
export function useRotation(activeIds: readonly string[]): {
  rotation: RotationState;
  /** Puts an incident on screen now, for `holdMs` (a new activation's hold unless told). */
  focus: (incidentId: string, holdMs?: number) => void;
} {
  const [rotation, setRotation] = useState(() => initialRotation(Date.now()));
  const idsRef = useRef(activeIds);

  // The next tick picks the change up; until then the caller shows the first incident
  // when the current one is gone.
  // In the commit itself, so no tick can see the list of before the render.
  useLayoutEffect(() => {
    idsRef.current = activeIds;
  }, [activeIds]);

  useEffect(() => {
    const timer = setInterval(
      () => setRotation((current) => tickRotation(current, idsRef.current, Date.now())),
      TICK_MS,
    );
    return () => clearInterval(timer);
  }, []);

  const focus = useCallback(
    (incidentId: string, holdMs?: number) => setRotation(focusIncident(incidentId, Date.now(), holdMs)),
    [],
  );
  return { rotation, focus };
}
