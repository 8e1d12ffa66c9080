import type { StoredEvent } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import type { HubState } from '../hub/hub-state.js';

type Publish = (events: readonly StoredEvent[], headSeq: number) => void;

/**
 * Sends what the hub folds to its sockets on the next turn of the event loop, in the order
 * it was folded. Events are folded as soon as they are durable, and the command service
 * answers their senders right after: the broadcast (serialising and writing to every
 * socket) no longer stands between a durable append and its ack. The sender's own socket
 * still gets the events, a moment after the ack.
 *
 * Batches folded in the same turn go out as one, with the head after the last of them:
 * never a head past events not yet sent, which would move clients beyond them. A socket
 * that connects in between may get some events in its catch-up and again here; clients
 * skip events at or below the seq they hold.
 */
export function publishAfterAnswers(hub: HubState, publish: Publish, logger: Logger): () => void {
  let pending: StoredEvent[] = [];
  let headSeq = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const events = pending;
    pending = [];
    try {
      publish(events, headSeq);
    } catch (error) {
      logger.error({ err: error, headSeq }, 'broadcast failed');
    }
  };
  return hub.onEvents((events) => {
    for (const event of events) pending.push(event);
    headSeq = hub.headSeq;
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  });
}
