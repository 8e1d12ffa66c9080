import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { median } from './latency.js';

/** One line of eld-preload.ts: a second of event-loop delay (ms) and memory (bytes). */
export const EldSample = z.object({
  bench: z.literal('eld'),
  t: z.number(),
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
  rss: z.number(),
  heap: z.number(),
});
export type EldSample = z.infer<typeof EldSample>;

/** A child process pinned to one core, with its output and ELD samples collected. */
export type PinnedProcess = {
  name: string;
  pid: number;
  core: number;
  child: ChildProcess;
  /** The last 64 KiB of what it printed, for error messages. */
  output: () => string;
  eld: EldSample[];
  /** Resolves with the first line (already printed or still to come) matching `pattern`. */
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  exited: () => boolean;
};

const OUTPUT_TAIL = 64 * 1024;
const ELD_SAMPLES_KEPT = 3600;

// Every process a bench starts is listed here and killed, by pid, when the bench exits.
const running = new Set<ChildProcess>();
let hooked = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}

/** Kills every process this bench started and that still runs (after a failed scenario). */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Pins the calling process (and so every child it spawns without taskset) to a core. */
export function pinSelf(core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/** The cores a process may run on, as the kernel reports it (e.g. "1"). */
export function allowedCpus(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/**
 * Starts `command` on `core` with the open-file limit raised to the hard limit (tens of
 * thousands of sockets need it): `taskset -c core bash -c 'ulimit -n …; exec command'`.
 */
export function spawnPinned(options: {
  name: string;
  core: number;
  command: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  ipc?: boolean;
}): PinnedProcess {
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const child = spawn(
    'taskset',
    ['-c', String(options.core), 'bash', '-c', script, options.name, ...options.command],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    },
  );
  track(child);
  let output = '';
  const eld: EldSample[] = [];
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const onLine = (line: string) => {
    if (line.startsWith('{"bench":"eld"')) {
      const sample = EldSample.safeParse(safeJson(line));
      if (sample.success) {
        eld.push(sample.data);
        if (eld.length > ELD_SAMPLES_KEPT) eld.shift();
        return;
      }
    }
    output = (output + line + '\n').slice(-OUTPUT_TAIL);
    lines.push(line);
    if (lines.length > 2000) lines.shift();
    for (const waiter of waiters) waiter(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    });
  }
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  return {
    name: options.name,
    pid: child.pid ?? -1,
    core: options.core,
    child,
    output: () => output,
    eld,
    exited,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match) return resolve(match);
        }
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          child.off('exit', onExit);
        };
        const waiter = (line: string) => {
          const match = pattern.exec(line);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(
            new Error(`${options.name} exited (${code ?? signal}) before printing ${pattern}:\n${output}`),
          );
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${options.name} did not print ${pattern} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        waiters.add(waiter);
        child.once('exit', onExit);
      }),
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        // A process that ignores SIGTERM must not hang the bench.
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Event-loop delay of server processes over a window: the worst and the median second. */
export type EldWindow = { seconds: number; p99Median: number; p99Worst: number; max: number; rssMax: number };

/** Summarises the ELD samples of some processes between two wall-clock times. */
export function eldWindow(processes: readonly PinnedProcess[], fromMs: number, toMs: number): EldWindow {
  // A sample covers the second before its timestamp.
  const samples = processes.flatMap((p) => p.eld.filter((s) => s.t > fromMs && s.t <= toMs + 1000));
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    seconds: samples.length,
    p99Median: round(median(samples.map((s) => s.p99))),
    p99Worst: round(Math.max(0, ...samples.map((s) => s.p99))),
    max: round(Math.max(0, ...samples.map((s) => s.max))),
    rssMax: Math.max(0, ...samples.map((s) => s.rss)),
  };
}

/** The pid of a process we did not spawn through here (Redis), by its command line. */
export function findPid(matches: (commandLine: string) => boolean): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (matches(commandLine)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}
