import type { Response } from 'express';
import type { AppError, ErrorCode } from '@lagesbild/shared';

/** The HTTP status for each error code, so HTTP clients can act without reading bodies. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unknown_command: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  id_conflict: 409,
  stale: 409,
  history_truncated: 410,
  log_unavailable: 503,
  rate_limited: 429,
  protocol_mismatch: 400,
  timeout: 504,
  internal: 500,
};

/** The error body every refusal uses. */
export const errorBody = (error: AppError) => ({ ok: false as const, error });

/** Answers a request with an error: its HTTP status and the error body. */
export const refuse = (res: Response, error: AppError) =>
  res.status(HTTP_STATUS[error.code]).json(errorBody(error));
