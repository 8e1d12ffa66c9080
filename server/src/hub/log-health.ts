import type { HubStatus } from '@lagesbild/shared';
import type { EventLog } from '../log/event-log.js';

/** How often the log's health is read; a change is announced within this. */
const CHECK_EVERY_MS = 250;

/**
 * The reason a lost log's `hub.status` and `/readyz` give: fixed, because every client
 * (walls too) and anyone who can reach `/readyz` read it, and the log's own reason names
 * files and Redis epochs. That reason is in the hub's log (`journal.lost`, `redis.logLost`,
 * and the line of the exit).
 */
export const LOG_LOST_REASON = 'log_lost';

/** What of the log the hub's status is read from. */
export type WatchedLog = Pick<EventLog, 'isHealthy' | 'lostReason' | 'contact'>;

/**
 * Converts a time of this process's clock (ms) to the log's clock, so that the time people
 * are shown ("may be stale since 07:42") agrees with the times on events.
 */
export type ToLogTime = (localMs: number) => number;

const sameClock: ToLogTime = (ms) => ms;

/**
 * What the hub says about its log, in the words of `hub.status`: whether it can store
 * commands, and whether the picture it sends is live, stale since its last contact with
 * the log (a partition: other hubs' events may not be arriving), or lost (the log it
 * opened is gone). `/readyz` and the sockets hear the same answer.
 */
export function logStatus(log: WatchedLog, toLogTime: ToLogTime = sameClock): HubStatus {
  if (log.lostReason() !== null)
    return { canStore: false, picture: { state: 'lost', reason: LOG_LOST_REASON } };
  const contact = log.contact?.() ?? { state: 'live' };
  if (contact.state === 'stale') {
    return {
      canStore: false,
      picture: { state: 'stale', since: new Date(toLogTime(contact.since)).toISOString() },
    };
  }
  return { canStore: log.isHealthy(), picture: { state: 'live' } };
}

/** Whether a status tells a client nothing it would not assume (can store, live picture). */
export const isAllWell = (status: HubStatus): boolean =>
  status.canStore && (status.picture?.state ?? 'live') === 'live';

export type WatchLogHealthOptions = {
  everyMs?: number;
  toLogTime?: ToLogTime;
};

/**
 * Calls `onChange` whenever the hub's status changes (logStatus): the log turns unwritable
 * or writable again, out of contact and back, or lost. Polled rather than pushed: the same
 * answer `/readyz` gives, whatever the log implementation knows internally. A status that
 * is not all well already at the start is announced at once: the listener (the
 * broadcaster, which tells new sockets) assumes all is well until told otherwise.
 */
export function watchLogHealth(
  log: WatchedLog,
  onChange: (status: HubStatus) => void,
  options: WatchLogHealthOptions = {},
): () => void {
  const everyMs = options.everyMs ?? CHECK_EVERY_MS;
  const toLogTime = options.toLogTime ?? sameClock;
  let last = logStatus(log, toLogTime);
  if (!isAllWell(last)) onChange(last);
  let lastTick = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    // A tick this late means the event loop was blocked, so the log's answers of that
    // time are still waiting to be read: judging contact now would see a silence that was
    // this process's own. The next tick judges.
    const late = now - lastTick > 2 * everyMs;
    lastTick = now;
    const status = logStatus(log, toLogTime);
    if (late && status.picture?.state === 'stale' && last.picture?.state !== 'stale') return;
    if (sameStatus(status, last)) return;
    last = status;
    onChange(status);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function sameStatus(a: HubStatus, b: HubStatus): boolean {
  if (a.canStore !== b.canStore) return false;
  const pa = a.picture ?? { state: 'live' };
  const pb = b.picture ?? { state: 'live' };
  // One stale spell is one status: `since` moves only with a new reading of the log's clock.
  if (pa.state === 'lost' && pb.state === 'lost') return pa.reason === pb.reason;
  return pa.state === pb.state;
}
