import type { State } from '@lagesbild/shared';
import { useEffect, useRef } from 'react';
import { usePicture } from '../stores/picture';
import { initialDirectiveWatch, watchDirectives } from './wall-directive';

/**
 * Calls `onDecided` with the incident each time a new version of one of its directives is
 * decided while the wall runs. The picture is watched outside React's render, not through
 * the throttled frame, so the rotation turns to the incident with the very batch that
 * brought the decision.
 */
export function useDirectiveFocus(onDecided: (incidentId: string) => void): void {
  const decided = useRef(onDecided);
  useEffect(() => {
    decided.current = onDecided;
  }, [onDecided]);

  useEffect(() => {
    let watch = initialDirectiveWatch();
    let seen: State['directives'] | null = null;
    const check = ({ state, epoch }: { state: State; epoch: string | null }) => {
      // Most events are reports and check-ins: nothing to compare unless directives changed.
      if (state.directives === seen && epoch !== null) return;
      seen = state.directives;
      const result = watchDirectives(watch, state, epoch !== null);
      watch = result.watch;
      for (const incidentId of result.decided) decided.current(incidentId);
    };
    check(usePicture.getState());
    return usePicture.subscribe(check);
  }, []);
}
