import type { State } from '@lagesbild/shared';
import { create } from 'zustand';
import { usePicture } from '../stores/picture';

/**
 * How often the wall redraws the picture at most. A burst of a thousand events is two
 * redraws, not a thousand: a wall is read from across a room, and a small computer behind
 * it must keep up with the busiest hour of an activation. The first change after a quiet
 * frame is drawn at once (a conference step must reach the room within a second even on a
 * loaded machine); changes during the frame that follows are drawn together at its end.
 * A new activation does not wait for this either; the takeover watches the picture itself.
 */
export const WALL_FRAME_MS = 250;

/** The picture as the wall last drew it. */
export const useWallFrame = create<{ state: State }>()(() => ({ state: usePicture.getState().state }));

/** Starts feeding `useWallFrame` from the picture, throttled; returns the stop function. */
export function startWallFrames(frameMs = WALL_FRAME_MS): () => void {
  /** Set while a frame runs after a draw: changes then wait for its end. */
  let cooling: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const draw = () => {
    useWallFrame.setState({ state: usePicture.getState().state });
    cooling = setTimeout(endFrame, frameMs);
  };
  const endFrame = () => {
    cooling = undefined;
    if (!pending) return;
    pending = false;
    draw();
  };
  useWallFrame.setState({ state: usePicture.getState().state });
  const unsubscribe = usePicture.subscribe((picture, previous) => {
    if (picture.state === previous.state) return;
    if (cooling === undefined) draw();
    else pending = true;
  });
  return () => {
    unsubscribe();
    clearTimeout(cooling);
  };
}
