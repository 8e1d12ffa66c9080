import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../support/hub-process.js';
import { wallMs } from './clock.js';
import { spawnPinned, type PinnedProcess } from './processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ELD_PRELOAD = path.join(here, 'eld-preload.ts');
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/**
 * The checkout whose hub the bench starts: this one, or another commit's worktree
 * (`--hub-root`, set by compare.ts), so two commits are measured by the same harness.
 */
export const hubRoot = (): string => process.env.BENCH_HUB_ROOT ?? repoRoot;

/** A server process a scenario talks to. */
export type BenchServer = PinnedProcess & { url: string; port: number };

async function listening(proc: PinnedProcess, timeoutMs: number): Promise<BenchServer> {
  try {
    const match = await proc.waitForLine(LISTENING, timeoutMs);
    return Object.assign(proc, { url: match[1] ?? '', port: Number(match[2]) });
  } catch (error) {
    await proc.kill('SIGKILL');
    throw error;
  }
}

const node = (script: string, nodeArgs: readonly string[] = []) => [
  process.execPath,
  ...nodeArgs,
  '--import',
  'tsx',
  '--import',
  ELD_PRELOAD,
  script,
];

/** S1's ceiling: one raw `ws` broadcast process. */
export const startCeiling = (name: string, core: number): Promise<BenchServer> =>
  listening(
    spawnPinned({ name, core, cwd: repoRoot, command: node(path.join(here, '../servers/ws-ceiling.ts')) }),
    30_000,
  );

/** S1's baseline: one plain socket.io + Redis adapter process. */
export const startSioBaseline = (name: string, core: number, redisUrl: string): Promise<BenchServer> =>
  listening(
    spawnPinned({
      name,
      core,
      cwd: repoRoot,
      env: { REDIS_URL: redisUrl },
      command: node(path.join(here, '../servers/sio-broadcast.ts')),
    }),
    30_000,
  );

export type HubOptions = {
  name: string;
  core: number;
  /** Redis log; the embedded journal in `dataDir` when absent. */
  redisUrl?: string;
  requireAppendfsync?: 'always' | 'everysec';
  dataDir?: string;
  port?: number;
  /** `warn` by default: at `info` the hub logs every command. */
  logLevel?: 'warn' | 'info';
  nodeArgs?: readonly string[];
  env?: Record<string, string>;
  startTimeoutMs?: number;
};

/** A real hub (`server/src/main.ts`) with the ELD preload, pinned to a core. */
export type BenchHub = BenchServer & {
  options: HubOptions & { dataDir: string };
  /** The hub's own start-up time from its `hub ready` log line (only at log level info). */
  readyMs: number | null;
  /** From spawning the process to its "listening" line, including Node and tsx start-up. */
  spawnToReadyMs: number;
  /** Starts the hub again on the same port and data directory. */
  restart: () => Promise<BenchHub>;
};

/**
 * The hub's edge limits (config.ts `RATE_*`) lifted: a benchmark measures what the hub can
 * carry, and its simulated clients come from a handful of loopback addresses.
 */
const UNLIMITED = '1000000000';
export const BENCH_RATE_LIMITS: Record<string, string> = {
  RATE_COMMANDS_PER_USER_PER_SEC: UNLIMITED,
  RATE_COMMANDS_BURST_PER_USER: UNLIMITED,
  RATE_COMMANDS_PER_IP_PER_SEC: UNLIMITED,
  RATE_COMMANDS_BURST_PER_IP: UNLIMITED,
  RATE_CONNECTS_PER_IP_PER_SEC: UNLIMITED,
  RATE_CONNECTS_BURST_PER_IP: UNLIMITED,
  RATE_SIGNINS_PER_IP_PER_MIN: UNLIMITED,
};

// Data directories made here outlive a hub (a restart reuses them) and go when the bench ends.
const madeDirs = new Set<string>();
let cleanupHooked = false;
function makeDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-bench-hub-'));
  madeDirs.add(dir);
  if (!cleanupHooked) {
    cleanupHooked = true;
    process.once('exit', () => {
      for (const made of madeDirs) rmSync(made, { recursive: true, force: true });
    });
  }
  return dir;
}

export async function startBenchHub(options: HubOptions): Promise<BenchHub> {
  const dataDir = options.dataDir ?? makeDataDir();
  const logLevel = options.logLevel ?? 'warn';
  const env: Record<string, string> = {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: logLevel,
    TILE_URL: '',
    DEMO_ACCOUNTS: 'true',
    HUB_ID: options.name,
    ...BENCH_RATE_LIMITS,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.requireAppendfsync ? { REDIS_REQUIRE_APPENDFSYNC: options.requireAppendfsync } : {}),
    ...options.env,
  };
  const spawnedAt = wallMs();
  const proc = spawnPinned({
    name: options.name,
    core: options.core,
    cwd: hubRoot(),
    env,
    command: node('server/src/main.ts', options.nodeArgs),
  });
  const server = await listening(proc, options.startTimeoutMs ?? 60_000);
  const spawnToReadyMs = Math.round(wallMs() - spawnedAt);
  let readyMs: number | null = null;
  if (logLevel === 'info') {
    // The hub logs `hub ready` just before main prints where it listens.
    const ready = await proc.waitForLine(/"msg":"hub ready"/, 1000).catch(() => null);
    const ms = ready ? /"ms":(\d+)/.exec(ready.input) : null;
    readyMs = ms ? Number(ms[1]) : null;
  }
  const full = { ...options, dataDir };
  return Object.assign(server, {
    options: full,
    readyMs,
    spawnToReadyMs,
    restart: () => startBenchHub({ ...full, port: server.port }),
  });
}
