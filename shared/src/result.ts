import { z } from 'zod';
import { Incident, Report } from './model.js';

/** Every reason the hub can refuse something; the UI translates each code. */
export const ERROR_CODES = [
  'bad_request',
  'unknown_command',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'id_conflict',
  'stale',
  'log_unavailable',
  'rate_limited',
  'history_truncated',
  'protocol_mismatch',
  'timeout',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * What a `stale` refusal carries: the item as it is now, which the change was not made on,
 * so the sender can show the newer text and let the person choose.
 */
export const StaleDetails = z.discriminatedUnion('item', [
  z.strictObject({ item: z.literal('incident'), incident: Incident }),
  /** The actor's newest report on the incident, which the refused one did not supersede. */
  z.strictObject({ item: z.literal('report'), report: Report }),
]);
export type StaleDetails = z.infer<typeof StaleDetails>;

/**
 * A refusal a person can read: a stable code plus an English explanation; `stale` refusals
 * also carry the current item.
 */
export const AppError = z.strictObject({
  code: ErrorCode,
  message: z.string(),
  stale: StaleDetails.optional(),
});
export type AppError = z.infer<typeof AppError>;

/** The shape of every ack and API answer. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

/** Builds a refusal. */
export const fail = (code: ErrorCode, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
});

/** Builds a success. */
export const succeed = <T>(data: T): { ok: true; data: T } => ({ ok: true, data });
