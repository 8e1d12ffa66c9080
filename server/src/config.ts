import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  /** Extra origins allowed for CORS and the socket handshake, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(''),
  REDIS_URL: z.url().optional(),
  REDIS_KEY_PREFIX: z.string().min(1).optional(),
  /** The weakest appendfsync the hub accepts from Redis; `always` loses no acked event. */
  REDIS_REQUIRE_APPENDFSYNC: z.enum(['always', 'everysec']).default('always'),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
  REGION_FILE: z.string().min(1).default(path.join(repoRoot, 'shared/regions/stockholm.json')),
  DEMO_ACCOUNTS: bool.default(true),
  DEMO_PASSWORD: z.string().min(8).default('lagesbild-demo'),
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(1000),
  HISTORY_RETAIN: z.coerce.number().int().min(1).default(10_000),
  IDEMPOTENCY_WINDOW_HOURS: z.coerce.number().positive().default(168),
  COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  HUB_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: bool.optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  CLIENT_DIST: z.string().min(1).default(path.join(repoRoot, 'client/dist')),
  /** Map tiles for the client; empty means no tile layer (tests, air-gapped rooms). */
  TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
});

/** The hub's whole configuration, validated once at start. Nothing else reads process.env. */
export type Config = ReturnType<typeof loadConfig>;

/** Builds the configuration from environment variables, or throws naming every bad one. */
export function loadConfig(env: Record<string, string | undefined>) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const allowedOrigins = [
    publicUrl.origin,
    ...e.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => new URL(o).origin),
  ];
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: publicUrl.href.replace(/\/$/, ''),
    allowedOrigins: [...new Set(allowedOrigins)],
    redis: e.REDIS_URL
      ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, requireAppendfsync: e.REDIS_REQUIRE_APPENDFSYNC }
      : null,
    dataDir: path.resolve(e.DATA_DIR),
    regionFile: path.resolve(e.REGION_FILE),
    demoAccounts: e.DEMO_ACCOUNTS,
    demoPassword: e.DEMO_PASSWORD,
    snapshotEvery: e.SNAPSHOT_EVERY,
    historyRetain: e.HISTORY_RETAIN,
    idempotencyWindowMs: e.IDEMPOTENCY_WINDOW_HOURS * 3600_000,
    commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
    hubId: e.HUB_ID,
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.protocol === 'https:',
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    clientDist: path.resolve(e.CLIENT_DIST),
    tiles: { url: e.TILE_URL, attribution: e.TILE_ATTRIBUTION },
  };
}
