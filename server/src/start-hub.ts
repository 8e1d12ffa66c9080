import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { succeed, type EventDraft, type RegionConfig } from '@lagesbild/shared';
import type { Config } from './base/config.js';
import { createLogger, type Logger } from './base/logger.js';
import { loadRegionFile } from './region-file.js';
import { loadMunicipalitiesFile } from './municipalities-file.js';
import { demoAccountEvents, demoAccounts, demoMarkerAccountId } from './auth/accounts.js';
import { AuthService } from './auth/auth-service.js';
import type { EventLog } from './log/event-log.js';
import { attribution } from './auth/attribution.js';
import { CommandService } from './hub/command-service.js';
import { openHubServices } from './hub/hub-services.js';
import type { WritePath } from './hub/write-path.js';
import type { HubState } from './hub/hub-state.js';
import { startSnapshots } from './hub/snapshotter.js';
import { watchLogHealth } from './hub/log-health.js';
import { LOST_EXIT_DELAY_MS, watchLogLost } from './hub/log-lost.js';
import { processClock, watchLogClock } from './hub/log-clock.js';
import { publishAfterAnswers } from './socket/publish-after-answers.js';
import { createApp } from './http/app.js';
import { createSocketServer } from './socket/socket-server.js';
import { rooms } from './socket/rooms.js';
import { createEdgeSecurity } from './http/edge-security.js';
import { SeedingError, StartupError, openFoldedLog } from './hub/open-log.js';
import { applyLiveEffects } from './socket/live-effects.js';
import { openSideStores } from './side-stores.js';

export { StartupError };

/** A running hub. */
export type RunningHub = {
  url: string;
  logger: Logger;
  region: RegionConfig;
  hub: HubState;
  log: EventLog;
  close: () => Promise<void>;
};

/** Composes and starts a hub: the only place that knows every part. */
export async function startHub(config: Config): Promise<RunningHub> {
  const logger = createLogger(config.logLevel, config.hubId);
  const region = await loadRegionFile(config.regionFile);
  const municipalities = await loadMunicipalitiesFile(config.municipalitiesFile);

  // Opens and folds the log (Redis, or the embedded journal, locked against a second process).
  const started = performance.now();
  const folded = await openFoldedLog(config, region, logger);
  const { log, hub, keyPrefix } = folded;
  const stores = await openSideStores(config, keyPrefix, logger);
  // The clock the log stamps events with: session lifetimes and decided times follow it.
  const clock = stores.logTime
    ? await watchLogClock({ readLogTime: stores.logTime, logger })
    : processClock();

  // "Stale since" is said in the log's time, like every time on the picture.
  const toLogTime = (localMs: number) => clock.now() - (Date.now() - localMs);

  const auth = new AuthService(hub.directory, stores.sessions, () => clock.now());
  const services = await openHubServices({
    config,
    baseRegion: region,
    folded,
    logger,
    auditRedis: stores.auditRedis,
    auditAs: config.hubId,
    now: () => new Date(clock.now()),
  });
  const { writes, directory, audit, region: currentRegion } = services;
  const security = createEdgeSecurity(
    config,
    { counters: stores.counters, pendingLogins: stores.pendingLogins },
    logger,
  );
  const commands = new CommandService({
    writes,
    hub,
    region: currentRegion,
    limiter: security.commandLimiter,
    audit,
    logger,
  });
  // The app must be the server's request listener before socket.io attaches: engine.io then
  // answers its own path alone and hands every other request on. A listener added after it
  // would also answer `/socket.io/` (Express's 404) while engine.io holds a long-poll, and
  // engine.io's next write to that response would crash the process.
  const app = createApp({
    config,
    logger,
    auth,
    commands,
    writes,
    hub,
    log,
    storesReady: stores.ready,
    clockSkewMs: () => clock.skewMs(),
    toLogTime,
    region: currentRegion,
    municipalities,
    // Called only once the hub serves, when the broadcaster below exists.
    endSessionSockets: (sessionId) => broadcaster.disconnect(rooms.session(sessionId)),
    security,
    directory,
    audit,
  });
  const httpServer = createServer(app);
  // Longer than any client's or load balancer's idle keep-alive, so the hub is never the
  // side that closes a connection a client is about to reuse ("other side closed").
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const { io, broadcaster } = createSocketServer({
    httpServer,
    hubId: config.hubId,
    allowedOrigins: config.allowedOrigins,
    logger,
    auth,
    commands,
    hub,
    region: currentRegion,
    security,
  });

  // After the acks of the same turn: a command is answered once durable, not once broadcast.
  publishAfterAnswers(hub, (events, headSeq) => broadcaster.publish(events, headSeq), logger);
  // Sign-outs, disabled accounts and revoked devices drop their sockets on every hub;
  // accounts that lose rights lose their sessions too.
  applyLiveEffects(hub, broadcaster, stores.sessions, logger, () => clock.now());
  const stopSnapshots = startSnapshots(hub, log, config.snapshotEvery, logger);
  const stopWatchingLog = watchLogHealth(
    log,
    (status) => {
      logger.info({ canStore: status.canStore, picture: status.picture }, 'hub status changed');
      broadcaster.announceStatus(status);
    },
    { toLogTime },
  );
  // A lost log (Redis flushed, a journal replaced) is not this hub's to serve: the status
  // above tells the clients, then the hub exits for its supervisor to restart it.
  const stopWatchingLost = watchLogLost(log, {
    onLost: (reason) =>
      logger.fatal(
        { reason, exitInMs: LOST_EXIT_DELAY_MS },
        'log lost: this hub no longer serves and exits for its supervisor to restart it against the log there now',
      ),
    // The audit records still held in memory are written (or counted as lost, loudly) first.
    beforeExit: () => audit.close(),
    exit: (code) => process.exit(code),
  });
  log.tail(hub.headSeq, (events) => {
    try {
      hub.ingest(events);
    } catch (error) {
      // The log promised no gaps; folding past one would show a wrong picture. Stop loudly
      // so the supervisor restarts the hub from the log.
      logger.fatal({ err: (error as Error).message }, 'log delivered a gap; exiting');
      process.exit(70);
    }
  });

  if (config.demoAccounts) await seedDemoAccounts(writes, hub, region, config.demoPassword);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    // A deep accept queue: after a restart thousands of clients reconnect within seconds,
    // and a connection the kernel drops for a full queue is retried only after 1 s, 3 s, ….
    httpServer.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { url, log: log.kind, headSeq: hub.headSeq, ms: Math.round(performance.now() - started) },
    'hub ready',
  );

  return {
    url,
    logger,
    region,
    hub,
    log,
    close: async () => {
      stopSnapshots();
      stopWatchingLog();
      stopWatchingLost();
      clock.stop();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await audit.close();
      await folded.close();
      await stores.close();
    },
  };
}

/** The account a seeding event is about. */
function seededAccountId(e: EventDraft): string {
  if (e.type === 'account.saved') return e.payload.account.id;
  if (e.type === 'account.passwordSet') return e.payload.accountId;
  return '';
}

/**
 * Creates the demo accounts once per log. Several hubs starting together send the same
 * command id, so the accounts are created once; later starts find them and add nothing,
 * which keeps an administrator's changes to them. A log seeded before some demo accounts
 * existed (the directing level's heads) gets just those, under a command id of their own:
 * the first seeding's id would be answered as done and add nothing.
 */
async function seedDemoAccounts(writes: WritePath, hub: HubState, region: RegionConfig, password: string) {
  const missing = (h: HubState) => demoAccounts(region).filter((a) => !h.directory.accounts[a.id]);
  const wanted = missing(hub);
  if (wanted.length === 0) return;
  const events = await demoAccountEvents(region, password, wanted);
  const firstSeeding = !hub.directory.accounts[demoMarkerAccountId(region)];
  const commandId = firstSeeding
    ? `seed-demo-accounts:${region.id}`
    : `seed-demo-accounts:${region.id}:${wanted.map((a) => a.id).join('+')}`;
  const ack = await writes.appendSystem(
    commandId,
    attribution({ kind: 'hub', userId: 'system', userName: 'Lägesbild', region }),
    (h) => {
      const stillMissing = new Set(missing(h).map((a) => a.id));
      return succeed(events.filter((e) => stillMissing.has(seededAccountId(e))));
    },
  );
  if (!ack.ok) throw new SeedingError(`Could not create the demo accounts: ${ack.error.message}`);
}
