import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegionConfig } from '@lagesbild/shared';
import type { Config } from './base/config.js';
import { createLogger, type Logger } from './base/logger.js';
import { loadRegionFile } from './region-file.js';
import { demoAccountEvents, demoMarkerAccountId } from './auth/accounts.js';
import { AuthService } from './auth/auth-service.js';
import type { EventLog } from './log/event-log.js';
import { CommandService } from './hub/command-service.js';
import type { HubState } from './hub/hub-state.js';
import { startSnapshots } from './hub/snapshotter.js';
import { watchLogHealth } from './hub/log-health.js';
import { publishAfterAnswers } from './socket/publish-after-answers.js';
import { createApp } from './http/app.js';
import { createSocketServer } from './socket/socket-server.js';
import { rooms } from './socket/rooms.js';
import { createEdgeSecurity } from './http/edge-security.js';
import { StartupError, openFoldedLog } from './hub/open-log.js';
import { regionView } from './directory/region-view.js';
import { applyLiveEffects } from './socket/live-effects.js';
import { DirectoryService } from './directory/directory-service.js';
import { AuditTrail } from './audit/audit-trail.js';
import { openAuditStore } from './audit/open-audit.js';
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

  // Opens and folds the log (Redis, or the embedded journal, locked against a second process).
  const started = performance.now();
  const folded = await openFoldedLog(config, region, logger);
  const { log, hub, keyPrefix } = folded;
  // The region file's actors with the directory's over them: the one region every part reads.
  const currentRegion = regionView(region, hub);

  const stores = await openSideStores(config, keyPrefix, logger);

  const auth = new AuthService(hub.directory, stores.sessions);
  const commands = new CommandService({
    log,
    hub,
    region: currentRegion,
    logger,
    timeoutMs: config.commandTimeoutMs,
  });
  const directory = new DirectoryService({
    commands,
    hub,
    baseRegion: region,
    region: currentRegion,
    publicUrl: config.publicUrl,
  });
  const audit = new AuditTrail(
    await openAuditStore(config, keyPrefix, stores.auditRedis, logger),
    config.hubId,
    currentRegion,
  );

  const security = createEdgeSecurity(
    config,
    { counters: stores.counters, pendingLogins: stores.pendingLogins },
    logger,
  );
  // The app must be the server's request listener before socket.io attaches: engine.io then
  // answers its own path alone and hands every other request on. A listener added after it
  // would also answer `/socket.io/` (Express's 404) while engine.io holds a long-poll, and
  // engine.io's next write to that response would crash the process.
  const app = createApp({
    config,
    logger,
    auth,
    commands,
    hub,
    log,
    storesReady: stores.ready,
    region: currentRegion,
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
    audit,
  });

  // After the acks of the same turn: a command is answered once durable, not once broadcast.
  publishAfterAnswers(hub, (events, headSeq) => broadcaster.publish(events, headSeq), logger);
  // Sign-outs, disabled accounts and revoked devices drop their sockets on every hub;
  // accounts that lose rights lose their sessions too.
  applyLiveEffects(hub, broadcaster, stores.sessions, logger);
  const stopSnapshots = startSnapshots(hub, log, config.snapshotEvery, logger);
  const stopWatchingLog = watchLogHealth(log, (healthy) => {
    logger.info({ canStore: healthy }, healthy ? 'log writable again' : 'log not writable');
    broadcaster.announceCanStore(healthy);
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

  if (config.demoAccounts) await seedDemoAccounts(commands, hub, region, config.demoPassword);

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
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await audit.close();
      await folded.close();
      await stores.close();
    },
  };
}

/** The attribution of changes the hub makes on its own (seeding, maintenance). */
export const systemAttribution = (region: RegionConfig) => ({
  userId: 'system',
  userName: 'Lägesbild',
  actorId: region.leadActorId,
  functionId: 'admin',
});

/**
 * Creates the demo accounts once per log. Several hubs starting together send the same
 * command id, so the accounts are created once; later starts find them and add nothing,
 * which keeps an administrator's changes to them.
 */
async function seedDemoAccounts(
  commands: CommandService,
  hub: HubState,
  region: RegionConfig,
  password: string,
) {
  if (hub.directory.accounts[demoMarkerAccountId(region)]) return;
  const events = await demoAccountEvents(region, password);
  const ack = await commands.appendSystem(
    `seed-demo-accounts:${region.id}`,
    systemAttribution(region),
    (h) => (h.directory.accounts[demoMarkerAccountId(region)] ? [] : events),
  );
  if (!ack.ok) throw new StartupError(`Could not create the demo accounts: ${ack.error.message}`);
}
