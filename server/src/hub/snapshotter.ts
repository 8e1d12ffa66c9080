import type { Logger } from '../logger.js';
import type { EventLog } from '../log/event-log.js';
import type { HubState } from './hub-state.js';

/**
 * Stores a snapshot every `every` events so that start-up replays at most that many. One
 * save runs at a time; a save that fails is retried at the next event.
 */
export function startSnapshots(hub: HubState, log: EventLog, every: number, logger: Logger): () => void {
  let lastSaved = hub.headSeq;
  let saving = false;
  return hub.onEvents(() => {
    if (saving || hub.headSeq - lastSaved < every) return;
    saving = true;
    const seq = hub.headSeq;
    // The state is serialised synchronously inside saveSnapshot before any await, so later
    // events cannot leak into a snapshot labelled `seq`.
    log
      .saveSnapshot({ seq, state: hub.state, directory: hub.directory })
      .then(() => {
        lastSaved = seq;
        logger.debug({ seq }, 'snapshot saved');
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message, seq }, 'snapshot failed'))
      .finally(() => {
        saving = false;
      });
  });
}
