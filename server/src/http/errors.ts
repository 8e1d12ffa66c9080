import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { LIMITS, type AppError, type ErrorCode } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';

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

/** Body-parser and other errors: a clear refusal, never a stack trace. */
export function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large')
      return refuse(res, { code: 'payload_too_large', message: `Body over ${LIMITS.maxCommandBytes} bytes` });
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuse(res, { code: 'bad_request', message: 'The body is not valid JSON' });
    }
    // A request the hub cannot read — a path parameter that is not valid percent-encoding, a
    // body that is not the gzip it says it is — is the client's mistake: Express marks those 4xx.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      logger.info({ err: (error as Error).message }, 'unreadable request refused');
      return refuse(res, { code: 'bad_request', message: 'The hub could not read the request' });
    }
    logger.error({ err: error }, 'request failed');
    refuse(res, { code: 'internal', message: 'The hub could not handle the request' });
  };
}
