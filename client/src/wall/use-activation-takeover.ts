import type { Incident, State } from '@lagesbild/shared';
import { useEffect, useRef, useState } from 'react';
import { usePicture } from '../stores/picture';
import { initialActivationWatch, watchActivations } from './activation-watch';

/** How long a new activation fills the screen before the normal view comes back (less than the focus hold). */
export const TAKEOVER_MS = 60_000;

/**
 * Watches the picture for activations that happen while the wall runs and returns the one
 * to show over everything, or null. `onAnnounce` runs once per new activation (the sound,
 * the rotation's focus). The store is watched outside React's render, so the takeover
 * appears with the very batch that brought the activation.
 */
export function useActivationTakeover(onAnnounce: (incident: Incident) => void): string | null {
  const [takeoverId, setTakeoverId] = useState<string | null>(null);
  const announce = useRef(onAnnounce);
  useEffect(() => {
    announce.current = onAnnounce;
  }, [onAnnounce]);

  useEffect(() => {
    let watch = initialActivationWatch();
    let seenIncidents: State['incidents'] | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = ({ state, epoch }: { state: State; epoch: string | null }) => {
      // Most events are reports and check-ins: nothing to compare unless incidents changed.
      if (state.incidents === seenIncidents && epoch !== null) return;
      seenIncidents = state.incidents;
      const result = watchActivations(watch, state, epoch !== null);
      watch = result.watch;
      const latest = result.announced.at(-1);
      if (!latest) return;
      for (const incident of result.announced) announce.current(incident);
      setTakeoverId(latest.id);
      clearTimeout(timer);
      timer = setTimeout(() => setTakeoverId(null), TAKEOVER_MS);
    };
    check(usePicture.getState());
    const unsubscribe = usePicture.subscribe(check);
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);

  return takeoverId;
}
