import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER, type Viewer } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import type { AuthService, Authenticated, DeviceAuthenticated } from '../auth/auth-service.js';
import { refuse } from './errors.js';

/** What the API's identification middleware leaves for the routes: a person or a paired display. */
export type CallerLocals = { auth?: Authenticated; device?: DeviceAuthenticated };

type Res = Response<unknown, CallerLocals>;

/** Routes that open a session: they check credentials, not a session, so no CSRF token yet. */
const OPENING_ROUTES = ['/session', '/devices/pair', '/devices/session'];

/** Identifies the caller of every API request; routes that need a session check for it. */
export function identifyCaller(auth: Pick<AuthService, 'identify'>, logger: Logger): RequestHandler {
  return async (req: Request, res: Res, next: NextFunction) => {
    try {
      const found = await auth.identify(req.headers.cookie);
      if (found?.kind === 'user') res.locals.auth = { session: found.session, account: found.account };
      if (found?.kind === 'device') res.locals.device = { session: found.session, device: found.device };
      next();
    } catch (error) {
      // Sessions live in Redis when hubs share them; while it is down nobody can be identified.
      logger.warn({ err: (error as Error).message }, 'session lookup failed');
      refuse(res, {
        code: 'log_unavailable',
        message: 'The hub cannot check sessions right now; try again shortly',
      });
    }
  };
}

/**
 * CSRF: a cookie-authenticated write must echo the session's token in a header, which a
 * cross-site form or fetch cannot do.
 */
export function requireCsrfToken(): RequestHandler {
  return (req: Request, res: Res, next: NextFunction) => {
    const signedIn = res.locals.auth ?? res.locals.device;
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const opening = req.method === 'POST' && OPENING_ROUTES.includes(req.path);
    if (signedIn && write && !opening && req.get(CSRF_HEADER) !== signedIn.session.csrfToken) {
      refuse(res, { code: 'forbidden', message: `Missing or wrong ${CSRF_HEADER} header` });
      return;
    }
    next();
  };
}

/** The signed-in person, or null after refusing the request. */
export function requireAuth(res: Res): Authenticated | null {
  const signedIn = res.locals.auth;
  if (!signedIn) refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
  return signedIn ?? null;
}

/** Whoever may read: a person as their actor, a paired display as a device. */
export function requireViewer(res: Res): Viewer | null {
  if (res.locals.device) return { kind: 'device' };
  const signedIn = requireAuth(res);
  return signedIn ? viewerOf(signedIn) : null;
}

/** A person sees as their actor. */
export const viewerOf = (signedIn: Authenticated): Viewer => ({
  kind: 'actor',
  actorId: signedIn.account.actorId,
});
