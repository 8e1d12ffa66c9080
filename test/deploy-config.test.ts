import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { builtinModules } from 'node:module';
import { BlockList } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadConfig } from '../server/src/base/config';
import { TrustedProxies } from '../server/src/http/rate-limits';
import {
  NGINX_BINARY,
  ensureNginx,
  nginxArgs,
  nginxWorkDir,
  renderNginxConf,
  nginxPidFile,
  waitForPort,
} from './support/nginx';
import { freePort, listenWithRetry, stopChild } from './support/ports';

// The deployment files are only ever read by Docker, so nothing else notices when they drift
// from the hub's configuration. This file checks them against the code and runs the Redis
// and nginx configurations with Debian's binaries (no Docker engine needed).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fromRoot = (...parts: string[]) => path.join(repoRoot, ...parts);
const REDIS_BINARY = '/usr/bin/redis-server';

// ---- docker-compose.yml -------------------------------------------------------------------

const EnvValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const Service = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  command: z.array(z.string()).optional(),
  // A null value would take the variable from the host running compose; the stack must not.
  environment: z.union([z.record(z.string(), EnvValue), z.array(z.string())]).optional(),
  volumes: z.array(z.string()).default([]),
  ports: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  networks: z.record(z.string(), z.object({ ipv4_address: z.string().optional() }).nullable()).optional(),
});
const ComposeFile = z.object({
  services: z.record(z.string(), Service),
  volumes: z.record(z.string(), z.unknown()).nullable().default({}),
  networks: z
    .record(
      z.string(),
      z.object({ ipam: z.object({ config: z.array(z.object({ subnet: z.string() })) }).optional() }),
    )
    .default({}),
});
type Service = z.infer<typeof Service>;

async function loadCompose() {
  // `merge: true`: the hubs share their settings through YAML merge keys (`<<: *hub`).
  const raw: unknown = parseYaml(await readFile(fromRoot('docker-compose.yml'), 'utf8'), { merge: true });
  return ComposeFile.parse(raw);
}

function service(compose: z.infer<typeof ComposeFile>, name: string): Service {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

function environmentOf(s: Service): Record<string, string> {
  if (!s.environment) return {};
  if (!Array.isArray(s.environment)) return s.environment;
  return Object.fromEntries(
    s.environment.map((entry) => {
      const eq = entry.indexOf('=');
      if (eq < 0) throw new Error(`environment entry "${entry}" takes its value from the host`);
      return [entry.slice(0, eq), entry.slice(eq + 1)];
    }),
  );
}

/** `./deploy/x:/target:ro` → { source, target }. */
function parseVolume(spec: string) {
  const [source = '', target = ''] = spec.split(':');
  return { source, target };
}

/** `8080:8080`, `127.0.0.1:8080:80` → { host, container }. */
function parsePort(spec: string) {
  const parts = spec.replace(/\/tcp$/, '').split(':');
  const container = Number(parts.at(-1));
  const host = Number(parts.at(-2));
  return { host, container };
}

const HUBS = ['hub1', 'hub2'] as const;

describe('docker-compose.yml', () => {
  it('starts every hub with a configuration the hub accepts, all on one Redis and one public URL', async () => {
    const compose = await loadCompose();
    const configs = HUBS.map((name) => {
      const env = environmentOf(service(compose, name));
      // An unset HUB_ID would fall back to the container's random hostname in logs and /healthz.
      expect(env.HUB_ID, `${name} sets HUB_ID`).toBeTruthy();
      return loadConfig(env);
    });

    const [one, two] = configs;
    expect(one?.redis?.url).toBe('redis://redis:6379');
    expect(two?.redis?.url).toBe(one?.redis?.url);
    expect(configs.every((c) => c.redis?.requireAppendfsync === 'always')).toBe(true);
    expect(new Set(configs.map((c) => c.hubId)).size).toBe(HUBS.length);
    // Inside a container, 127.0.0.1 would be unreachable for the load balancer.
    expect(configs.every((c) => c.host === '0.0.0.0')).toBe(true);
    expect(new Set(configs.map((c) => c.publicUrl))).toEqual(new Set(['http://localhost:8080']));
  });

  it('runs Redis from deploy/redis.conf with its AOF on a named volume, and hubs wait until it is healthy', async () => {
    const compose = await loadCompose();
    const redis = service(compose, 'redis');
    const mounts = redis.volumes.map(parseVolume);

    const conf = mounts.find((m) => m.source === './deploy/redis.conf');
    expect(conf, 'redis mounts ./deploy/redis.conf').toBeDefined();
    expect(redis.command?.[0]).toBe('redis-server');
    expect(redis.command?.[1]).toBe(conf?.target);

    // The official image works in /data; the AOF must outlive the container.
    const data = mounts.find((m) => m.target === '/data');
    expect(data, 'redis keeps /data on a volume').toBeDefined();
    expect(Object.keys(compose.volumes ?? {}), 'a named volume, not a container path').toContain(
      data?.source,
    );
    expect(redis.healthcheck?.test).toContain('redis-cli');
    expect(redis.ports, 'Redis runs without protected mode, so it must not be published').toEqual([]);

    for (const name of HUBS) {
      expect(service(compose, name).depends_on.redis?.condition).toBe('service_healthy');
    }
    // The hubs' REDIS_URL names this service on the port the config file sets.
    const port = Number(
      /^port\s+(\d+)\s*$/m.exec(await readFile(fromRoot('deploy/redis.conf'), 'utf8'))?.[1],
    );
    for (const name of HUBS) {
      const url = new URL(environmentOf(service(compose, name)).REDIS_URL ?? '');
      expect([url.hostname, Number(url.port)]).toEqual(['redis', port]);
    }
  });

  it('publishes the load balancer on the URL the hubs advertise, routing to both hubs', async () => {
    const compose = await loadCompose();
    const lb = service(compose, 'lb');
    expect(lb.volumes.map(parseVolume)).toContainEqual({
      source: './deploy/nginx.conf',
      target: '/etc/nginx/nginx.conf',
    });

    const nginxConf = await readFile(fromRoot('deploy/nginx.conf'), 'utf8');
    const listen = Number(/^\s*listen\s+(\d+);/m.exec(nginxConf)?.[1]);
    const published = lb.ports.map(parsePort);
    expect(published).toHaveLength(1);
    expect(published[0]?.container).toBe(listen);
    expect(`http://localhost:${published[0]?.host}`).toBe(environmentOf(service(compose, 'hub1')).PUBLIC_URL);

    for (const name of HUBS) {
      const hubPort = loadConfig(environmentOf(service(compose, name))).port;
      expect(nginxConf).toMatch(new RegExp(`^\\s*server ${name}:${hubPort}\\b`, 'm'));
      // Browsers go through the load balancer only: no sticky routing, no shared origin otherwise.
      expect(service(compose, name).ports).toEqual([]);
    }
  });

  it('lets the hubs believe X-Forwarded-For from the load balancer only, at its fixed address', async () => {
    const compose = await loadCompose();
    const lbAddress = service(compose, 'lb').networks?.default?.ipv4_address;
    expect(lbAddress, 'lb has a fixed address on the default network').toBeDefined();
    const subnet = compose.networks.default?.ipam?.config[0]?.subnet ?? '';
    const [network = '', prefix = ''] = subnet.split('/');
    const inSubnet = new BlockList();
    inSubnet.addSubnet(network, Number(prefix));
    expect(inSubnet.check(lbAddress ?? ''), `${lbAddress} lies in ${subnet}`).toBe(true);
    for (const name of HUBS) {
      const proxies = new TrustedProxies(loadConfig(environmentOf(service(compose, name))).trustedProxies);
      expect(proxies.isTrusted(lbAddress ?? ''), `${name} trusts lb`).toBe(true);
      // Not the whole network: the other containers (Redis, the other hub) are not proxies.
      expect(proxies.isTrusted(`${network.split('.').slice(0, 3).join('.')}.2`)).toBe(false);
    }
  });

  it('builds an image that starts server/src/main.ts as a non-root user and health-checks /healthz', async () => {
    const dockerfile = await readFile(fromRoot('Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(runtime)?.[1];
    const args = z.array(z.string()).parse(JSON.parse(cmd ?? 'null'));
    const entry = args.find((a) => a.endsWith('.ts'));
    expect(entry).toBe('server/src/main.ts');
    expect(existsSync(fromRoot(entry ?? ''))).toBe(true);
    expect(runtime).toMatch(/^USER\s+node\s*$/m);
    expect(runtime).toMatch(/^HEALTHCHECK[\s\S]*\/healthz/m);
  });

  it('needs at run time only packages that server/ and shared/ declare (the image installs nothing else)', async () => {
    const declared = new Set(['@lagesbild/shared']);
    for (const manifest of ['server/package.json', 'shared/package.json']) {
      const pkg = z
        .object({ dependencies: z.record(z.string(), z.string()).default({}) })
        .parse(JSON.parse(await readFile(fromRoot(manifest), 'utf8')));
      for (const name of Object.keys(pkg.dependencies)) declared.add(name);
    }
    const used = await runtimePackages(fromRoot('server/src/main.ts'));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
    expect(used.has('express')).toBe(true);
  });
});

/** Bare package names imported (not type-only) by the module graph that starts at `entry`. */
async function runtimePackages(entry: string): Promise<Set<string>> {
  const builtins = new Set(builtinModules);
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  const importPattern =
    /(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s*from\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(importPattern)) {
      const typeOnly = match[1] !== undefined;
      const spec = match[2] ?? match[3];
      if (typeOnly || spec === undefined) continue;
      if (spec.startsWith('.')) {
        const resolved = resolveSource(path.resolve(path.dirname(file), spec));
        if (resolved) queue.push(resolved);
        continue;
      }
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      const name = spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : (spec.split('/')[0] ?? spec);
      packages.add(name);
      if (spec === '@lagesbild/shared') queue.push(fromRoot('shared/src/index.ts'));
    }
  }
  return packages;
}

/** The TypeScript file behind a relative import (`./x.js` → `./x.ts`); null for JSON and the like. */
function resolveSource(target: string): string | null {
  if (/\.(json|css|svg)$/.test(target)) return null;
  const base = target.replace(/\.(js|ts|mjs)$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), target]) {
    if (existsSync(candidate) && !candidate.endsWith(path.sep)) return candidate;
  }
  throw new Error(`cannot resolve import ${target}`);
}

// ---- deploy/redis.conf ---------------------------------------------------------------------

type RedisProcess = { port: number; dir: string; stop: (signal: NodeJS.Signals) => Promise<void> };

/**
 * Runs Debian's redis-server with deploy/redis.conf and `args` (e.g. the compose command's),
 * then overrides port, bind and dir so it stays on a free loopback port in a temp dir.
 */
async function startRedisWithConf(dir: string, args: string[] = []): Promise<RedisProcess> {
  if (!existsSync(REDIS_BINARY))
    throw new Error(`${REDIS_BINARY} is missing; run: apt-get install -y redis-server`);
  // A probed port can be taken before Redis binds it: then another one is tried.
  return listenWithRetry(async (port) => {
    const child = spawn(
      REDIS_BINARY,
      [fromRoot('deploy/redis.conf'), ...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    track(child);
    // Printed only once the AOF has been loaded completely.
    await waitForOutput(child, 'Ready to accept connections', 'redis-server');
    return { port, dir, stop: (signal: NodeJS.Signals) => stopChild(child, signal) };
  });
}

const redisClient = (port: number) =>
  createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });

async function withRedisClient<T>(port: number, use: (client: ReturnType<typeof redisClient>) => Promise<T>) {
  const client = redisClient(port);
  // A killed server surfaces as an 'error' event; without a listener it would crash the run.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

describe('deploy/redis.conf', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-redis-conf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes Redis (as docker-compose.yml starts it) fsync every write to the AOF, keep no RDB snapshots and never evict', async () => {
    // Everything the compose service adds after the config file path, so a typo there fails here.
    const composeArgs = service(await loadCompose(), 'redis').command?.slice(2) ?? [];
    expect(composeArgs).toContain('--protected-mode');
    const redis = await startRedisWithConf(dir, composeArgs);
    try {
      const config = await withRedisClient(redis.port, async (client) => ({
        ...(await client.configGet('appendonly')),
        ...(await client.configGet('appendfsync')),
        ...(await client.configGet('save')),
        ...(await client.configGet('maxmemory-policy')),
        ...(await client.configGet('aof-use-rdb-preamble')),
        ...(await client.configGet('no-appendfsync-on-rewrite')),
        ...(await client.configGet('protected-mode')),
      }));
      expect(config).toEqual({
        appendonly: 'yes',
        appendfsync: 'always',
        save: '',
        'maxmemory-policy': 'noeviction',
        'aof-use-rdb-preamble': 'yes',
        'no-appendfsync-on-rewrite': 'no',
        // The hubs reach Redis over the compose network, not loopback.
        'protected-mode': 'no',
      });
    } finally {
      await redis.stop('SIGTERM');
    }
  });

  it('keeps an acknowledged stream entry when Redis is killed and started again', async () => {
    const first = await startRedisWithConf(dir);
    // XADD has returned: Redis acknowledged it. Then Redis dies without a chance to flush.
    const id = await withRedisClient(first.port, (client) =>
      client.xAdd('deploy-test:log', '*', { type: 'probe' }),
    ).finally(() => first.stop('SIGKILL'));
    const second = await startRedisWithConf(dir);
    try {
      const entries = await withRedisClient(second.port, (client) =>
        client.xRange('deploy-test:log', '-', '+'),
      );
      expect((entries ?? []).map((e) => [e.id, e.message])).toEqual([[id, { type: 'probe' }]]);
    } finally {
      await second.stop('SIGTERM');
    }
  });
});

// ---- deploy/nginx.conf ---------------------------------------------------------------------

type SeenByHub = {
  hub: string;
  url: string;
  forwardedFor: string;
  forwardedProto: string;
  host: string;
};

/** A stand-in hub: answers every request with what it received and greets websockets by name. */
async function startStubHub(name: string) {
  const server = http.createServer((req, res) => {
    const seen: SeenByHub = {
      hub: name,
      url: req.url ?? '',
      forwardedFor: String(req.headers['x-forwarded-for']),
      forwardedProto: String(req.headers['x-forwarded-proto']),
      host: String(req.headers.host),
    };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.send(`hub:${name}`);
    socket.on('message', (data) => socket.send(`echo:${String(data)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    name,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SeenByHubSchema = z.object({
  hub: z.string(),
  url: z.string(),
  forwardedFor: z.string(),
  forwardedProto: z.string(),
  host: z.string(),
});

/** GET through the load balancer from a chosen loopback source address. */
function get(port: number, pathname: string, from: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; seen: SeenByHub }>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: pathname, localAddress: from, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, seen: SeenByHubSchema.parse(JSON.parse(body)) });
          } catch (error) {
            reject(
              new Error(`unexpected response ${res.statusCode}: ${body.slice(0, 300)}`, { cause: error }),
            );
          }
        });
      },
    );
    req.on('error', reject);
  });
}

/** Opens a websocket through the load balancer and returns which hub greeted it and its echo. */
async function websocketRoundTrip(port: number, from: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, {
    localAddress: from,
  });
  const messages: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        messages.push(String(data));
        if (messages.length === 1) socket.send('ping');
        if (messages.length === 2) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`websocket closed after ${messages.join(', ')}`)));
    });
  } finally {
    socket.terminate();
  }
  return { hub: messages[0]?.replace('hub:', ''), echo: messages[1] };
}

const POLL = '/socket.io/?EIO=4&transport=polling';

describe('deploy/nginx.conf', () => {
  let dir = '';
  let nginx: ChildProcess | null = null;
  let lbPort = 0;
  let confFile = '';
  let hubs: Awaited<ReturnType<typeof startStubHub>>[] = [];

  beforeAll(async () => {
    ensureNginx();
    dir = await nginxWorkDir();
    const [one, two] = [await startStubHub('hub1'), await startStubHub('hub2')];
    hubs = [one, two];
    lbPort = await freePort();
    confFile = await renderNginxConf(dir, lbPort, [one.port, two.port]);
  });

  afterAll(async () => {
    if (nginx) await stopChild(nginx, 'SIGTERM');
    await Promise.all(hubs.map((h) => h.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes `nginx -t` with the hubs at local addresses', async () => {
    const result = spawnSync(NGINX_BINARY, ['-t', ...nginxArgs(dir, confFile)], { encoding: 'utf8' });
    expect(result.stderr).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('keeps each client on one hub for polling and websocket, spreads clients over both, and forwards who they are', async () => {
    // The port probed in beforeAll can be taken by now: then the config is rendered again
    // for another one.
    nginx = await listenWithRetry(async (port) => {
      if (port !== lbPort)
        confFile = await renderNginxConf(
          dir,
          port,
          hubs.map((h) => h.port),
        );
      lbPort = port;
      const child = spawn(NGINX_BINARY, nginxArgs(dir, confFile), { stdio: ['ignore', 'ignore', 'pipe'] });
      track(child);
      try {
        await waitForPort(port, child, collectOutput(child), nginxPidFile(dir));
      } catch (error) {
        await stopChild(child, 'SIGKILL');
        throw error;
      }
      return child;
    });

    // 48 clients, each on its own loopback address (all of 127/8 is local on Linux).
    const clients = Array.from({ length: 48 }, (_, i) => `127.0.0.${10 + i}`);
    const homes = new Map<string, string>();
    for (const from of clients) {
      const first = await get(lbPort, POLL, from);
      const second = await get(lbPort, `${POLL}&sid=abc`, from);
      expect(second.seen.hub, `${from} stays on its hub between polls`).toBe(first.seen.hub);
      homes.set(from, first.seen.hub);
    }
    expect(new Set(homes.values())).toEqual(new Set(['hub1', 'hub2']));

    // The upgrade to a websocket must land where the polling session lives.
    for (const from of clients.slice(0, 6)) {
      const ws = await websocketRoundTrip(lbPort, from);
      expect(ws).toEqual({ hub: homes.get(from), echo: 'echo:ping' });
    }

    // A client cannot pose as another address; the hub learns the scheme and the public host.
    const { seen } = await get(lbPort, '/api/session', '127.0.0.5', { 'x-forwarded-for': '203.0.113.9' });
    expect(seen).toMatchObject({
      url: '/api/session',
      forwardedFor: '127.0.0.5',
      forwardedProto: 'http',
      host: `127.0.0.1:${lbPort}`,
    });
  });

  it('moves the clients of a hub that goes down to the other hub', async () => {
    const from = '127.0.0.10';
    const before = await get(lbPort, POLL, from);
    const down = hubs.find((h) => h.name === before.seen.hub);
    const other = hubs.find((h) => h.name !== before.seen.hub);
    if (!down || !other) throw new Error('stub hubs missing');
    await down.close();

    const after = await get(lbPort, POLL, from);
    expect(after).toMatchObject({ status: 200, seen: { hub: other.name } });
    const ws = await websocketRoundTrip(lbPort, from);
    expect(ws.hub).toBe(other.name);
  });
});

// ---- processes ----------------------------------------------------------------------------

// Children still running when the test process exits would outlive it and hold ports.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Resolves when the child prints `text`; rejects with its output if it exits first. */
function waitForOutput(child: ChildProcess, text: string, label: string): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not get ready in 15 s`)), 15_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes(text)) {
        clearTimeout(timer);
        child.off('close', onExit);
        resolve();
      }
    };
    // 'close', not 'exit': only then has the output (why it stopped) been read to the end.
    const onExit = (code: number | null) => fail(new Error(`${label} exited with code ${code}`));
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      reject(new Error(`${error.message}\n${output}`));
      child.kill('SIGKILL');
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', onExit);
  });
}

/** Keeps the tail of a child's output for failure messages (and keeps its pipes drained). */
function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => output;
}
