import type { Logger } from '../base/logger.js';
import type { EventLog } from '../log/event-log.js';
import type { HubState } from './hub-state.js';

/**
 * The most of the hub's time saving snapshots may take. A save of a large state costs
 * seconds of (chunked, background) CPU; at a high command rate, saving every `every`
 * events would then keep a core busy, so a large state is saved less often instead.
 */
const MAX_SAVE_SHARE = 0.1;

/**
 * Stores a snapshot every `every` events so that start-up replays at most that many (more
 * when saves are slow, see MAX_SAVE_SHARE). One save runs at a time; a save that fails is
 * retried at the next event.
 */
export function startSnapshots(
  hub: HubState,
  log: Pick<EventLog, 'saveSnapshot'>,
  every: number,
  logger: Logger,
  now: () => number = Date.now,
): () => void {
  let lastSaved = hub.headSeq;
  let saving = false;
  let nextAllowedAt = 0;
  return hub.onEvents(() => {
    if (saving || hub.headSeq - lastSaved < every || now() < nextAllowedAt) return;
    saving = true;
    const seq = hub.headSeq;
    const started = now();
    // saveSnapshot captures the state synchronously before any await (the key and item
    // references of every map, not a serialisation), so later events cannot leak into a
    // snapshot labelled `seq`; it serialises and writes chunk by chunk afterwards.
    log
      .saveSnapshot({ seq, state: hub.state, directory: hub.directory })
      .then(() => {
        lastSaved = seq;
        logger.debug({ seq, ms: now() - started }, 'snapshot saved');
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message, seq }, 'snapshot failed'))
      .finally(() => {
        const took = now() - started;
        nextAllowedAt = now() + took * (1 / MAX_SAVE_SHARE - 1);
        saving = false;
      });
  });
}
