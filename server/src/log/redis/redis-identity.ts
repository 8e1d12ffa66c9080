import { z } from 'zod';
import type { RedisCalls } from './redis-calls.js';
import type { RedisLogKeys } from './redis-keys.js';
import { PROBE_SCRIPT } from './redis-scripts.js';
import { entryId, parseXRange } from './redis-stream.js';

/** How often the identity is checked by default: a lost log is noticed within about this. */
export const IDENTITY_CHECK_MS = 1000;

/**
 * The longest one check may wait for Redis, as the heartbeat's writes and the side stores'
 * calls: a check that gets no answer says nothing (unreachable is not lost), and the next
 * tick tries again.
 */
const CHECK_TIMEOUT_MS = 2000;

const NumberString = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => Number(v));
/** PROBE_SCRIPT's answer: the stored epoch (null when gone), the head and the entry asked for. */
const ProbeReply = z.tuple([z.string().nullable(), NumberString, z.unknown()]);

export type IdentityCheckOptions = {
  calls: Pick<RedisCalls, 'runScript'>;
  keys: Pick<RedisLogKeys, 'meta' | 'head' | 'events'>;
  /** The epoch the log opened. */
  epoch: string;
  everyMs: number;
  /** The bound on the command path; a check waits no longer than it, nor than CHECK_TIMEOUT_MS. */
  commandTimeoutMs: number;
  /** Called once the log is found lost, with the stored epoch and why. */
  onLost: (stored: string | null, why?: string) => void;
};

/**
 * What a Redis log has seen of itself, and the periodic check against it: the stored
 * epoch must be the one opened, the head must not be below the highest seq seen, and the
 * entry at the newest seq whose command is known must still hold that command.
 *
 * The last one catches a Redis that lost its newest events but kept its epoch (a failover
 * to a replica that lagged behind): once another hub, which never read the lost events,
 * appends past them, the head is back above what this hub saw, but the seqs it saw hold
 * other commands.
 */
export class RedisIdentity {
  /** The highest seq seen in Redis: the head must never go below it. */
  #seen = 0;
  /** The newest seq whose command is known, and that command. */
  #known: { seq: number; commandId: string } | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** A check still waiting for Redis: the next tick is skipped rather than piled on. */
  #checking = false;
  #stopped = false;

  constructor(private readonly options: IdentityCheckOptions) {}

  get seen(): number {
    return this.#seen;
  }

  /**
   * Records a seq read from or written to Redis, with the command of the event at it when
   * known: the head must not go below it later, nor that seq hold another command.
   */
  saw(seq: number, commandId?: string): void {
    if (seq > this.#seen) this.#seen = seq;
    if (commandId !== undefined && seq > (this.#known?.seq ?? 0)) this.#known = { seq, commandId };
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => void this.check(), this.options.everyMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One check; does nothing while the previous one is still waiting for Redis. */
  async check(): Promise<void> {
    if (this.#stopped || this.#checking) return;
    this.#checking = true;
    try {
      await this.#check();
    } finally {
      this.#checking = false;
    }
  }

  async #check(): Promise<void> {
    const { calls, keys, epoch, onLost } = this.options;
    // What was seen before the check is sent: Redis runs the check later, so its head can
    // be no lower. Seqs seen meanwhile (the tail reads on its own connection) may be newer
    // than the head the check read, and must not count.
    const seenBefore = this.#seen;
    const known = this.#known;
    let stored: string | null;
    let head: number;
    let entries: unknown;
    try {
      [stored, head, entries] = ProbeReply.parse(
        await calls.runScript(
          PROBE_SCRIPT,
          [keys.meta, keys.head, keys.events],
          [known ? entryId(known.seq) : '0'],
          'identity check',
          Math.min(this.options.commandTimeoutMs, CHECK_TIMEOUT_MS),
        ),
      );
    } catch {
      // Unreachable is not lost: the health check and the failing calls report that.
      return;
    }
    if (this.#stopped) return;
    if (stored !== epoch) return onLost(stored);
    if (head < seenBefore) {
      return onLost(
        stored,
        `the Redis log's head went back from seq ${seenBefore} to ${head}: Redis lost acknowledged events`,
      );
    }
    // Gone only when trimmed behind a snapshot: nothing to compare then.
    const [there] = parseXRange(entries);
    if (known && there && there.commandId !== known.commandId) {
      onLost(
        stored,
        `the Redis log's seq ${known.seq} holds command ${there.commandId}, not ${known.commandId} that this hub ` +
          'read there: Redis lost acknowledged events and others were appended in their place',
      );
    }
  }
}
