import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import {
  CSRF_HEADER,
  LIMITS,
  SESSION_COOKIE,
  SignInRequest,
  canSeeEvent,
  fail,
  projectState,
  type AppError,
  type RegionConfig,
  type SessionInfo,
  type Viewer,
} from '@lagesbild/shared';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventLog } from '../log/event-log.js';
import { senderOf } from '../auth/accounts.js';
import type { AuthService, Authenticated } from '../auth/auth-service.js';
import type { CommandService } from '../hub/command-service.js';
import type { HubState } from '../hub/hub-state.js';
import { HTTP_STATUS, errorBody } from './errors.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  auth: AuthService;
  commands: CommandService;
  hub: HubState;
  log: EventLog;
  region: () => RegionConfig;
  /** Disconnects the sockets of a signed-out session on every hub. */
  endSessionSockets: (sessionId: string) => void;
};

type Locals = { auth?: Authenticated };

const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.maxEventsPerPage).default(LIMITS.maxEventsPerPage),
});

/** The hub's HTTP API (docs/api.md) and the built client. Handlers return; they never emit. */
export function createApp(deps: AppDeps): express.Express {
  const { config, auth, hub } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'connect-src': ["'self'", ...config.allowedOrigins, ...config.allowedOrigins.map(toWs)],
          'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins(config.tiles.url)],
          'style-src': ["'self'", "'unsafe-inline'"],
          'upgrade-insecure-requests': config.cookieSecure ? [] : null,
        },
      },
      strictTransportSecurity: config.cookieSecure,
    }),
  );

  const refuse = (res: Response, error: AppError) =>
    res.status(HTTP_STATUS[error.code]).json(errorBody(error));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, data: { hubId: config.hubId, headSeq: hub.headSeq } });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.log.isHealthy();
    res
      .status(ready ? 200 : 503)
      .json(
        ready
          ? { ok: true, data: { log: deps.log.kind } }
          : errorBody({ code: 'log_unavailable', message: 'The event log is unreachable' }),
      );
  });

  const api = express.Router();
  api.use(express.json({ limit: LIMITS.maxCommandBytes, strict: true }));

  // Identify the caller on every API request; routes that need a session check for it.
  api.use(async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    try {
      const found = await auth.fromCookieHeader(req.headers.cookie);
      if (found) res.locals.auth = found;
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
  api.use((req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    const signedIn = res.locals.auth;
    if (
      signedIn &&
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      !(req.method === 'POST' && req.path === '/session')
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

  const requireAuth = (res: Response<unknown, Locals>): Authenticated | null => {
    const signedIn = res.locals.auth;
    if (!signedIn) refuse(res, { code: 'unauthenticated', message: 'Sign in first' });
    return signedIn ?? null;
  };

  api.post('/session', async (req, res: Response<unknown, Locals>) => {
    const body = SignInRequest.safeParse(req.body);
    if (!body.success) return refuse(res, { code: 'bad_request', message: z.prettifyError(body.error) });
    const result = await auth.signIn(body.data.username, body.data.password);
    if (!result) {
      deps.logger.info({ username: body.data.username, ip: req.ip }, 'sign-in refused');
      return refuse(res, { code: 'unauthenticated', message: 'Wrong username or password' });
    }
    deps.logger.info({ userId: result.auth.account.id, ip: req.ip }, 'signed in');
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      secure: config.cookieSecure,
      sameSite: 'lax',
      path: '/',
      maxAge: config.sessionTtlMs,
    });
    res.json({ ok: true, data: sessionInfo(result.auth) });
  });

  api.get('/session', (_req, res: Response<unknown, Locals>) => {
    const signedIn = requireAuth(res);
    if (signedIn) res.json({ ok: true, data: sessionInfo(signedIn) });
  });

  api.delete('/session', async (_req, res: Response<unknown, Locals>) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    await auth.signOut(signedIn.session.id);
    deps.endSessionSockets(signedIn.session.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true, data: {} });
  });

  api.get('/state', (_req, res: Response<unknown, Locals>) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    const viewer = viewerOf(signedIn);
    res.json({
      ok: true,
      data: { epoch: hub.epoch, seq: hub.headSeq, state: projectState(hub.state, viewer) },
    });
  });

  api.get('/events', async (req, res: Response<unknown, Locals>) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
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
    const viewer = viewerOf(signedIn);
    res.json({
      ok: true,
      data: { epoch: hub.epoch, events: page.filter((e) => canSeeEvent(viewer, e)), headSeq: pageHead },
    });
  });

  api.post('/commands', async (req, res: Response<unknown, Locals>) => {
    const signedIn = requireAuth(res);
    if (!signedIn) return;
    const outcome = await deps.commands.handle(req.body, senderOf(signedIn.account));
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

function serveClient(app: express.Express, dist: string) {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_req, res) => {
      res.type('text').send('The client is not built. Run: npm run build');
    });
    return;
  }
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  // Single-page app: any other path that is not the API or the socket gets the shell.
  app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
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
