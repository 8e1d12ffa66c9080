import type { State } from '@lagesbild/shared';
import { useEffect, useRef } from 'react';
import { usePicture } from '../stores/picture';
import { initialMessageWatch, watchMessages } from './wall-message';

/**
 * Calls `onNews` with the incident each time its joint message is newly agreed, or
 * withdrawn after agreement, while the wall runs. The picture is watched outside React's
 * render, not through the throttled frame, so the rotation turns to the incident with the
 * very batch that brought the agreement (as `useDirectiveFocus` does for directives).
 */
export function useMessageFocus(onNews: (incidentId: string) => void): void {
  const news = useRef(onNews);
  useEffect(() => {
    news.current = onNews;
  }, [onNews]);

  useEffect(() => {
    let watch = initialMessageWatch();
    let seen: State['jointMessages'] | null = null;
    const check = ({ state, epoch }: { state: State; epoch: string | null }) => {
      // Most events are reports and check-ins: nothing to compare unless messages changed.
      if (state.jointMessages === seen && epoch !== null) return;
      seen = state.jointMessages;
      const result = watchMessages(watch, state, epoch !== null);
      watch = result.watch;
      for (const incidentId of result.news) news.current(incidentId);
    };
    check(usePicture.getState());
    return usePicture.subscribe(check);
  }, []);
}
