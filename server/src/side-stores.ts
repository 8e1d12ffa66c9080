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
  // Fail fast while Redis is down instead of queueing: a request waiting on a session
  // lookup should get a clear 503, not hang.
  const redis = createClient({ url: config.redis.url, disableOfflineQueue: true });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis (side stores) error'));
  await redis.connect();
  const keyValue: PendingLoginKeyValue = {
    get: async (key) => {
      const value = await redis.get(key);
      return typeof value === 'string' ? value : null;
    },
    set: async (key, value, ttlMs) => {
      await redis.set(key, value, { PX: ttlMs });
    },
    del: async (key) => {
      await redis.del(key);
    },
  };
  return {
    sessions: new RedisSessionStore((args) => redis.sendCommand(args), keyPrefix, life),
    counters: new RedisCounters((args) => redis.sendCommand(args), keyPrefix),
    pendingLogins: new KeyValuePendingLogins(keyValue, keyPrefix),
    auditRedis: { sendCommand: (args) => redis.sendCommand(args) },
    ready: () => redis.isReady,
    logTime: async () => parseRedisTime(await redis.sendCommand(['TIME'])),
    close: async () => {
      await redis.close();
    },
  };
}
