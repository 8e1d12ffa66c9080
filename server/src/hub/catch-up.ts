import { canSeeEvent, projectState, type State, type StoredEvent, type Viewer } from '@lagesbild/shared';
import type { HubState } from './hub-state.js';

/** Catch-up is sent in pages so one reconnecting client never gets one enormous frame. */
export const CATCH_UP_PAGE = 1000;

/** What a (re)connecting client gets before live events. */
export type CatchUp =
  | { kind: 'events'; events: StoredEvent[]; headSeq: number }
  | { kind: 'snapshot'; seq: number; state: State };

/**
 * Decides between replaying events and sending a snapshot. A client is replayed only
 * when its state is from this log (same epoch) and the retained events reach back to
 * it; otherwise it gets its projection whole — never a silent partial replay.
 */
export function catchUpFor(
  hub: HubState,
  viewer: Viewer,
  client: { lastSeq?: number | undefined; epoch?: string | undefined },
): CatchUp {
  const snapshot = (): CatchUp => ({
    kind: 'snapshot',
    seq: hub.headSeq,
    state: projectState(hub.state, viewer),
  });
  if (client.lastSeq === undefined || client.epoch !== hub.epoch || client.lastSeq > hub.headSeq) {
    return snapshot();
  }
  const events = hub.eventsAfter(client.lastSeq);
  if (events === null) return snapshot();
  return { kind: 'events', events: events.filter((e) => canSeeEvent(viewer, e)), headSeq: hub.headSeq };
}
