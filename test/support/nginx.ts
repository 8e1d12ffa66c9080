import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './hub-process.js';
import { accepts, listenWithRetry, stopChild } from './ports.js';

// Runs the repository's own load-balancer config (deploy/nginx.conf, mounted by
// docker-compose.yml) with Debian's nginx in front of hubs on loopback ports, so tests
// exercise the stickiness and failover a deployment gets, without a Docker engine.

export const NGINX_BINARY = '/usr/sbin/nginx';

/** The upstream lines of deploy/nginx.conf: `server hub1:8080 max_fails=2 fail_timeout=10s;`. */
const UPSTREAM_LINE = /^(\s*)server hub\d+:8080\b([^;]*);\n/gm;

/**
 * nginx must be present; on a root CI machine it is installed here rather than skipped,
 * anywhere else the failure names the command to run.
 */
export function ensureNginx(): void {
  if (existsSync(NGINX_BINARY)) return;
  const install = 'apt-get update && apt-get install -y nginx';
  if (process.getuid?.() !== 0) throw new Error(`nginx is not installed; run: sudo sh -c '${install}'`);
  const result = spawnSync('sh', ['-c', install], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  });
  if (result.status !== 0 || !existsSync(NGINX_BINARY)) {
    throw new Error(`installing nginx failed (${install}):\n${result.stderr}`);
  }
}

/**
 * deploy/nginx.conf with the listen port swapped for a loopback one and its hub servers
 * replaced by one line per given port, each with the same parameters (max_fails,
 * fail_timeout) the file gives its hubs. Everything else is the file as deployed.
 */
export async function renderNginxConf(dir: string, listenPort: number, hubPorts: number[]): Promise<string> {
  let conf = await readFile(path.join(repoRoot, 'deploy/nginx.conf'), 'utf8');
  const replaceOnce = (token: string, replacement: string) => {
    const count = conf.split(token).length - 1;
    if (count !== 1) throw new Error(`deploy/nginx.conf should contain "${token}" once, found ${count}`);
    conf = conf.replace(token, replacement);
  };
  replaceOnce('listen 8080;', `listen 127.0.0.1:${listenPort};`);
  const upstreams = [...conf.matchAll(UPSTREAM_LINE)];
  const first = upstreams[0];
  if (upstreams.length < 2 || !first) {
    throw new Error(
      `deploy/nginx.conf should list its hubs as "server hubN:8080 …;", found ${upstreams.length}`,
    );
  }
  const [, indent, parameters] = first;
  const servers = hubPorts.map((port) => `${indent}server 127.0.0.1:${port}${parameters};\n`).join('');
  let placed = false;
  conf = conf.replace(UPSTREAM_LINE, () => {
    if (placed) return '';
    placed = true;
    return servers;
  });
  // Node hands a child its stdout as a socket, which nginx cannot open() by path.
  replaceOnce('access_log /dev/stdout', `access_log ${path.join(dir, 'access.log')}`);
  // Temp files under the test's directory, so nothing needs or touches /var/lib/nginx.
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `    ${kind}_temp_path ${path.join(dir, kind)};`)
    .join('\n');
  replaceOnce('http {', `http {\n${temps}`);
  const file = path.join(dir, 'nginx.conf');
  await writeFile(file, conf);
  return file;
}

/** Where `nginxArgs` tells nginx to write its pid. */
export const nginxPidFile = (dir: string) => path.join(dir, 'nginx.pid');

/** The command line that runs a rendered config in the foreground with its own pid file. */
export const nginxArgs = (dir: string, file: string) => [
  '-p',
  `${dir}/`,
  '-c',
  file,
  '-e',
  'stderr',
  '-g',
  `daemon off; pid ${nginxPidFile(dir)};`,
];

export type LoadBalancer = {
  port: number;
  url: string;
  dir: string;
  confFile: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

/** Makes a private directory that nginx's unprivileged workers can reach (tests run as root in CI). */
export async function nginxWorkDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-nginx-'));
  await chmod(dir, 0o755);
  return dir;
}

/** Starts nginx with the repository's config in front of hubs listening on `hubPorts`. */
export async function startLoadBalancer(hubPorts: number[]): Promise<LoadBalancer> {
  ensureNginx();
  const dir = await nginxWorkDir();
  try {
    return await listenWithRetry(async (port) => {
      const confFile = await renderNginxConf(dir, port, hubPorts);
      const child = spawn(NGINX_BINARY, nginxArgs(dir, confFile), { stdio: ['ignore', 'ignore', 'pipe'] });
      let output = '';
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-8000)));
      try {
        await waitForPort(port, child, () => output, nginxPidFile(dir));
      } catch (error) {
        await stopChild(child, 'SIGKILL');
        throw error;
      }
      return {
        port,
        url: `http://127.0.0.1:${port}`,
        dir,
        confFile,
        child,
        output: () => output,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Resolves once something accepts connections on the port; rejects if `child` dies first.
 * With `pidFile`, also waits for nginx to write it, which it does only after binding its
 * ports: a connection alone could reach another process that took the port first.
 */
export async function waitForPort(
  port: number,
  child: ChildProcess,
  output: () => string,
  pidFile?: string,
): Promise<void> {
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      // 'close' comes after the child's output has been read to the end.
      await closed;
      throw new Error(`nginx exited with code ${child.exitCode}:\n${output()}`);
    }
    if ((pidFile === undefined || existsSync(pidFile)) && (await accepts(port))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${port} within 15 s:\n${output()}`);
}
