import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenWithRetry, stopChild } from './ports.js';

/** The repository root, for spawning the hub the way `npm start` does. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Edge limits high enough for tests that send floods on purpose from one address; the
 * security tests that check the limits set their own (`RATE_*`, docs/security.md).
 */
export const RELAXED_LIMITS: Record<string, string> = {
  RATE_COMMANDS_PER_USER_PER_SEC: '100000',
  RATE_COMMANDS_BURST_PER_USER: '100000',
  RATE_COMMANDS_PER_IP_PER_SEC: '100000',
  RATE_COMMANDS_BURST_PER_IP: '100000',
  RATE_CONNECTS_PER_IP_PER_SEC: '10000',
  RATE_CONNECTS_BURST_PER_IP: '10000',
  RATE_SIGNINS_PER_IP_PER_MIN: '10000',
};

export type HubProcess = {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the hub printed, for failure messages. */
  output: () => string;
  /**
   * Sends `signal` (SIGTERM by default) and waits until the hub has exited; a hub still
   * running after a grace period gets SIGKILL, so a stuck shutdown cannot hang cleanup.
   */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  /** `kill()`, then removes the data directory if `startHub` made it. */
  stop: () => Promise<void>;
  /** Starts the hub again with the same environment, port and data directory. */
  restart: () => Promise<HubProcess>;
};

export type HubOptions = {
  env?: Record<string, string>;
  /**
   * Environment that names the hub's own address, e.g. `PUBLIC_URL`. The port is then
   * chosen before the hub starts (and chosen again if another process takes it first);
   * `env` still wins over what this returns.
   */
  urlEnv?: (url: string) => Record<string, string>;
  dataDir?: string;
  /** Fixed port, so a restarted hub is found at the same URL. Default: a free port. */
  port?: number;
  startTimeoutMs?: number;
};

/** How long a hub may take to shut down cleanly on SIGTERM before cleanup kills it. */
const STOP_GRACE_MS = 10_000;

// Hubs still running when the test process exits (a failed beforeAll, an aborted run) would
// outlive it, holding ports and data-directory locks.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a real hub process (`tsx server/src/main.ts`) and resolves when it logs that it is
 * ready. Each hub gets its own data directory unless one is given.
 */
export function startHub(options: HubOptions = {}): Promise<HubProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'lagesbild-hub-'));
  return launch(options, dataDir, options.dataDir === undefined);
}

async function launch(options: HubOptions, dataDir: string, ownsDataDir: boolean): Promise<HubProcess> {
  let started: Started;
  try {
    // Port 0 lets the hub's own listen() pick a port, which no other process can take
    // first; only a port chosen in advance can be lost and needs the retry.
    started =
      options.port === undefined && !options.urlEnv
        ? await spawnHub(options, dataDir, 0)
        : await listenWithRetry((port) => spawnHub(options, dataDir, port), options.port);
  } catch (error) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { child, url, output } = started;
  const port = Number(new URL(url).port);
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal, STOP_GRACE_MS);
  return {
    url,
    dataDir,
    child,
    output,
    kill,
    stop: async () => {
      await kill();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: () => launch({ ...options, dataDir, port }, dataDir, ownsDataDir),
  };
}

type Started = { child: ChildProcess; url: string; output: () => string };

/** Spawns one hub on `port` (0: its own choice) and waits for its "hub ready" line. */
async function spawnHub(options: HubOptions, dataDir: string, port: number): Promise<Started> {
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    TILE_URL: '',
    ...RELAXED_LIMITS,
    ...options.urlEnv?.(`http://127.0.0.1:${port}`),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  // Everything is kept after start too, for failure messages.
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`hub did not start in ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = () => {
        const ready = output.split('\n').find((line) => line.includes('"msg":"hub ready"'));
        const url = ready ? /"url":"(http:\/\/[^"]+)"/.exec(ready)?.[1] : undefined;
        if (url) finish(null, url);
      };
      // 'close' comes after the output has been read to the end, so the message is whole.
      const onClose = (code: number | null) =>
        finish(new Error(`hub exited with ${code} before it was ready:\n${output}`));
      const finish = (error: Error | null, url = '') => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('close', onClose);
        child.off('error', finish);
        if (error) reject(error);
        else resolve(url);
      };
      child.stdout?.on('data', onData);
      child.once('close', onClose);
      child.once('error', finish);
    });
    return { child, url, output: () => output };
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw error;
  }
}

/** Removes a hub's data directory (after the hub has stopped). */
export const removeDataDir = (hub: HubProcess) => rmSync(hub.dataDir, { recursive: true, force: true });
