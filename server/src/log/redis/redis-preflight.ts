import { createClient } from 'redis';
import { z } from 'zod';
import { withTimeout } from '../with-timeout.js';

export type AppendfsyncLevel = 'always' | 'everysec';

export type PreflightOptions = {
  /** How long to wait for Redis to answer at all. */
  timeoutMs?: number;
  /**
   * Accept a Redis that forbids CONFIG GET (many managed services do) on the operator's
   * word that it runs AOF with the required appendfsync. What INFO shows is still checked.
   */
  trustUnverifiableDurability?: boolean;
};

/** The setting operators flip to accept a Redis whose durability cannot be read. */
export const TRUST_DURABILITY_SETTING = 'REDIS_TRUST_DURABILITY=true';

const MIN_MAJOR_VERSION = 7;
const FSYNC_STRENGTH: Record<string, number> = { no: 0, everysec: 1, always: 2 };

/** CONFIG GET answers a map (RESP3) or a flat [name, value, …] list (RESP2). */
const ConfigReply = z.union([
  z.record(z.string(), z.string()),
  z.array(z.string()).transform((flat) => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] ?? ''] = flat[i + 1] ?? '';
    return out;
  }),
]);

/**
 * Checks that Redis can hold the event log without losing acknowledged events: reachable,
 * version 7 or newer, AOF on with an appendfsync at least as strong as required, and no
 * eviction. Returns null when it can, or a message for the operator saying what to change.
 */
export async function checkRedis(
  url: string,
  requireAppendfsync: AppendfsyncLevel,
  options: PreflightOptions = {},
): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const where = redactUrl(url);
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: false },
  });
  let lastError: Error | null = null;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  const call = (args: string[]) =>
    withTimeout(client.sendCommand(args), timeoutMs, args.slice(0, 2).join(' '));

  try {
    try {
      await withTimeout(client.connect(), timeoutMs, 'connecting');
    } catch (error) {
      const reason = (lastError ?? (error as Error)).message;
      return (
        `Cannot reach Redis at ${where}: ${reason}. Start Redis or correct REDIS_URL ` +
        '(without REDIS_URL the hub keeps its log in a local journal instead).'
      );
    }

    const info = infoFields(String(await call(['INFO', 'server'])));
    const version = info.get('redis_version') ?? 'unknown';
    const major = Number.parseInt(version, 10);
    if (!(major >= MIN_MAJOR_VERSION)) {
      return `Redis at ${where} is version ${version}; Lägesbild needs Redis ${MIN_MAJOR_VERSION} or newer. Upgrade Redis.`;
    }

    let config: Record<string, string>;
    try {
      config = ConfigReply.parse(
        await call(['CONFIG', 'GET', 'appendonly', 'appendfsync', 'maxmemory', 'maxmemory-policy']),
      );
    } catch (error) {
      const persistence = infoFields(String(await call(['INFO', 'persistence'])));
      if (persistence.get('aof_enabled') === '0') return aofOffMessage(where, requireAppendfsync);
      if (options.trustUnverifiableDurability) return null;
      return (
        `Redis at ${where} does not allow CONFIG GET (${(error as Error).message}), so the hub cannot check that ` +
        `every acknowledged event is fsynced (appendonly yes, appendfsync ${requireAppendfsync}). Managed Redis ` +
        'services often disable CONFIG: confirm those settings with your provider, then start the hub with ' +
        `${TRUST_DURABILITY_SETTING} to skip this check.`
      );
    }

    if (config['appendonly'] !== 'yes') return aofOffMessage(where, requireAppendfsync);
    const fsync = config['appendfsync'] ?? 'unknown';
    if ((FSYNC_STRENGTH[fsync] ?? -1) < (FSYNC_STRENGTH[requireAppendfsync] ?? 2)) {
      return (
        `Redis at ${where} has appendfsync ${fsync}, but the hub requires ${requireAppendfsync} ` +
        `(REDIS_REQUIRE_APPENDFSYNC): with ${fsync} a Redis crash can lose events the hub has already ` +
        `confirmed. Set "appendfsync ${requireAppendfsync}" in redis.conf (or CONFIG SET appendfsync ` +
        `${requireAppendfsync} followed by CONFIG REWRITE).`
      );
    }
    const policy = config['maxmemory-policy'] ?? 'noeviction';
    if (config['maxmemory'] !== '0' && policy !== 'noeviction') {
      return (
        `Redis at ${where} has a memory limit with maxmemory-policy ${policy}: under memory pressure it would ` +
        'delete keys, which for the event log means lost events or forgotten command ids. Set ' +
        '"maxmemory-policy noeviction" (or remove the memory limit).'
      );
    }
    return null;
  } catch (error) {
    return `Could not check Redis at ${where}: ${(error as Error).message}.`;
  } finally {
    client.destroy();
  }
}

function aofOffMessage(where: string, fsync: AppendfsyncLevel): string {
  return (
    `Redis at ${where} runs without its append-only file (appendonly no), so a Redis crash would lose ` +
    `events the hub has already confirmed. Set "appendonly yes" and "appendfsync ${fsync}" in redis.conf ` +
    `(or CONFIG SET appendonly yes, CONFIG SET appendfsync ${fsync}, CONFIG REWRITE).`
  );
}

function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** The URL without its password, fit for a log line or an error message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}
