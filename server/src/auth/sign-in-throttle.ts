import { createHash } from 'node:crypto';
import { ipKeyGenerator } from 'express-rate-limit';
import { z } from 'zod';

/** A count in a fixed window that starts with its first hit. */
export type WindowCount = { count: number; resetInMs: number };

/**
 * Counters with expiry, shared by all hubs when they live in Redis, so a guesser cannot
 * spread attempts over hubs. Used for sign-in lockout and the per-IP sign-in limit.
 */
export interface Counters {
  /** Adds one; the window starts (and its expiry is set) with the first hit only. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  peek(key: string): Promise<WindowCount | null>;
  decrement(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Counters in this process, for the embedded (single-hub) mode. */
export class MemoryCounters implements Counters {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  private hitsSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    this.sweepNowAndThen();
    const now = this.now();
    const live = this.live(key, now);
    const entry = live ?? { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    this.entries.set(key, entry);
    return { count: entry.count, resetInMs: entry.resetAt - now };
  }

  async peek(key: string): Promise<WindowCount | null> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? { count: entry.count, resetInMs: entry.resetAt - now } : null;
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key, this.now());
    if (entry && entry.count > 0) entry.count -= 1;
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private live(key: string, now: number) {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Expired entries of guessed usernames would otherwise pile up until restart. */
  private sweepNowAndThen() {
    if (++this.hitsSinceSweep < 1000) return;
    this.hitsSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
  }
}

/** The one Redis call the counters need; the hub adapts its node-redis client to it. */
export type RedisCommand = (args: string[]) => Promise<unknown>;

/** INCR, and set the expiry on the first hit (or if it was somehow lost). Returns {count, pttl}. */
const HIT_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if c == 1 or t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {c, t}`;

const PEEK_SCRIPT = `
local c = redis.call('GET', KEYS[1])
if not c then return false end
return {tonumber(c), redis.call('PTTL', KEYS[1])}`;

const DECREMENT_SCRIPT = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

const CountReply = z.tuple([z.number().int(), z.number().int()]);

/** Counters in Redis, so every hub sees the same failures and limits. */
export class RedisCounters implements Counters {
  constructor(
    private readonly send: RedisCommand,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const reply = await this.send(['EVAL', HIT_SCRIPT, '1', this.key(key), String(Math.ceil(windowMs))]);
    const [count, pttl] = CountReply.parse(reply);
    return { count, resetInMs: Math.max(0, pttl) };
  }

  async peek(key: string): Promise<WindowCount | null> {
    const reply = await this.send(['EVAL', PEEK_SCRIPT, '1', this.key(key)]);
    if (reply === null) return null;
    const [count, pttl] = CountReply.parse(reply);
    return pttl < 0 ? null : { count, resetInMs: pttl };
  }

  async decrement(key: string): Promise<void> {
    await this.send(['EVAL', DECREMENT_SCRIPT, '1', this.key(key)]);
  }

  async clear(key: string): Promise<void> {
    await this.send(['DEL', this.key(key)]);
  }

  private key(key: string) {
    return `${this.prefix}limit:${key}`;
  }
}

export type LockoutPolicy = {
  /** Failed sign-ins for one username from one address, within the window, that lock that pair. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
};

/** The policy: five failures within 15 minutes lock the pair for 15 minutes. */
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/**
 * The wait before checking a password for a username under attack: none for the few typos
 * a person makes, then `stepMs` more per further failure of the account (from any address)
 * within the lockout window, never more than `maxDelayMs`.
 */
export type SlowdownPolicy = {
  /** Recent failures of the account (all addresses together) before any wait. */
  afterFailures: number;
  stepMs: number;
  maxDelayMs: number;
};

/** A few hundred milliseconds at first, at most two seconds: the owner still gets in. */
export const DEFAULT_SLOWDOWN: SlowdownPolicy = { afterFailures: 5, stepMs: 250, maxDelayMs: 2000 };

/** The wait before a password check when the account has failed `failures` times recently. */
export function slowdownMs(failures: number, policy: SlowdownPolicy = DEFAULT_SLOWDOWN): number {
  if (failures < policy.afterFailures) return 0;
  return Math.min(policy.maxDelayMs, policy.stepMs * (failures - policy.afterFailures + 1));
}

export type SignInAttempt =
  | { allowed: true; delayMs: number; succeeded: () => Promise<void>; failed: () => Promise<void> }
  | { allowed: false; retryAfterMs: number };

/**
 * Lockout per username AND client address: an address that failed `maxFailures` times for
 * a username is locked for that username, but nobody can lock the owner out by failing from
 * elsewhere. Failures of the username from all addresses together only slow every attempt
 * down a little (`SlowdownPolicy`), so a guesser with many addresses pays in time while the
 * owner, from an address that has not failed, still gets in.
 *
 * Keys are usernames, not accounts, so an unknown username locks exactly like a known one
 * and the answer reveals nothing about which accounts exist. Every attempt is counted
 * before the password is checked, so a burst of parallel guesses from one address gets no
 * more tries than a sequence of them.
 */
export class SignInThrottle {
  constructor(
    private readonly counters: Counters,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
    private readonly slowdown: SlowdownPolicy = DEFAULT_SLOWDOWN,
  ) {}

  async begin(username: string, address: string): Promise<SignInAttempt> {
    const id = usernameKey(username);
    // An IPv6 client holds a whole /56 or more; as many addresses must not mean as many guesses.
    const pair = `${id}:${ipKeyGenerator(address)}`;
    const lockKey = `signin-lock:${pair}`;
    const failuresKey = `signin-fail:${pair}`;
    const accountFailuresKey = `signin-fail-all:${id}`;
    const locked = await this.counters.peek(lockKey);
    if (locked) return { allowed: false, retryAfterMs: locked.resetInMs };
    const attempts = await this.counters.hit(failuresKey, this.policy.windowMs);
    if (attempts.count > this.policy.maxFailures) {
      const lock = await this.counters.hit(lockKey, this.policy.lockMs);
      return { allowed: false, retryAfterMs: lock.resetInMs };
    }
    const accountFailures = (await this.counters.peek(accountFailuresKey))?.count ?? 0;
    return {
      allowed: true,
      delayMs: slowdownMs(accountFailures, this.slowdown),
      // The account's failures stay: they belong to whoever else is still guessing.
      succeeded: () => this.counters.clear(failuresKey),
      failed: async () => {
        await this.counters.hit(accountFailuresKey, this.policy.windowMs);
        // The attempt is already counted; the last allowed failure starts the lock at once.
        if (attempts.count >= this.policy.maxFailures) {
          await this.counters.hit(lockKey, this.policy.lockMs);
          await this.counters.clear(failuresKey);
        }
      },
    };
  }
}

/** Usernames are case-insensitive; hashing keeps them (and guesses) out of Redis keys. */
const usernameKey = (username: string) =>
  createHash('sha256').update(username.trim().toLowerCase()).digest('base64url').slice(0, 32);

/** The one answer to every refused sign-in, so it reveals neither accounts nor locks. */
export const SIGN_IN_REFUSED = 'Wrong username or password, or the account is temporarily locked';

export type ThrottledSignIn<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'refused' }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  | { ok: false; reason: 'unavailable'; error: unknown };

/** Waits before a password check; tests pass a clock-free version. */
export type Sleep = (ms: number) => Promise<void>;

const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a sign-in from `address` under the lockout: a locked username and address pair is
 * refused without checking the password (which also spares the hub the argon2 work of a
 * guessing flood); an allowed attempt waits out the account's slowdown first.
 */
export async function signInThrottled<T>(
  throttle: SignInThrottle,
  username: string,
  address: string,
  signIn: () => Promise<T | null>,
  wait: Sleep = sleep,
): Promise<ThrottledSignIn<T>> {
  try {
    const attempt = await throttle.begin(username, address);
    if (!attempt.allowed) return { ok: false, reason: 'locked', retryAfterMs: attempt.retryAfterMs };
    if (attempt.delayMs > 0) await wait(attempt.delayMs);
    const value = await signIn();
    if (value === null) {
      await attempt.failed();
      return { ok: false, reason: 'refused' };
    }
    await attempt.succeeded();
    return { ok: true, value };
  } catch (error) {
    // Counters and sessions live in Redis with several hubs; while it is down nobody signs in.
    return { ok: false, reason: 'unavailable', error };
  }
}
