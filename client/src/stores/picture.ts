import { initialState, stateHash, type State, type SyncEvents, type SyncSnapshot } from '@lagesbild/shared';
import { create } from 'zustand';
import { foldBatch, fromSnapshot, type FoldOutcome, type Picture } from './picture-fold';

type PictureStore = Picture & {
  /** Folds a batch; returns what happened so the caller can react to an epoch change. */
  foldEvents: (batch: SyncEvents) => FoldOutcome;
  replaceWithSnapshot: (snapshot: SyncSnapshot) => void;
  reset: () => void;
};

const empty = (): Picture => ({ state: initialState(), lastSeq: 0, epoch: null });

/**
 * The common situational picture as this viewer may see it. Components select slices;
 * the shared reducer gives changed collections new references, so selectors stay cheap.
 */
export const usePicture = create<PictureStore>()((set, get) => ({
  ...empty(),
  foldEvents: (batch) => {
    const outcome = foldBatch(get(), batch);
    if (outcome.kind === 'folded') set(outcome.picture);
    return outcome;
  },
  replaceWithSnapshot: (snapshot) => set(fromSnapshot(snapshot)),
  reset: () => set(empty()),
}));

const hashes = new WeakMap<State, string>();

/**
 * The shared `stateHash` of a state, remembered per state object: hashing a large picture
 * costs milliseconds, and soak scripts ask often while the state rarely changes.
 */
export function hashOf(state: State): string {
  let hash = hashes.get(state);
  if (hash === undefined) {
    hash = stateHash(state);
    hashes.set(state, hash);
  }
  return hash;
}

/** The hash of the current picture, comparable with the hub's hash of the same projection. */
export const pictureHash = (): string => hashOf(usePicture.getState().state);
