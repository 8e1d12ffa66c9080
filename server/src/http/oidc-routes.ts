import { randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { fail, succeed, type AuthMethods, type OidcSignInError, type RegionConfig } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import type { AuthService } from '../auth/auth-service.js';
import type { OidcRelyingParty } from '../auth/oidc.js';
import { PENDING_LOGIN_TTL_MS } from '../auth/oidc.js';
import { accountForIdentity, identityFromClaims } from '../auth/oidc-accounts.js';
import { attribution } from '../auth/attribution.js';
import type { WritePath } from '../hub/write-path.js';
import type { HubState } from '../hub/hub-state.js';

/** Names the browser's pending sign-in; only sent back to the OIDC routes. */
export const OIDC_COOKIE = 'lagesbild_oidc';
const COOKIE_PATH = '/api/oidc';

export type OidcRouteDeps = {
  oidc: OidcRelyingParty | null;
  cookieSecure: boolean;
  logger: Logger;
  auth: AuthService;
  writes: WritePath;
  hub: HubState;
  region: () => RegionConfig;
  /** Per-address limit on starting sign-ins. */
  loginLimit: RequestHandler;
  /** Sets the session cookie exactly as password sign-in does. */
  setSessionCookie: (res: Response, token: string) => void;
};

/** Where the sign-in page explains a refused sign-in. */
export const signInErrorUrl = (error: OidcSignInError) => `/?signin_error=${error}`;

/**
 * `GET /api/auth/methods`, `GET /api/oidc/login` and `GET /api/oidc/callback`: sign-in
 * with the region's identity provider. Refusals redirect to the sign-in page with a code,
 * because the browser arrives here by navigation, not by fetch.
 */
export function oidcRoutes(deps: OidcRouteDeps): express.Router {
  const router = express.Router();
  const { oidc, logger } = deps;

  router.get('/auth/methods', (_req, res) => {
    const methods: AuthMethods = { password: true, oidc: oidc !== null };
    res.json({ ok: true, data: methods });
  });

  router.get('/oidc/login', deps.loginLimit, async (_req, res) => {
    if (!oidc) return res.redirect(303, signInErrorUrl('oidc_unavailable'));
    try {
      const started = await oidc.start();
      if ('error' in started) return res.redirect(303, signInErrorUrl(started.error));
      res.cookie(OIDC_COOKIE, started.transactionId, {
        httpOnly: true,
        secure: deps.cookieSecure,
        // Lax: the provider's redirect back is a top-level navigation from its site.
        sameSite: 'lax',
        path: COOKIE_PATH,
        maxAge: PENDING_LOGIN_TTL_MS,
      });
      res.redirect(303, started.redirectTo.href);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'oidc: could not start a sign-in');
      res.redirect(303, signInErrorUrl('unavailable'));
    }
  });

  router.get('/oidc/callback', async (req: Request, res: Response) => {
    res.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH });
    if (!oidc) return res.redirect(303, signInErrorUrl('oidc_unavailable'));
    const refuse = (error: OidcSignInError) => {
      logger.info({ error, ip: req.ip }, 'oidc sign-in refused');
      res.redirect(303, signInErrorUrl(error));
    };
    try {
      const transactionId = parseCookie(req.headers.cookie ?? '')[OIDC_COOKIE];
      const query = new URL(req.originalUrl, 'http://callback').searchParams;
      const outcome = await oidc.finish(transactionId, query);
      if (!outcome.ok) return refuse(outcome.error);
      const mapped = identityFromClaims(outcome.claims, oidc.config, deps.region(), deps.hub.directory);
      if (!mapped.ok) return refuse(mapped.error);

      // Decided again inside the serialised append, against the directory as it is then.
      const box: { decided?: ReturnType<typeof accountForIdentity> } = {};
      const ack = await deps.writes.appendSystem(
        `oidc-sign-in:${randomUUID()}`,
        // Accounts created or updated at sign-in are changed by the hub, on the provider's word.
        attribution({
          kind: 'hub',
          userId: 'system',
          userName: 'OpenID Connect sign-in',
          region: deps.region(),
        }),
        (hub) => {
          const decided = accountForIdentity(hub.directory, mapped.identity);
          box.decided = decided;
          return decided.ok ? succeed(decided.events) : fail('forbidden', decided.error);
        },
      );
      const result = box.decided;
      if (result && !result.ok) return refuse(result.error);
      if (!ack.ok || !result) {
        logger.warn({ code: ack.ok ? null : ack.error.code }, 'oidc: could not save the account');
        return refuse('unavailable');
      }
      const account = deps.hub.directory.accounts[result.account.id] ?? result.account;
      const session = await deps.auth.openSession(account);
      deps.setSessionCookie(res, session.token);
      logger.info({ userId: account.id, ip: req.ip, via: 'oidc' }, 'signed in');
      res.redirect(303, '/');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'oidc: sign-in failed');
      refuse('unavailable');
    }
  });

  return router;
}
