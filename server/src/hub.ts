import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import type { RegionConfig } from '@lagesbild/shared';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { loadRegionFile } from './region-file.js';
import { demoAccountEvents, demoMarkerAccountId } from './auth/accounts.js';
import { AuthService } from './auth/auth-service.js';
import { MemorySessionStore, RedisSessionStore, type SessionStore } from './auth/sessions.js';
import type { EventLog } from './log/event-log.js';
import { createJournalLog } from './log/journal-log.js';
import { CommandService } from './hub/command-service.js';
import { HubState } from './hub/hub-state.js';
import { startSnapshots } from './hub/snapshotter.js';
import { createApp } from './http/app.js';
import { createSocketServer } from './socket/socket-server.js';
import { rooms } from './rooms.js';

/** A running hub. */
export type RunningHub = {
  url: string;
  logger: Logger;
  region: RegionConfig;
  hub: HubState;
  log: EventLog;
  close: () => Promise<void>;
};

/** Raised for a configuration the hub must not run with; main prints it and exits 1. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Composes and starts a hub: the only place that knows every part. */
export async function startHub(config: Config): Promise<RunningHub> {
  const logger = createLogger(config.logLevel, config.hubId);
  const region = await loadRegionFile(config.regionFile);
  const currentRegion = () => region;

  const keyPrefix = config.redis?.keyPrefix ?? `lagesbild:${region.id}:`;
  let sessions: SessionStore;
  let log: EventLog;
  let closeRedis = async (): Promise<void> => undefined;
  const life = { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs };
  if (config.redis) {
    // Loaded only when configured, so the embedded mode does not load the Redis modules.
    const { checkRedis } = await import('./log/redis-preflight.js');
    const { createRedisLog } = await import('./log/redis-log.js');
    const problem = await checkRedis(config.redis.url, config.redis.requireAppendfsync);
    if (problem) throw new StartupError(problem);
    const redis = createClient({ url: config.redis.url, disableOfflineQueue: true });
    redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis (sessions) error'));
    await redis.connect();
    sessions = new RedisSessionStore(
      {
        get: async (key) => {
          const value = await redis.get(key);
          return typeof value === 'string' ? value : null;
        },
        set: async (key, value, ttlMs) => {
          await redis.set(key, value, ttlMs === 'keep' ? { KEEPTTL: true } : { PX: ttlMs });
        },
        del: async (key) => {
          await redis.del(key);
        },
      },
      keyPrefix,
      life,
    );
    log = createRedisLog({
      url: config.redis.url,
      keyPrefix,
      idempotencyWindowMs: config.idempotencyWindowMs,
      commandTimeoutMs: config.commandTimeoutMs,
      logger,
    });
    closeRedis = async () => {
      await redis.close();
    };
  } else {
    sessions = new MemorySessionStore(life);
    log = createJournalLog({ dir: config.dataDir, idempotencyWindowMs: config.idempotencyWindowMs, logger });
  }

  const started = performance.now();
  const opened = await log.open();
  const hub = new HubState(opened.epoch, config.historyRetain, opened.snapshot);
  hub.ingest(opened.events);
  logger.info(
    {
      log: log.kind,
      headSeq: hub.headSeq,
      snapshotSeq: opened.snapshot?.seq ?? null,
      replayed: opened.events.length,
      ms: Math.round(performance.now() - started),
    },
    'log opened',
  );

  const auth = new AuthService(hub.directory, sessions);
  const commands = new CommandService({
    log,
    hub,
    region: currentRegion,
    logger,
    timeoutMs: config.commandTimeoutMs,
  });

  const httpServer = createServer();
  const { io, broadcaster } = createSocketServer({
    httpServer,
    hubId: config.hubId,
    allowedOrigins: config.allowedOrigins,
    logger,
    auth,
    commands,
    hub,
    region: currentRegion,
  });
  const app = createApp({
    config,
    logger,
    auth,
    commands,
    hub,
    log,
    region: currentRegion,
    endSessionSockets: (sessionId) => broadcaster.disconnect(rooms.session(sessionId)),
  });
  httpServer.on('request', app);

  hub.onEvents((events) => broadcaster.publish(events, hub.headSeq));
  const stopSnapshots = startSnapshots(hub, log, config.snapshotEvery, logger);
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
    httpServer.listen(config.port, config.host, () => resolve());
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
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await log.close();
      await closeRedis();
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
async function seedDemoAccounts(commands: CommandService, hub: HubState, region: RegionConfig, password: string) {
  if (hub.directory.accounts[demoMarkerAccountId(region)]) return;
  const events = await demoAccountEvents(region, password);
  const ack = await commands.appendSystem(`seed-demo-accounts:${region.id}`, systemAttribution(region), (h) =>
    h.directory.accounts[demoMarkerAccountId(region)] ? [] : events,
  );
  if (!ack.ok) throw new StartupError(`Could not create the demo accounts: ${ack.error.message}`);
}
