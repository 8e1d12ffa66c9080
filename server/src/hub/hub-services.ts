import type { RegionConfig } from '@lagesbild/shared';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { openAuditStore } from '../audit/open-audit.js';
import type { RedisCommander } from '../audit/redis-audit-store.js';
import { DirectoryService } from '../directory/directory-service.js';
import { regionView } from '../directory/region-view.js';
import type { FoldedLog } from './open-log.js';
import { WritePath } from './write-path.js';

/** What changes the directory over a folded log: a hub has it, and so has the admin tool. */
export type HubServices = {
  /** The region file's actors with the directory's over them: the one region every part reads. */
  region: () => RegionConfig;
  writes: WritePath;
  directory: DirectoryService;
  audit: AuditTrail;
};

/**
 * Wires the write path, the directory and the audit trail over a folded log, the same
 * way for a hub (start-hub.ts) and for the admin tool (admin-cli.ts), so both change the
 * directory alike. `auditAs` names who writes the audit records (a hub id, or the tool).
 */
export async function openHubServices(options: {
  config: Config;
  baseRegion: RegionConfig;
  folded: FoldedLog;
  logger: Logger;
  /** The Redis connection the audit stream is written on, when Redis is used. */
  auditRedis: RedisCommander | null;
  auditAs: string;
  /** The log's clock (log-clock.ts), for the times decided here; this process's by default. */
  now?: () => Date;
}): Promise<HubServices> {
  const { config, baseRegion, folded, logger } = options;
  const region = regionView(baseRegion, folded.hub);
  const writes = new WritePath({
    log: folded.log,
    hub: folded.hub,
    logger,
    timeoutMs: config.commandTimeoutMs,
    now: options.now,
  });
  const directory = new DirectoryService({
    writes,
    hub: folded.hub,
    baseRegion,
    region,
    publicUrl: config.publicUrl,
    now: options.now,
  });
  const store = await openAuditStore(config, folded.keyPrefix, options.auditRedis, logger);
  // Audit records are stamped by the log's clock too, so they agree with the events' times.
  const audit = new AuditTrail(store, options.auditAs, options.now);
  return { region, writes, directory, audit };
}
