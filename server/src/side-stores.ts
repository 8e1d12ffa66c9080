import { createClient } from 'redis';
import type { Config } from './base/config.js';
import type { Logger } from './base/logger.js';
import { RedisSessionStore, type SessionStore } from './auth/sessions.js';
import { FileSessionStore } from './auth/file-session-store.js';
import {
  KeyValuePendingLogins,
  MemoryPendingLogins,
  type PendingLoginKeyValue,
  type PendingLogins,
} from './auth/oidc.js';
import { MemoryCounters, RedisCounters, type Counters } from './auth/sign-in-throttle.js';
import type { RedisCommander } from './audit/redis-audit-store.js';
import { parseRedisTime } from './hub/log-clock.js';
import { boundedCommands } from './log/redis/bounded-redis.js';
import { withTimeout } from './log/with-timeout.js';

/**
 * How long a call to the stores in Redis may take: a sign-in or a session lookup fails
 * with a clear "unavailable" within this while Redis is cut off, instead of hanging.
 */
const SIDE_STORE_TIMEOUT_MS = 2000;
/** How long the hub waits for Redis at start before it gives up with a clear error. */
const SIDE_STORE_CONNECT_MS = 10_000;

/**
 * What the hub keeps beside the log: sessions, sign-in counters and pending OIDC
 * sign-ins. For one hub: sessions in a file under DATA_DIR (a restart signs nobody out),
 * the rest in this process's memory. In Redis, on a connection of its own, when several
 * hubs must agree on them.
 */
export type SideStores = {
  sessions: SessionStore;
  counters: Counters;
  pendingLogins: PendingLogins;
  /** The connection the audit trail writes its stream on, when Redis is used. */
  auditRedis: RedisCommander | null;
  /** Whether the stores can be reached right now (for /readyz). */
  ready: () => boolean;
  /**
   * Reads the clock of the Redis the log is kept in (`TIME`, ms), which stamps the events;
   * null for one hub, whose journal stamps them with this process's clock.
   */
  logTime: (() => Promise<number>) | null;
  close: () => Promise<void>;
};

/** Opens the side stores the configuration asks for. */
export async function openSideStores(config: Config, keyPrefix: string, logger: Logger): Promise<SideStores> {
  const life = { ttlMs: config.sessionTtlMs, idleMs: config.sessionIdleMs };
  if (!config.redis) {
    const sessions = await FileSessionStore.open(config.dataDir, life, logger);
    return {
      sessions,
      counters: new MemoryCounters(),
      pendingLogins: new MemoryPendingLogins(),
      auditRedis: null,
      ready: () => true,
      logTime: null,
      close: () => sessions.close(),
    };
  }
  // Fail fast while Redis is down instead of queueing, and bound every call while it is
  // silent (a partition): a request waiting on a session lookup gets a clear 503, not a hang.
  const redis = createClient({ url: config.redis.url, disableOfflineQueue: true });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis (side stores) error'));
  await withTimeout(redis.connect(), SIDE_STORE_CONNECT_MS, 'connecting to Redis for sessions');
  const bounded = boundedCommands(redis, SIDE_STORE_TIMEOUT_MS, logger);
  const { send } = bounded;
  const keyValue: PendingLoginKeyValue = {
    get: async (key) => {
      const value = await send(['GET', key]);
      return typeof value === 'string' ? value : null;
    },
    set: async (key, value, ttlMs) => {
      await send(['SET', key, value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
    },
    del: async (key) => {
      await send(['DEL', key]);
    },
  };
  return {
    sessions: new RedisSessionStore(send, keyPrefix, life),
    counters: new RedisCounters(send, keyPrefix),
    pendingLogins: new KeyValuePendingLogins(keyValue, keyPrefix),
    auditRedis: { sendCommand: send },
    ready: bounded.ready,
    logTime: async () => parseRedisTime(await send(['TIME'])),
    close: async () => {
      await bounded.close();
    },
  };
}
