import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { AuditStore } from './audit-store.js';
import { openFileAuditStore } from './file-audit-store.js';
import { createRedisAuditStore, type RedisCommander } from './redis-audit-store.js';

/**
 * The audit store that goes with the configured log: the Redis stream when hubs share
 * Redis (through the caller's connection), the file in DATA_DIR otherwise.
 */
export async function openAuditStore(
  config: Config,
  keyPrefix: string,
  redis: RedisCommander | null,
  logger: Logger,
): Promise<AuditStore> {
  if (config.redis && redis) return createRedisAuditStore(redis, keyPrefix, logger);
  return openFileAuditStore(config.dataDir, logger);
}
