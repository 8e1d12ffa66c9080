import type { ErrorCode, StaleDetails } from '@lagesbild/shared';

/**
 * An error as the client sees it: the hub's codes plus `offline`, for a request that never
 * reached the hub. `fromHub` tells whether `message` is the hub's explanation (worth
 * showing) or a local description (for logs). A `stale` refusal carries the current item.
 */
export type ClientError = {
  code: ErrorCode | 'offline';
  message: string;
  fromHub: boolean;
  stale?: StaleDetails;
};

/** The answer of any request the client makes, over HTTP or the socket. */
export type ClientResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/** A failure made on this side of the wire. */
export const localFailure = (
  code: ClientError['code'],
  message: string,
): { ok: false; error: ClientError } => ({
  ok: false,
  error: { code, message, fromHub: false },
});

/**
 * Whether sending the same request again (same idempotency key) may succeed: the hub never
 * saw it, did not answer in time, or asked us to wait. The outbox retries exactly these.
 */
export const isRetryable = (error: ClientError): boolean =>
  error.code === 'offline' ||
  error.code === 'timeout' ||
  error.code === 'log_unavailable' ||
  error.code === 'rate_limited';
