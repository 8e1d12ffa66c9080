import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import type { AppError } from '@lagesbild/shared';
import type { Counters } from '../auth/sign-in-throttle.js';
import { HTTP_STATUS, errorBody } from './errors.js';

/** A sustained rate and the burst allowed on top of it. */
export type Rate = { perSecond: number; burst: number };

/** Every limit at the edge; from config.ts (env `RATE_*`), raised by tests and benchmarks. */
export type RateLimitConfig = {
  commandsPerUser: Rate;
  commandsPerIp: Rate;
  connectsPerIp: Rate;
  signInsPerIpPerMinute: number;
  /** Reads that need no sign-in (CAP alerts, the Atom feed) per address. */
  publicReadsPerIp: Rate;
};

export type Taken = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Token buckets in this hub's memory: cheap enough to check on every command. A user who
 * spreads a flood over several hubs gets each hub's rate, which still bounds the flood.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private takesSinceSweep = 0;

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): Taken {
    this.sweepNowAndThen();
    const bucket = this.refilled(key, this.now());
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / this.rate.perSecond) };
  }

  /** Gives back a token taken for something that was then refused for another reason. */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.rate.burst, bucket.tokens + 1);
  }

  private refilled(key: string, now: number) {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.rate.burst, at: now };
    const tokens = Math.min(
      this.rate.burst,
      bucket.tokens + ((now - bucket.at) * this.rate.perSecond) / 1000,
    );
    return { tokens, at: now };
  }

  /** A full bucket is the same as no bucket: drop those so idle users cost no memory. */
  private sweepNowAndThen() {
    if (++this.takesSinceSweep < 10_000) return;
    this.takesSinceSweep = 0;
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.rate.perSecond) / 1000 >= this.rate.burst) {
        this.buckets.delete(key);
      }
    }
  }
}

/**
 * Commands per user and per address, the same buckets for HTTP and the socket, so one
 * user's flood is throttled while everybody else's commands go through.
 */
export class CommandLimiter {
  private readonly perUser: TokenBuckets;
  private readonly perIp: TokenBuckets;

  constructor(limits: Pick<RateLimitConfig, 'commandsPerUser' | 'commandsPerIp'>, now?: () => number) {
    this.perUser = new TokenBuckets(limits.commandsPerUser, now);
    this.perIp = new TokenBuckets(limits.commandsPerIp, now);
  }

  take(userId: string, ip: string): Taken {
    const user = this.perUser.take(userId);
    if (!user.ok) return user;
    const address = this.perIp.take(ip);
    if (!address.ok) this.perUser.refund(userId);
    return address;
  }
}

/** express-rate-limit's store over our counters, so Redis-backed limits hold for all hubs. */
class CountersStore implements Store {
  localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly counters: Counters,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const { count, resetInMs } = await this.counters.hit(this.prefix + key, this.windowMs);
    return { totalHits: count, resetTime: new Date(Date.now() + resetInMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.counters.decrement(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.clear(this.prefix + key);
  }
}

/**
 * Sign-in attempts (password and OpenID Connect) per client address per minute, on top
 * of the per-username lockout: it slows a guesser who tries many usernames.
 */
export function signInRateLimit(
  counters: Counters,
  perMinute: number,
  onLimited: (res: Response) => void = refuseSignIn,
): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new CountersStore(counters, 'signin-ip:'),
    // If Redis is down nobody can sign in anyway (sessions live there); the per-username
    // lockout fails closed on its own.
    passOnStoreError: true,
    handler: (_req, res) => onLimited(res),
  });
}

const refuseSignIn = (res: Response) =>
  res
    .status(HTTP_STATUS.rate_limited)
    .json(errorBody({ code: 'rate_limited', message: 'Too many sign-in attempts; wait a minute' }));

/** Where a request came from, or the forwarded hop that could not be read as an address. */
export type ResolvedAddress = { ok: true; address: string } | { ok: false; badHop: string };

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
const plainAddress = (address: string) =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

/**
 * The proxies the hub believes about the client (`TRUSTED_PROXIES`, addresses and CIDR
 * networks, validated by config.ts): only their X-Forwarded-For and X-Forwarded-Proto
 * count. Anyone else could claim any address and get a fresh sign-in and rate-limit budget
 * per claim. Express (`trust proxy`) and the socket handshake use this one object.
 */
export class TrustedProxies {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  /** Whether a hop's address belongs to a proxy the hub trusts to set X-Forwarded-For. */
  isTrusted(address: string): boolean {
    const plain = plainAddress(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The client's address as Express computes `req.ip`: walk X-Forwarded-For from the
   * nearest hop while the hop before it is trusted. A hop we would believe that is not an
   * address is refused rather than used as a rate-limit key or written in the audit trail.
   */
  resolve(req: IncomingMessage): ResolvedAddress {
    const forwarded = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean)
      .reverse();
    let address = plainAddress(req.socket.remoteAddress ?? 'unknown');
    for (const hop of hops) {
      if (!this.isTrusted(address)) break;
      if (isIP(plainAddress(hop)) === 0) return { ok: false, badHop: hop };
      address = plainAddress(hop);
    }
    return { ok: true, address };
  }

  /** The client's address for requests Express does not see (the socket handshake). */
  clientAddress(req: IncomingMessage): string {
    const resolved = this.resolve(req);
    return resolved.ok ? resolved.address : 'unknown';
  }

  /** `http` or `https` as the browser used it, as Express computes `req.protocol`. */
  protocol(req: IncomingMessage): string {
    const own = 'encrypted' in req.socket && req.socket.encrypted === true ? 'https' : 'http';
    const forwarded = req.headers['x-forwarded-proto'];
    if (typeof forwarded !== 'string' || !this.isTrusted(req.socket.remoteAddress ?? '')) return own;
    return (forwarded.split(',')[0] ?? own).trim().toLowerCase() || own;
  }
}

/** The refusal of a request whose trusted proxy forwarded something that is not an address. */
export const badForwardedFor = (hop: string): AppError => ({
  code: 'bad_request',
  message: `X-Forwarded-For from a trusted proxy holds "${hop.slice(0, 64)}", which is not an IP address`,
});

/** Refuses a request whose client address cannot be known, before any other work. */
export function refuseBadForwardedFor(proxies: TrustedProxies): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const resolved = proxies.resolve(req);
    if (resolved.ok) return next();
    res.status(HTTP_STATUS.bad_request).json(errorBody(badForwardedFor(resolved.badHop)));
  };
}
