import { isIP } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An IP address or a CIDR network, in the notation Node's `net` module reads. */
const isAddressOrNetwork = (entry: string) => {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
};

/** A comma-separated list of proxies; anything that is not an address or network stops start-up. */
const ProxyList = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine(isAddressOrNetwork, {
        error: (issue) =>
          `"${String(issue.input)}" is not an IP address or CIDR network (e.g. 10.0.0.5, 172.28.0.0/16)`,
      }),
    ),
  );

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  /** Extra origins allowed for CORS and the socket handshake, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Proxies whose X-Forwarded-For and X-Forwarded-Proto the hub believes (nginx, a load
   * balancer), comma-separated addresses or CIDR networks. Default none: the peer is the client.
   */
  TRUSTED_PROXIES: ProxyList.default([]),
  REDIS_URL: z.url().optional(),
  REDIS_KEY_PREFIX: z.string().min(1).optional(),
  /** The weakest appendfsync the hub accepts from Redis; `always` loses no acked event. */
  REDIS_REQUIRE_APPENDFSYNC: z.enum(['always', 'everysec']).default('always'),
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
  REGION_FILE: z.string().min(1).default(path.join(repoRoot, 'shared/regions/stockholm.json')),
  /** The region's municipal borders (GeoJSON): the areas of joint messages' CAP alerts. */
  MUNICIPALITIES_FILE: z
    .string()
    .min(1)
    .default(path.join(repoRoot, 'shared/regions/stockholm-municipalities.geojson')),
  DEMO_ACCOUNTS: bool.default(true),
  DEMO_PASSWORD: z.string().min(8).default('lagesbild-demo'),
  // Start-up replays at most this many events (10,000 take about 0.1 s); saving a snapshot
  // of a large state costs far more, and its write delays the appends around it.
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).default(10_000),
  HISTORY_RETAIN: z.coerce.number().int().min(1).default(10_000),
  /** Events the log keeps before its newest snapshot for `GET /api/events`; older ones answer 410. */
  LOG_RETAIN_EVENTS: z.coerce.number().int().min(1).default(100_000),
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
  // Edge limits (docs/security.md). Sized so a duty officer never meets them; tests and
  // benchmarks that flood on purpose raise them.
  RATE_COMMANDS_PER_USER_PER_SEC: z.coerce.number().positive().default(20),
  RATE_COMMANDS_BURST_PER_USER: z.coerce.number().int().min(1).default(60),
  RATE_COMMANDS_PER_IP_PER_SEC: z.coerce.number().positive().default(200),
  RATE_COMMANDS_BURST_PER_IP: z.coerce.number().int().min(1).default(600),
  RATE_CONNECTS_PER_IP_PER_SEC: z.coerce.number().positive().default(10),
  RATE_CONNECTS_BURST_PER_IP: z.coerce.number().int().min(1).default(200),
  RATE_SIGNINS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(30),
  // Public reads (the CAP alerts and the Atom feed of joint messages) need no sign-in.
  RATE_PUBLIC_READS_PER_IP_PER_SEC: z.coerce.number().positive().default(10),
  RATE_PUBLIC_READS_BURST_PER_IP: z.coerce.number().int().min(1).default(120),
  SIGNIN_LOCKOUT_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGNIN_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  // OpenID Connect sign-in with the region's identity provider; off unless issuer and client are set.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.url().optional(),
  OIDC_SCOPES: z.string().min(1).default('openid profile email'),
  OIDC_ACTOR_CLAIM: z.string().min(1).default('lagesbild_actor'),
  OIDC_FUNCTIONS_CLAIM: z.string().min(1).default('lagesbild_functions'),
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
  if (Boolean(e.OIDC_ISSUER) !== Boolean(e.OIDC_CLIENT_ID)) {
    throw new Error('Invalid configuration:\nOIDC_ISSUER and OIDC_CLIENT_ID must be set together');
  }
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
    trustedProxies: e.TRUSTED_PROXIES,
    redis: e.REDIS_URL
      ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, requireAppendfsync: e.REDIS_REQUIRE_APPENDFSYNC }
      : null,
    dataDir: path.resolve(e.DATA_DIR),
    regionFile: path.resolve(e.REGION_FILE),
    municipalitiesFile: path.resolve(e.MUNICIPALITIES_FILE),
    demoAccounts: e.DEMO_ACCOUNTS,
    demoPassword: e.DEMO_PASSWORD,
    snapshotEvery: e.SNAPSHOT_EVERY,
    historyRetain: e.HISTORY_RETAIN,
    logRetainEvents: e.LOG_RETAIN_EVENTS,
    idempotencyWindowMs: e.IDEMPOTENCY_WINDOW_HOURS * 3600_000,
    commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
    hubId: e.HUB_ID,
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.protocol === 'https:',
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    clientDist: path.resolve(e.CLIENT_DIST),
    tiles: { url: e.TILE_URL, attribution: e.TILE_ATTRIBUTION },
    https: publicUrl.protocol === 'https:',
    rateLimits: {
      commandsPerUser: { perSecond: e.RATE_COMMANDS_PER_USER_PER_SEC, burst: e.RATE_COMMANDS_BURST_PER_USER },
      commandsPerIp: { perSecond: e.RATE_COMMANDS_PER_IP_PER_SEC, burst: e.RATE_COMMANDS_BURST_PER_IP },
      connectsPerIp: { perSecond: e.RATE_CONNECTS_PER_IP_PER_SEC, burst: e.RATE_CONNECTS_BURST_PER_IP },
      signInsPerIpPerMinute: e.RATE_SIGNINS_PER_IP_PER_MIN,
      publicReadsPerIp: {
        perSecond: e.RATE_PUBLIC_READS_PER_IP_PER_SEC,
        burst: e.RATE_PUBLIC_READS_BURST_PER_IP,
      },
    },
    lockout: {
      maxFailures: e.SIGNIN_LOCKOUT_FAILURES,
      windowMs: e.SIGNIN_LOCKOUT_MINUTES * 60_000,
      lockMs: e.SIGNIN_LOCKOUT_MINUTES * 60_000,
    },
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET ?? null,
            redirectUrl: e.OIDC_REDIRECT_URL ?? `${publicUrl.origin}/api/oidc/callback`,
            scopes: e.OIDC_SCOPES,
            actorClaim: e.OIDC_ACTOR_CLAIM,
            functionsClaim: e.OIDC_FUNCTIONS_CLAIM,
          }
        : null,
  };
}
