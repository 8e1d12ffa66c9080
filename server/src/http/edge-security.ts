import type { RequestHandler, Response } from 'express';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { OidcRelyingParty, type PendingLogins } from '../auth/oidc.js';
import { SignInThrottle, type Counters } from '../auth/sign-in-throttle.js';
import { CommandLimiter, TokenBuckets, TrustedProxies, signInRateLimit } from './rate-limits.js';
import { signInErrorUrl } from './oidc-routes.js';

/** The hub's protections at the edge, built once and handed to the HTTP API and the socket. */
export type EdgeSecurity = {
  /** The proxies whose X-Forwarded-* headers count (`TRUSTED_PROXIES`), for HTTP and the socket. */
  proxies: TrustedProxies;
  /** Commands per user and per address, shared by HTTP and the socket. */
  commandLimiter: CommandLimiter;
  /** Socket handshakes per address. */
  connectLimiter: TokenBuckets;
  /** Reads that need no sign-in (CAP alerts, the Atom feed) per address. */
  publicReadLimiter: TokenBuckets;
  /** Password sign-ins per address. */
  signInLimit: RequestHandler;
  /** OpenID Connect sign-ins started per address (counted with password sign-ins). */
  oidcLoginLimit: RequestHandler;
  /** Per-username-and-address lockout after repeated failures, and the account's slowdown. */
  signInThrottle: SignInThrottle;
  /** Null unless `OIDC_ISSUER` and `OIDC_CLIENT_ID` are set. */
  oidc: OidcRelyingParty | null;
};

/**
 * Builds the edge protections. `counters` and `pendingLogins` live in Redis when hubs
 * share it, so lockouts, sign-in limits and half-finished OIDC sign-ins hold on every hub.
 */
export function createEdgeSecurity(
  config: Config,
  stores: { counters: Counters; pendingLogins: PendingLogins },
  logger: Logger,
): EdgeSecurity {
  const limits = config.rateLimits;
  return {
    proxies: new TrustedProxies(config.trustedProxies),
    commandLimiter: new CommandLimiter(limits),
    connectLimiter: new TokenBuckets(limits.connectsPerIp),
    publicReadLimiter: new TokenBuckets(limits.publicReadsPerIp),
    signInLimit: signInRateLimit(stores.counters, limits.signInsPerIpPerMinute),
    oidcLoginLimit: signInRateLimit(stores.counters, limits.signInsPerIpPerMinute, (res: Response) =>
      res.redirect(303, signInErrorUrl('rate_limited')),
    ),
    signInThrottle: new SignInThrottle(stores.counters, config.lockout),
    oidc: config.oidc ? new OidcRelyingParty(config.oidc, stores.pendingLogins, logger) : null,
  };
}
