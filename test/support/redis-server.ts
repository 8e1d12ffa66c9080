import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listenWithRetry, stopChild } from './ports.js';

/** How a test wants its private Redis configured. */
export type RedisServerOptions = {
  /** `always` (the default) loses no acknowledged write when Redis is killed. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** `yes` by default; `no` exists so the preflight check can be tested. */
  appendonly?: 'yes' | 'no';
  /** Data directory; a fresh temp dir (removed by `stop`) when omitted. */
  dir?: string;
  /** Fixed port; a free loopback port when omitted. */
  port?: number;
  /** Further `redis-server` arguments, e.g. `['--rename-command', 'CONFIG', '']`. */
  extraArgs?: string[];
};

/** A redis-server child process owned by one test file or benchmark. */
export type RedisServer = {
  url: string;
  port: number;
  dir: string;
  /** Kills the process (SIGKILL by default, like a crash) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts Redis again on the same port and directory, so the AOF is replayed. */
  restart(): Promise<void>;
  /** Shuts Redis down and removes the temp dir it created. Safe to call twice. */
  stop(): Promise<void>;
};

const REDIS_BINARY = '/usr/bin/redis-server';
const START_TIMEOUT_MS = 15_000;

// Children still running when the test process exits would outlive it and hold ports.
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

/** Starts Debian's redis-server on 127.0.0.1 with AOF on, and waits until it answers PING. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'lagesbild-redis-')));
  let port = options.port ?? 0;
  let child: ChildProcess | null = null;

  const args = (p: number) => [
    '--port',
    String(p),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    options.appendonly ?? 'yes',
    '--appendfsync',
    options.appendfsync ?? 'always',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--loglevel',
    'notice',
    ...(options.extraArgs ?? []),
  ];

  const launch = async () => {
    // A probed port can be taken before Redis binds it: a new one is probed then. A restart
    // keeps its port (clients reconnect to it) and waits for it to come free instead.
    await listenWithRetry(
      async (p) => {
        child = await spawnReady(args(p), p);
        port = p;
      },
      port === 0 ? undefined : port,
    );
  };

  await launch();

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    child = null;
    if (c) await stopChild(c, signal);
  };

  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    kill,
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async stop() {
      await kill('SIGTERM');
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns redis-server and resolves once it is ready to serve (AOF loaded, PING answered). */
async function spawnReady(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const onData = () => {
        // Redis prints this only after the AOF has been loaded completely.
        if (output.includes('Ready to accept connections')) done(null);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        done(new Error(`redis-server exited before it was ready (code ${code}, signal ${signal})`));
      const onError = (err: Error) => done(err);
      const done = (err: Error | null) => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('close', onExit);
        child.off('error', onError);
        if (err) reject(new Error(`${err.message}\n--- redis-server output ---\n${output}`));
        else resolve();
      };
      child.stdout?.on('data', onData);
      // 'close', not 'exit': only then has the output (why it stopped) been read to the end.
      child.once('close', onExit);
      child.once('error', onError);
      onData();
    });
    await ping(port);
  } catch (err) {
    await stopChild(child, 'SIGKILL');
    throw err;
  }
  return child;
}

/** Sends one inline PING and resolves on +PONG; confirms the port is really this server. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => finish(new Error('PING timed out')), 5000);
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n'))
        finish(reply.startsWith('+PONG') ? null : new Error(`PING answered ${reply.trim()}`));
    });
    socket.on('error', finish);
  });
}
