import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts the hub again with the same environment and data directory. */
  restart: () => Promise<HubProcess>;
};

export type HubOptions = {
  env?: Record<string, string>;
  dataDir?: string;
  /** Fixed port, so a restarted hub is found at the same URL. Default: a free port. */
  port?: number;
  startTimeoutMs?: number;
};

/**
 * Starts a real hub process (`tsx server/src/main.ts`) and resolves when it logs that it is
 * ready. Each hub gets its own data directory unless one is given.
 */
export async function startHub(options: HubOptions = {}): Promise<HubProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'lagesbild-hub-'));
  const env = {
    ...process.env,
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    TILE_URL: '',
    ...RELAXED_LIMITS,
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hub did not start in time:\n${output}`)),
      options.startTimeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split('\n').find((line) => line.includes('"msg":"hub ready"'));
      const url = ready ? /"url":"(http:\/\/[^"]+)"/.exec(ready)?.[1] : undefined;
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code} before it was ready:\n${output}`));
    });
  });
  // Keep collecting output after start, for diagnostics.
  const port = Number(new URL(url).port);
  const hub: HubProcess = {
    url,
    dataDir,
    child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
    restart: () => startHub({ ...options, dataDir, port }),
  };
  return hub;
}

/** Removes a hub's data directory (after the hub has stopped). */
export const removeDataDir = (hub: HubProcess) => rmSync(hub.dataDir, { recursive: true, force: true });
