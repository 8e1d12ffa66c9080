import type { EventLog } from '../log/event-log.js';

/** How often the log's health is read; an outage is announced within this. */
const CHECK_EVERY_MS = 500;

/**
 * Calls `onChange` whenever the log turns unwritable or writable again (Redis lost and
 * back), so the hub can tell its clients. Polled rather than pushed: `isHealthy` is the one
 * answer `/readyz` also gives, whatever the log implementation knows internally.
 */
export function watchLogHealth(
  log: Pick<EventLog, 'isHealthy'>,
  onChange: (healthy: boolean) => void,
  everyMs = CHECK_EVERY_MS,
): () => void {
  let healthy = log.isHealthy();
  const timer = setInterval(() => {
    const now = log.isHealthy();
    if (now === healthy) return;
    healthy = now;
    onChange(now);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
