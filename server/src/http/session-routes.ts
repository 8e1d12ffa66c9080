import express, { type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import {
  SESSION_COOKIE,
  SignInRequest,
  type RegionConfig,
  type SessionInfo,
  type SessionProbe,
} from '@lagesbild/shared';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { attribution } from '../auth/attribution.js';
import { senderOf } from '../auth/accounts.js';
import type { AuthService, Authenticated } from '../auth/auth-service.js';
import { SIGN_IN_REFUSED, signInThrottled, type SignInThrottle } from '../auth/sign-in-throttle.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { DirectoryService } from '../directory/directory-service.js';
import { requireAuth, type CallerLocals } from './caller.js';
import { refuse } from './errors.js';

export type SessionRouteDeps = {
  config: Pick<Config, 'tiles'>;
  logger: Logger;
  auth: AuthService;
  region: () => RegionConfig;
  directory: DirectoryService;
  audit: AuditTrail;
  signInLimit: RequestHandler;
  signInThrottle: SignInThrottle;
  setSessionCookie: (res: Response, token: string) => void;
  /** Disconnects the sockets of a signed-out session on this hub. */
  endSessionSockets: (sessionId: string) => void;
};

type Res = Response<unknown, CallerLocals>;

/** How a refused sign-in is written in the audit trail. */
const SIGN_IN_OUTCOME = {
  refused: 'unauthenticated',
  locked: 'rate_limited',
  unavailable: 'log_unavailable',
} as const;

/** Sets the session cookie; sign-in, OpenID Connect and device pairing set it alike. */
export const sessionCookieSetter =
  (config: Pick<Config, 'cookieSecure' | 'sessionTtlMs'>) => (res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: 'lax',
      path: '/',
      maxAge: config.sessionTtlMs,
    });

/** `POST`, `GET` and `DELETE /api/session`: signing in with a password, asking who, signing out. */
export function sessionRoutes(deps: SessionRouteDeps): express.Router {
  const { auth, logger, audit } = deps;
  const router = express.Router();

  const sessionInfo = (signedIn: Authenticated): SessionInfo => ({
    user: { id: signedIn.account.id, username: signedIn.account.username, name: signedIn.account.name },
    actorId: signedIn.account.actorId,
    functionIds: signedIn.account.functionIds,
    csrfToken: signedIn.session.csrfToken,
    region: deps.region(),
    tiles: deps.config.tiles,
  });

  router.post('/session', deps.signInLimit, async (req, res: Res) => {
    const body = SignInRequest.safeParse(req.body);
    if (!body.success) return refuse(res, { code: 'bad_request', message: z.prettifyError(body.error) });
    const { username, password } = body.data;
    const result = await signInThrottled(deps.signInThrottle, username, req.ip ?? 'unknown', () =>
      auth.signIn(username, password),
    );
    audit.action({
      kind: 'signIn',
      type: 'session.signIn',
      who: result.ok
        ? { kind: 'user', userId: result.value.auth.account.id, actorId: result.value.auth.account.actorId }
        : { kind: 'anonymous' },
      origin: { ip: req.ip ?? null, via: 'http' },
      outcome: result.ok ? 'ok' : SIGN_IN_OUTCOME[result.reason],
      target: username,
    });
    if (!result.ok) {
      logger.info({ username, ip: req.ip, reason: result.reason }, 'sign-in refused');
      switch (result.reason) {
        case 'refused':
          return refuse(res, { code: 'unauthenticated', message: SIGN_IN_REFUSED });
        case 'locked':
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
          return refuse(res, { code: 'rate_limited', message: SIGN_IN_REFUSED });
        case 'unavailable':
          logger.warn({ err: (result.error as Error).message }, 'sign-in failed');
          return refuse(res, {
            code: 'log_unavailable',
            message: 'The hub cannot sign you in right now; try again shortly',
          });
      }
    }
    logger.info({ userId: result.value.auth.account.id, ip: req.ip }, 'signed in');
    deps.setSessionCookie(res, result.value.token);
    res.json({ ok: true, data: sessionInfo(result.value.auth) });
  });

  router.get('/session', (_req, res: Res) => {
    const signedIn = res.locals.auth;
    const data: SessionProbe = signedIn ? sessionInfo(signedIn) : { signedIn: false };
    res.json({ ok: true, data });
  });

  router.delete('/session', async (req, res: Res) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    await auth.signOut(signedIn.session.id);
    deps.endSessionSockets(signedIn.session.id);
    // Through the log, so every hub drops this session's sockets too.
    const revoked = await deps.directory.revokeSession(
      signedIn.session.id,
      attribution({
        kind: 'person',
        person: senderOf(signedIn.account),
        functionId: signedIn.account.functionIds[0] ?? 'none',
      }),
    );
    if (!revoked.ok)
      logger.warn({ err: revoked.error.message }, 'sign-out not logged; other hubs keep sockets');
    audit.action({
      kind: 'signOut',
      type: 'session.signOut',
      who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
      origin: { ip: req.ip ?? null, via: 'http' },
      outcome: revoked.ok ? 'ok' : revoked.error.code,
    });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true, data: {} });
  });

  return router;
}
