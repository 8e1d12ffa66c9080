import { ErrorCode, parseCommand, StaleDetails, Uuid, type Command } from '@lagesbild/shared';
import { z } from 'zod';
import type { ClientError } from '../api/client-result';

/**
 * `queued` waits for the hub; `sending` is on the wire (after a reload it is sent again with
 * the same id, which the hub recognises); `sent` was acknowledged; `failed` was refused.
 */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** One command on its way to the hub. Its `id` is the command's id: the idempotency key. */
export type OutboxItem = {
  id: string;
  /** Whose command it is: only that user's session may send it. */
  userId: string;
  command: Command;
  status: OutboxStatus;
  /** Sending order; later commands may depend on earlier ones (a request, then its activation). */
  order: number;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  /** The hub's position after the command, once sent. */
  seq: number | null;
  /** Why the last attempt did not succeed: the hub's reason for `failed`, a network one for `queued`. */
  error: ClientError | null;
  /**
   * Whether the hub may already have it: an attempt reached the hub or may have, and no true
   * answer came back (the ack timed out, the hub answered `log_unavailable`, or a reload
   * caught it on the wire). Only the hub's answer to a resend with the same id clears it,
   * so answers that say nothing about the log (offline, signed out) leave it as it is.
   */
  unconfirmed: boolean;
};

const StoredError = z.object({
  code: z.union([ErrorCode, z.literal('offline')]),
  message: z.string(),
  fromHub: z.boolean(),
  stale: StaleDetails.optional(),
});

const StoredItem = z.object({
  id: Uuid,
  userId: z.string().min(1),
  command: z.unknown(),
  status: z.enum(OUTBOX_STATUSES),
  order: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  attempts: z.number().int().nonnegative(),
  seq: z.number().int().nullable(),
  error: StoredError.nullable(),
  // Items saved by a client from before the field existed were never marked.
  unconfirmed: z.boolean().default(false),
});

/**
 * Reads an item back from storage. The browser's storage is an edge like any other: an
 * item written by an older client, or tampered with, is refused rather than sent.
 */
export function parseOutboxItem(input: unknown): OutboxItem | null {
  const item = StoredItem.safeParse(input);
  if (!item.success) return null;
  const command = parseCommand(item.data.command);
  if (!command.ok || command.command.id !== item.data.id) return null;
  return { ...item.data, command: command.command };
}

/**
 * Whether sending the item again with its id can never succeed: the id was used for
 * another command (`id_conflict`), or the change was made on an older version (`stale`,
 * which the person resolves by choosing). Such items are never sent again as they are.
 */
export const isFinalRefusal = (item: OutboxItem): boolean =>
  item.status === 'failed' && (item.error?.code === 'id_conflict' || item.error?.code === 'stale');

/**
 * Whether an attempt that ended with this error may still have been written to the log: the
 * ack did not come in time, or the hub could not tell whether its append went through.
 * Every other answer is either the hub's verdict or comes before the log is touched.
 */
export const leavesOutcomeUnknown = (error: ClientError): boolean =>
  error.code === 'timeout' || error.code === 'log_unavailable';

/** Whether the item still has to reach the hub. */
export const isPending = (item: OutboxItem): boolean => item.status === 'queued' || item.status === 'sending';

/** Whether the item needs the user's attention or is on its way (what the badge counts). */
export const isUnsent = (item: OutboxItem): boolean => item.status !== 'sent';

/** What the person is shown: `queued` never reached the hub; `unconfirmed` may have. */
export type OutboxShownStatus = OutboxStatus | 'unconfirmed';

/**
 * The status as the person sees it. A pending item the hub may already have is "not
 * confirmed – sending again", never merely queued and never refused: the resend with the
 * same id gets the hub's true answer, and it is applied once either way.
 */
export const shownStatus = (item: OutboxItem): OutboxShownStatus =>
  isPending(item) && item.unconfirmed ? 'unconfirmed' : item.status;

/** The words (an i18n key) for what a pending item waits for. */
export type OutboxWaitingNote =
  'outbox.waiting' | 'outbox.waitingForSignIn' | 'outbox.waitingForReload' | 'outbox.retrying';

/**
 * What a queued item waits for, from why its last attempt did not go through; null while it
 * is simply on its way (never tried yet, or being sent). Each reason has its own words:
 * "when the connection is back" is false for one that waits for the person to sign in again,
 * and for one the hub asked to wait (rate limited, its log unreachable) while online.
 */
export function waitingNote(item: OutboxItem): OutboxWaitingNote | null {
  if (item.status !== 'queued' || !item.error) return null;
  switch (item.error.code) {
    case 'offline':
      return 'outbox.waiting';
    case 'unauthenticated':
      return 'outbox.waitingForSignIn';
    case 'protocol_mismatch':
      return 'outbox.waitingForReload';
    default:
      return 'outbox.retrying';
  }
}
