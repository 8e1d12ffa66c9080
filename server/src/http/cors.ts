import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER } from '@lagesbild/shared';
import { HTTP_STATUS, errorBody } from './errors.js';
import { isOriginAllowed, requestOrigin } from './origin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CORS for the API with an exact allowlist: an allowed origin is echoed, any other gets no
 * CORS header at all (never a reflected or wildcard origin), and its preflight is refused.
 */
export function corsAllowlist(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary('Origin');
    const origin = req.get('origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!ok) {
      res.status(HTTP_STATUS.forbidden).json(errorBody({ code: 'forbidden', message: 'Origin not allowed' }));
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', `content-type, ${CSRF_HEADER}`);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/**
 * Refuses writes a browser sends from a foreign page. The CSRF token already stops them
 * for signed-in callers; this also covers sign-in itself (login CSRF) and is checked
 * before any work. Requests without Origin come from non-browser clients.
 */
export function refuseForeignWrites(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    const ownOrigin = requestOrigin(req.protocol, req.get('host'));
    if (SAFE_METHODS.has(req.method) || isOriginAllowed(req.get('origin'), ownOrigin, allowed)) return next();
    res
      .status(HTTP_STATUS.forbidden)
      .json(errorBody({ code: 'forbidden', message: 'Cross-origin write refused' }));
  };
}
