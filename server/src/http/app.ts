import express from 'express';
import { LIMITS, type MunicipalAreas, type RegionConfig } from '@lagesbild/shared';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { EventLog } from '../log/event-log.js';
import type { AuthService } from '../auth/auth-service.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { DirectoryService } from '../directory/directory-service.js';
import type { CommandService } from '../hub/command-service.js';
import type { HubState } from '../hub/hub-state.js';
import type { WritePath } from '../hub/write-path.js';
import { adminRoutes, handoverRoute } from './admin-routes.js';
import { identifyCaller, requireCsrfToken } from './caller.js';
import { commandRoute } from './command-route.js';
import { contactRoutes } from './contact-routes.js';
import { corsAllowlist, refuseForeignWrites } from './cors.js';
import { deviceRoutes } from './device-routes.js';
import type { EdgeSecurity } from './edge-security.js';
import { handleErrors, refuse } from './errors.js';
import { oidcRoutes } from './oidc-routes.js';
import { publicMessageRoutes } from './public-message-routes.js';
import { refuseBadForwardedFor } from './rate-limits.js';
import { healthRoutes, readRoutes } from './read-routes.js';
import type { ToLogTime } from '../hub/log-health.js';
import { securityHeaders } from './security-headers.js';
import { sessionCookieSetter, sessionRoutes } from './session-routes.js';
import { serveClient } from './static-client.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  auth: AuthService;
  /** The command gateway, for `POST /api/commands`. */
  commands: CommandService;
  /** The write path, for the accounts OpenID Connect sign-in creates. */
  writes: WritePath;
  hub: HubState;
  log: EventLog;
  /** Whether the stores beside the log (sessions in Redis) can be reached. */
  storesReady: () => boolean;
  /** How far this hub's clock is from the log's, for `/readyz` (see log-clock.ts). */
  clockSkewMs?: () => number | null;
  /** This process's time to the log's, for "stale since" (see log-health.ts). */
  toLogTime?: ToLogTime;
  region: () => RegionConfig;
  /** The region's municipal borders (`MUNICIPALITIES_FILE`), for the areas of CAP alerts. */
  municipalities: MunicipalAreas;
  /** Disconnects the sockets of a signed-out session on every hub. */
  endSessionSockets: (sessionId: string) => void;
  security: EdgeSecurity;
  /** Directory changes: admin API, hand-over, device pairing, sign-out. */
  directory: DirectoryService;
  audit: AuditTrail;
};

/**
 * The hub's HTTP API (docs/api.md) and the built client, composed from routers of one job
 * each. Handlers return; they never emit.
 */
export function createApp(deps: AppDeps): express.Express {
  const { config, logger, auth, hub, security, directory, audit } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Only TRUSTED_PROXIES may speak for the client; the socket uses the same rule.
  app.set('trust proxy', (address: string) => security.proxies.isTrusted(address));
  app.use(securityHeaders(config));
  // Before anything keys a limit or writes the audit trail by the client's address.
  app.use(refuseBadForwardedFor(security.proxies));
  app.use(
    healthRoutes({
      hubId: config.hubId,
      hub,
      log: deps.log,
      storesReady: deps.storesReady,
      clockSkewMs: deps.clockSkewMs,
      toLogTime: deps.toLogTime,
      audit: () => audit.health(),
    }),
  );

  const api = express.Router();
  api.use(corsAllowlist(config.allowedOrigins));
  api.use(refuseForeignWrites(config.allowedOrigins));
  // Readable without signing in, so mounted before the session lookup: the public's CAP
  // alerts and feed do not wait on (or fail with) the session store.
  api.use(
    publicMessageRoutes({
      hub,
      log: deps.log,
      region: deps.region,
      municipalities: deps.municipalities,
      limiter: security.publicReadLimiter,
    }),
  );
  api.use(express.json({ limit: LIMITS.maxCommandBytes, strict: true }));
  api.use(identifyCaller(auth, logger));
  api.use(requireCsrfToken());

  const setSessionCookie = sessionCookieSetter(config);
  api.use(
    sessionRoutes({
      config,
      logger,
      auth,
      region: deps.region,
      directory,
      audit,
      signInLimit: security.signInLimit,
      signInThrottle: security.signInThrottle,
      setSessionCookie,
      endSessionSockets: deps.endSessionSockets,
    }),
  );
  api.use(
    oidcRoutes({
      oidc: security.oidc,
      cookieSecure: config.cookieSecure,
      logger,
      auth,
      writes: deps.writes,
      hub,
      region: deps.region,
      loginLimit: security.oidcLoginLimit,
      setSessionCookie,
    }),
  );
  api.use(readRoutes({ hub, log: deps.log }));
  api.use(commandRoute(deps.commands));
  api.use('/admin', adminRoutes({ directory, audit, commands: deps.commands, hub, region: deps.region }));
  api.use(handoverRoute({ directory, audit }));
  api.use(contactRoutes({ hub, region: deps.region }));
  api.use(
    deviceRoutes({
      auth,
      directory,
      audit,
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
  app.use(handleErrors(logger));
  return app;
}
