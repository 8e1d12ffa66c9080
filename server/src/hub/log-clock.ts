import type { Logger } from '../base/logger.js';
import { withTimeout } from '../log/with-timeout.js';

/**
 * How far a hub's clock may be from the log's before the hub warns: beyond it, times the
 * hub reads itself (session lifetimes) would disagree with the times the log stamps.
 */
export const CLOCK_SKEW_WARN_MS = 2000;

/** How often a hub reads the log's clock. */
const READ_EVERY_MS = 10_000;

/**
 * A reading slower than this says little about the offset (half the round trip is the
 * error), so it is dropped and the last good one kept.
 */
const MAX_ROUND_TRIP_MS = 500;

/** A reading not answered in this long is given up, so an unreachable Redis never stops the next. */
const READ_TIMEOUT_MS = 2000;

/**
 * The clock of the log, as this hub reads it. Events are stamped by the log (the journal
 * writer's clock, or Redis `TIME` in the append script), and whatever the hub times itself
 * against those stamps, session lifetimes above all, must read the same clock: a hub ten
 * minutes fast would otherwise end every session opened on another hub ten minutes early.
 */
export interface LogClock {
  /** Now by the log's clock, in ms since the epoch. */
  now(): number;
  /**
   * How far this hub's clock is ahead of the log's (negative: behind), in ms; null until
   * the first reading, and 0 where the log's clock is this process's own.
   */
  skewMs(): number | null;
  /** Stops reading the log's clock. */
  stop(): void;
}

/** The embedded journal's clock: the journal writer is this process, so there is no skew. */
export function processClock(localNow: () => number = Date.now): LogClock {
  return { now: localNow, skewMs: () => 0, stop: () => undefined };
}

export type WatchLogClockOptions = {
  /** Reads the log's clock (Redis `TIME`), in ms since the epoch. */
  readLogTime: () => Promise<number>;
  logger: Logger;
  everyMs?: number;
  warnAboveMs?: number;
  localNow?: () => number;
};

/**
 * Reads the log's clock now and every `everyMs`, and keeps this hub's offset from it. A
 * hub more than `warnAboveMs` off logs a warning when it gets there (and a line when it is
 * back); `/readyz` shows the skew. Resolves after the first reading was tried, so a hub
 * serves no session with an unmeasured clock while the log can be read.
 */
export async function watchLogClock(options: WatchLogClockOptions): Promise<LogClock> {
  const { readLogTime, logger } = options;
  const localNow = options.localNow ?? Date.now;
  const warnAboveMs = options.warnAboveMs ?? CLOCK_SKEW_WARN_MS;
  let skew: number | null = null;
  let warned = false;
  let reading = false;

  const read = async () => {
    // A reading still waiting (Redis unreachable) is not joined by another.
    if (reading) return;
    reading = true;
    try {
      const sent = localNow();
      const logTime = await withTimeout(readLogTime(), READ_TIMEOUT_MS, "reading the log's clock");
      const received = localNow();
      if (received - sent > MAX_ROUND_TRIP_MS) return;
      skew = Math.round((sent + received) / 2 - logTime);
      const off = Math.abs(skew) > warnAboveMs;
      if (off && !warned) {
        logger.warn(
          { clockSkewMs: skew },
          "this hub's clock differs from the log's; times and session lifetimes follow the log's clock",
        );
      } else if (!off && warned) {
        logger.info({ clockSkewMs: skew }, "this hub's clock agrees with the log's again");
      }
      warned = off;
    } catch (error) {
      // The log's own health checks report an unreachable Redis; the last offset stays.
      logger.debug({ err: (error as Error).message }, "could not read the log's clock");
    } finally {
      reading = false;
    }
  };

  await read();
  const timer = setInterval(() => void read(), options.everyMs ?? READ_EVERY_MS);
  timer.unref();
  return {
    now: () => localNow() - (skew ?? 0),
    skewMs: () => skew,
    stop: () => clearInterval(timer),
  };
}

/** Redis `TIME` (seconds and microseconds, as strings) in ms since the epoch. */
export function parseRedisTime(reply: unknown): number {
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error('TIME did not answer two numbers');
  const [seconds, micros] = reply.map((part) => Number(String(part)));
  if (!Number.isInteger(seconds) || !Number.isInteger(micros)) {
    throw new Error('TIME did not answer two integers');
  }
  return (seconds ?? 0) * 1000 + Math.floor((micros ?? 0) / 1000);
}
