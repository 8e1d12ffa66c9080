// How long to wait before trying a handshake the hub refused again. socket.io retries
// network failures by itself; a refused handshake it leaves to us. Both delays are jittered
// so that hundreds of wall displays and laptops refused at once do not come back in one wave.
// `random` is a number in [0, 1), given so that tests can pin it.

/**
 * A hub that waits for its log refuses with `log_unavailable`. That passes (the log comes
 * back, or behind a load balancer the next connection reaches a hub that has its log), so
 * the next try comes soon: 1 s doubling to 4 s, ×0.75–1.25, never more than 5 s. A long
 * backoff here would keep a client away for most of a minute after a short partition healed.
 */
const LOG_WAIT_RETRY_BASE_MS = 1_000;
const LOG_WAIT_RETRY_CAP_MS = 4_000;

/** The wait before the next handshake after `attempt` refusals for `log_unavailable`. */
export const logWaitRetryDelay = (attempt: number, random: number): number =>
  Math.min(LOG_WAIT_RETRY_CAP_MS, LOG_WAIT_RETRY_BASE_MS * 2 ** attempt) * (0.75 + 0.5 * random);

/**
 * Any other refusal (a malformed handshake, an internal error) is not expected to pass by
 * itself soon: 2 s doubling to 60 s, ×0.5–1.5, so a broken client does not hammer the hub.
 */
const REFUSED_RETRY_BASE_MS = 2_000;
const REFUSED_RETRY_MAX_MS = 60_000;

/** The wait before the next handshake after `attempt` refusals for another reason. */
export const refusedRetryDelay = (attempt: number, random: number): number =>
  Math.min(REFUSED_RETRY_MAX_MS, REFUSED_RETRY_BASE_MS * 2 ** attempt) * (0.5 + random);
