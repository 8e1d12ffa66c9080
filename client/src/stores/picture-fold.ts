import { apply, type State, type SyncEvents, type SyncSnapshot } from '@lagesbild/shared';

/** The client's copy of the viewer's projection and the log position it reflects. */
export type Picture = {
  state: State;
  /** The last event folded (or the snapshot's position); 0 before anything. */
  lastSeq: number;
  /** The log epoch the state came from; null before the first snapshot or batch. */
  epoch: string | null;
};

/** What folding one batch did. */
export type FoldOutcome =
  | { kind: 'folded'; picture: Picture; applied: number }
  /** The batch is from another log epoch: our state cannot be continued, only replaced. */
  | { kind: 'epochMismatch' };

/**
 * Folds a `sync.events` batch with the shared reducer. Events at or below `lastSeq` are
 * skipped, so a replayed batch (a reconnect racing a live event) changes nothing. The
 * position then moves to `headSeq`, which may be past the last event when later events
 * were not for this viewer; it never moves backwards.
 */
export function foldBatch(picture: Picture, batch: SyncEvents): FoldOutcome {
  if (picture.epoch !== null && batch.epoch !== picture.epoch) return { kind: 'epochMismatch' };
  let state = picture.state;
  let lastSeq = picture.lastSeq;
  let applied = 0;
  for (const event of batch.events) {
    if (event.seq <= lastSeq) continue;
    state = apply(state, event);
    lastSeq = event.seq;
    applied++;
  }
  return {
    kind: 'folded',
    picture: { state, lastSeq: Math.max(lastSeq, batch.headSeq), epoch: batch.epoch },
    applied,
  };
}

/** A snapshot replaces everything: state, position and epoch. */
export const fromSnapshot = (snapshot: SyncSnapshot): Picture => ({
  state: snapshot.state,
  lastSeq: snapshot.seq,
  epoch: snapshot.epoch,
});
