import { ERROR_CODES, ErrorCode, type AppError } from '@lagesbild/shared';

/** Every code the UI may have to explain: the hub's, plus `offline` made on this side. */
export const CLIENT_ERROR_CODES = [...ERROR_CODES, 'offline'] as const;

/**
 * An error as the client sees it: the hub's codes plus `offline`, for a request that never
 * reached the hub. `fromHub` tells whether `message` is the hub's explanation (worth
 * showing) or a local description (for logs). A `stale` refusal carries the current item.
 */
export type ClientError = {
  code: ErrorCode | 'offline';
  message: string;
  fromHub: boolean;
  stale?: AppError['stale'];
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
 * A refusal the hub sent, over HTTP or the socket, kept whole: a `stale` refusal's current
 * item is what lets the person compare and choose. A code this client does not know (a
 * newer hub) reads as `internal`.
 */
export const hubFailure = (error: {
  code: string;
  message: string;
  stale?: AppError['stale'];
}): { ok: false; error: ClientError } => {
  const code = ErrorCode.safeParse(error.code);
  return {
    ok: false,
    error: {
      code: code.success ? code.data : 'internal',
      message: error.message,
      fromHub: true,
      ...(error.stale === undefined ? {} : { stale: error.stale }),
    },
  };
};

/**
 * Whether sending the same request again (same idempotency key) may succeed: the hub never
 * saw it, did not answer in time, or asked us to wait. The outbox retries exactly these.
 */
export const isRetryable = (error: ClientError): boolean =>
  error.code === 'offline' ||
  error.code === 'timeout' ||
  error.code === 'log_unavailable' ||
  error.code === 'rate_limited';
