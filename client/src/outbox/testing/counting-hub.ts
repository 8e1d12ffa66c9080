import type { Command, ErrorCode, StaleDetails } from '@lagesbild/shared';
import { localFailure, type ClientResult } from '../../api/client-result';
import type { CommandSender } from '../outbox-engine';

/** An ack as the outbox receives it. */
export type Answer = ClientResult<{ seq: number }>;

/**
 * What the hub does with one delivery of a command:
 * - `apply`: applies it (again, if it had) and acks the new seq;
 * - `applyLoseAck`: applies it, and the sender never learns so: it sees a `timeout`, or
 *   (`hang`) nothing at all, as a page that goes away before the answer, or the hub's own
 *   `log_unavailable` (the append went through after the hub gave up waiting for it);
 * - `original`: answers a resend with the seq the id was first applied at and applies
 *   nothing, which is what the real hub's idempotency check does (and only when told to here);
 * - `refuse`: refuses it with a hub error code;
 * - `unreachable`: the delivery never arrives (`offline`).
 */
export type Reply =
  | { kind: 'apply' }
  | { kind: 'applyLoseAck'; as: 'timeout' | 'hang' | 'log_unavailable' }
  | { kind: 'original' }
  | { kind: 'refuse'; code: ErrorCode; message?: string; stale?: StaleDetails }
  | { kind: 'unreachable' };

/**
 * A stand-in hub that does NOT de-duplicate: every delivery is applied unless the test's
 * script for that command id says otherwise, so a command the outbox sends twice shows up
 * as applied twice. `applications` is what a user would see on the hub.
 */
export function countingHub() {
  /** Every command id that reached the hub, in order, resends included. */
  const deliveries: string[] = [];
  /** Every application, duplicates included. */
  const applications: string[] = [];
  const firstSeq = new Map<string, number>();
  const scripts = new Map<string, Reply[]>();
  let online = true;

  const applyOnce = (command: Command): number => {
    applications.push(command.id);
    const seq = applications.length;
    if (!firstSeq.has(command.id)) firstSeq.set(command.id, seq);
    return seq;
  };

  const send: CommandSender = async (command) => {
    if (!online) return localFailure('offline', `${command.type}: not connected`);
    const reply = scripts.get(command.id)?.shift() ?? { kind: 'apply' };
    if (reply.kind === 'unreachable') return localFailure('offline', `${command.type}: not connected`);
    deliveries.push(command.id);
    switch (reply.kind) {
      case 'apply':
        return { ok: true, data: { seq: applyOnce(command) } };
      case 'applyLoseAck':
        applyOnce(command);
        if (reply.as === 'hang') return new Promise<Answer>(() => undefined);
        if (reply.as === 'log_unavailable') {
          return {
            ok: false,
            error: { code: 'log_unavailable', message: 'The log did not confirm the append', fromHub: true },
          };
        }
        return localFailure('timeout', `${command.type}: no ack`);
      case 'original': {
        const seq = firstSeq.get(command.id);
        // A script that asks for the original answer of an id never applied is a broken test.
        if (seq === undefined) throw new Error(`countingHub: ${command.id} was never applied`);
        return { ok: true, data: { seq } };
      }
      case 'refuse':
        return {
          ok: false,
          error: {
            code: reply.code,
            message: reply.message ?? `Refused: ${reply.code}`,
            fromHub: true,
            ...(reply.stale ? { stale: reply.stale } : {}),
          },
        };
    }
  };

  return {
    send,
    deliveries,
    applications,
    /** How many times the hub applied the command: 1 is exactly-once. */
    timesApplied: (id: string): number => applications.filter((applied) => applied === id).length,
    /** The seq at which the command was first applied. */
    seqOf: (id: string): number | undefined => firstSeq.get(id),
    /** Queues what the hub does with the next deliveries of `id`; afterwards it applies. */
    script: (id: string, ...replies: Reply[]) => {
      scripts.set(id, [...(scripts.get(id) ?? []), ...replies]);
    },
    setOnline: (value: boolean) => {
      online = value;
    },
  };
}

export type CountingHub = ReturnType<typeof countingHub>;
