import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import {
  CSRF_HEADER,
  LIMITS,
  SESSION_COOKIE,
  SignInRequest,
  eventsForViewer,
  fail,
  projectState,
  type RegionConfig,
  type SessionInfo,
  type SessionProbe,
  type Viewer,
} from '@lagesbild/shared';
import { z } from 'zod';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { EventLog } from '../log/event-log.js';
import { senderOf } from '../auth/accounts.js';
import type { AuthService, Authenticated } from '../auth/auth-service.js';
import { commandIds, type AuditTrail } from '../audit/audit-trail.js';
import type { DirectoryService } from '../directory/directory-service.js';
import { adminRoutes, handoverRoute } from './admin-routes.js';
import { contactRoutes } from './contact-routes.js';
import { deviceRoutes } from './device-routes.js';
import type { CommandService } from '../hub/command-service.js';
import type { HubState } from '../hub/hub-state.js';
import type { CallerLocals } from './caller.js';
import { errorBody, refuse } from './errors.js';
import { corsAllowlist, refuseForeignWrites } from './cors.js';
import type { EdgeSecurity } from './edge-security.js';
import { oidcRoutes } from './oidc-routes.js';
import { serveClient } from './static-client.js';
import { commandRateLimit, refuseBadForwardedFor } from './rate-limits.js';
import { SIGN_IN_REFUSED, signInThrottled } from '../auth/sign-in-throttle.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  auth: AuthService;
  commands: CommandService;
  hub: HubState;
  log: EventLog;
  /** Whether the stores beside the log (sessions in Redis) can be reached. */
  storesReady: () => boolean;
  region: () => RegionConfig;
  /** Disconnects the sockets of a signed-out session on every hub. */
  endSessionSockets: (sessionId: string) => void;
  security: EdgeSecurity;
  /** Directory changes: admin API, hand-over, device pairing, sign-out. */
  directory: DirectoryService;
  audit: AuditTrail;
};

/** How a refused sign-in is written in the audit trail. */
const SIGN_IN_OUTCOME = {
  refused: 'unauthenticated',
  locked: 'rate_limited',
  unavailable: 'log_unavailable',
} as const;

const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxEventsPerPage).default(LIMITS.maxEventsPerPage),
});

/** The hub's HTTP API (docs/api.md) and the built client. Handlers return; they never emit. */
export function createApp(deps: AppDeps): express.Express {
  const { config, auth, hub, security } = deps;
  const hubOrigin = new URL(config.publicUrl).origin;
  const app = express();
  app.disable('x-powered-by');
  // Only TRUSTED_PROXIES may speak for the client; the socket uses the same rule.
  app.set('trust proxy', (address: string) => security.proxies.isTrusted(address));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          // Only the hub itself: a page that could connect elsewhere could send the picture there.
          'connect-src': ["'self'", hubOrigin, toWs(hubOrigin)],
          'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins(config.tiles.url)],
          'style-src': ["'self'", "'unsafe-inline'"],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': config.https ? [] : null,
        },
      },
      strictTransportSecurity: config.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      xFrameOptions: { action: 'deny' },
    }),
  );
  // Before anything keys a limit or writes the audit trail by the client's address.
  app.use(refuseBadForwardedFor(security.proxies));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, data: { hubId: config.hubId, headSeq: hub.headSeq } });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.log.isHealthy() && deps.storesReady();
    res
      .status(ready ? 200 : 503)
      .json(
        ready
          ? { ok: true, data: { log: deps.log.kind } }
          : errorBody({ code: 'log_unavailable', message: 'The event log is unreachable' }),
      );
  });

  const api = express.Router();
  api.use(corsAllowlist(config.allowedOrigins));
  api.use(refuseForeignWrites(config.allowedOrigins));
  api.use(express.json({ limit: LIMITS.maxCommandBytes, strict: true }));

  // Identify the caller on every API request; routes that need a session check for it.
  api.use(async (req: Request, res: Response<unknown, CallerLocals>, next: NextFunction) => {
    try {
      const found = await auth.identify(req.headers.cookie);
      if (found?.kind === 'user') res.locals.auth = { session: found.session, account: found.account };
      if (found?.kind === 'device') res.locals.device = { session: found.session, device: found.device };
      next();
    } catch (error) {
      // Sessions live in Redis when hubs share them; while it is down nobody can be identified.
      deps.logger.warn({ err: (error as Error).message }, 'session lookup failed');
      refuse(res, {
        code: 'log_unavailable',
        message: 'The hub cannot check sessions right now; try again shortly',
      });
    }
  });

  // CSRF: a cookie-authenticated write must echo the session's token in a header, which a
  // cross-site form or fetch cannot do.
  api.use((req: Request, res: Response<unknown, CallerLocals>, next: NextFunction) => {
    const signedIn = res.locals.auth ?? res.locals.device;
    if (
      signedIn &&
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      // Routes that open a session check credentials, not a session.
      !(req.method === 'POST' && ['/session', '/devices/pair', '/devices/session'].includes(req.path))
    ) {
      if (req.get(CSRF_HEADER) !== signedIn.session.csrfToken) {
        refuse(res, { code: 'forbidden', message: `Missing or wrong ${CSRF_HEADER} header` });
        return;
      }
    }
    next();
  });

  const sessionInfo = (signedIn: Authenticated): SessionInfo => ({
    user: { id: signedIn.account.id, username: signedIn.account.username, name: signedIn.account.name },
    actorId: signedIn.account.actorId,
    functionIds: signedIn.account.functionIds,
    csrfToken: signedIn.session.csrfToken,
    region: deps.region(),
    tiles: config.tiles,
  });

  const requireAuth = (res: Response<unknown, CallerLocals>): Authenticated | null => {
    const signedIn = res.locals.auth;
    if (!signedIn) refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    return signedIn ?? null;
  };

  /** Whoever may read: a person as their actor, a paired display as a device. */
  const requireViewer = (res: Response<unknown, CallerLocals>): Viewer | null => {
    if (res.locals.device) return { kind: 'device' };
    const signedIn = requireAuth(res);
    return signedIn ? viewerOf(signedIn) : null;
  };

  const setSessionCookie = (res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: 'lax',
      path: '/',
      maxAge: config.sessionTtlMs,
    });

  api.post('/session', security.signInLimit, async (req, res: Response<unknown, CallerLocals>) => {
    const body = SignInRequest.safeParse(req.body);
    if (!body.success) return refuse(res, { code: 'bad_request', message: z.prettifyError(body.error) });
    const { username, password } = body.data;
    const result = await signInThrottled(security.signInThrottle, username, req.ip ?? 'unknown', () =>
      auth.signIn(username, password),
    );
    deps.audit.action({
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
      deps.logger.info({ username, ip: req.ip, reason: result.reason }, 'sign-in refused');
      switch (result.reason) {
        case 'refused':
          return refuse(res, { code: 'unauthenticated', message: SIGN_IN_REFUSED });
        case 'locked':
          res.setHeader('Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
          return refuse(res, { code: 'rate_limited', message: SIGN_IN_REFUSED });
        case 'unavailable':
          deps.logger.warn({ err: (result.error as Error).message }, 'sign-in failed');
          return refuse(res, {
            code: 'log_unavailable',
            message: 'The hub cannot sign you in right now; try again shortly',
          });
      }
    }
    deps.logger.info({ userId: result.value.auth.account.id, ip: req.ip }, 'signed in');
    setSessionCookie(res, result.value.token);
    res.json({ ok: true, data: sessionInfo(result.value.auth) });
  });

  api.use(
    oidcRoutes({
      oidc: security.oidc,
      cookieSecure: config.cookieSecure,
      logger: deps.logger,
      auth,
      commands: deps.commands,
      hub,
      region: deps.region,
      loginLimit: security.oidcLoginLimit,
      setSessionCookie,
    }),
  );

  api.get('/session', (_req, res: Response<unknown, CallerLocals>) => {
    const signedIn = res.locals.auth;
    const data: SessionProbe = signedIn ? sessionInfo(signedIn) : { signedIn: false };
    res.json({ ok: true, data });
  });

  api.delete('/session', async (req, res: Response<unknown, CallerLocals>) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    await auth.signOut(signedIn.session.id);
    deps.endSessionSockets(signedIn.session.id);
    // Through the log, so every hub drops this session's sockets too.
    const revoked = await deps.directory.revokeSession(signedIn.session.id, {
      userId: signedIn.account.id,
      userName: signedIn.account.name,
      actorId: signedIn.account.actorId,
      functionId: signedIn.account.functionIds[0] ?? 'none',
    });
    if (!revoked.ok)
      deps.logger.warn({ err: revoked.error.message }, 'sign-out not logged; other hubs keep sockets');
    deps.audit.action({
      kind: 'signOut',
      type: 'session.signOut',
      who: { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
      origin: { ip: req.ip ?? null, via: 'http' },
      outcome: revoked.ok ? 'ok' : revoked.error.code,
    });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true, data: {} });
  });

  api.get('/state', (_req, res: Response<unknown, CallerLocals>) => {
    const viewer = requireViewer(res);
    if (!viewer) return;
    res.json({
      ok: true,
      data: { epoch: hub.epoch, seq: hub.headSeq, state: projectState(hub.state, viewer) },
    });
  });

  api.get('/events', async (req, res: Response<unknown, CallerLocals>) => {
    const viewer = requireViewer(res);
    if (!viewer) return;
    const query = EventsQuery.safeParse(req.query);
    if (!query.success) return refuse(res, { code: 'bad_request', message: z.prettifyError(query.error) });
    const { after, limit } = query.data;
    const headSeq = hub.headSeq;
    const retained = hub.eventsAfter(after) ?? (await readFromLog(deps.log, after, limit));
    if (retained === null) {
      return refuse(res, {
        code: 'history_truncated',
        message: `Events after ${after} are no longer retained; fetch /api/state`,
      });
    }
    const page = retained.slice(0, limit);
    const pageHead = page.length === limit ? (page[page.length - 1]?.seq ?? headSeq) : headSeq;
    res.json({
      ok: true,
      data: { epoch: hub.epoch, events: eventsForViewer(viewer, page), headSeq: pageHead },
    });
  });

  // Throttled per user and address (the socket shares the buckets) before the command is handled.
  api.use('/commands', commandRateLimit(security.commandLimiter));
  api.post('/commands', async (req, res: Response<unknown, CallerLocals>) => {
    const origin = { ip: req.ip ?? null, via: 'http' as const };
    const device = res.locals.device;
    if (device) {
      const refused = fail('forbidden', 'A wall display is read-only');
      deps.audit.command(
        { kind: 'device', deviceId: device.device.id },
        null,
        { ...commandIds(req.body), ack: refused },
        origin,
      );
      return refuse(res, refused.error);
    }
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    const sender = senderOf(signedIn.account);
    const outcome = await deps.commands.handle(req.body, sender);
    deps.audit.command(
      { kind: 'user', userId: signedIn.account.id, actorId: signedIn.account.actorId },
      sender,
      outcome,
      origin,
    );
    deps.logger.info(
      {
        commandId: outcome.commandId,
        type: outcome.type,
        userId: signedIn.account.id,
        ok: outcome.ack.ok,
        via: 'http',
      },
      'command',
    );
    if (outcome.ack.ok) res.json(outcome.ack);
    else refuse(res, outcome.ack.error);
  });

  api.use('/admin', adminRoutes({ directory: deps.directory, audit: deps.audit }));
  api.use(handoverRoute({ directory: deps.directory, audit: deps.audit }));
  api.use(contactRoutes({ hub, region: deps.region }));
  api.use(
    deviceRoutes({
      auth,
      directory: deps.directory,
      audit: deps.audit,
      region: deps.region,
      tiles: config.tiles,
      cookieSecure: config.cookieSecure,
      setSessionCookie,
      pairLimit: security.signInLimit,
    }),
  );

  api.use((_req, res) => refuse(res, { code: 'not_found', message: 'No such API route' }));
  app.use('/api', api);

  serveClient(app, config.clientDist);

  // Body-parser and other errors: a clear refusal, never a stack trace.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large')
      return refuse(res, fail('payload_too_large', `Body over ${LIMITS.maxCommandBytes} bytes`).error);
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return refuse(res, { code: 'bad_request', message: 'The body is not valid JSON' });
    }
    deps.logger.error({ err: error }, 'request failed');
    refuse(res, { code: 'internal', message: 'The hub could not handle the request' });
  });
  return app;
}

/** A person sees as their actor. */
export const viewerOf = (signedIn: Authenticated): Viewer => ({
  kind: 'actor',
  actorId: signedIn.account.actorId,
});

/** Reads older history from the log itself; null when the log does not retain it either. */
async function readFromLog(log: EventLog, after: number, limit: number) {
  const events = await log.read(after, limit);
  const first = events[0];
  return first === undefined || first.seq === after + 1 ? events : null;
}

const toWs = (origin: string) => origin.replace(/^http/, 'ws');

function tileOrigins(url: string): string[] {
  if (!url) return [];
  try {
    const host = new URL(url.replace(/\{[a-z]\}/g, 'a')).origin;
    return [host, host.replace('://a.', '://*.')];
  } catch {
    return [];
  }
}
