import type { State } from '@lagesbild/shared';
import { create } from 'zustand';
import { usePicture } from '../stores/picture';

/**
 * How often the wall redraws the picture at most. A burst of a thousand events is one
 * redraw, not a thousand: a wall is read from across a room, and a small computer behind
 * it must keep up with the busiest hour of an activation. A new activation does not wait
 * for this; the takeover watches the picture itself.
 */
export const WALL_FRAME_MS = 250;

/** The picture as the wall last drew it. */
export const useWallFrame = create<{ state: State }>()(() => ({ state: usePicture.getState().state }));

/** Starts feeding `useWallFrame` from the picture, throttled; returns the stop function. */
export function startWallFrames(frameMs = WALL_FRAME_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    timer = undefined;
    useWallFrame.setState({ state: usePicture.getState().state });
  };
  draw();
  const unsubscribe = usePicture.subscribe((picture, previous) => {
    if (picture.state === previous.state || timer !== undefined) return;
    timer = setTimeout(draw, frameMs);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
