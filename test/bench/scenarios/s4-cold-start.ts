import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_FILE } from '../../../server/src/log/journal/journal-log.js';
import { repoRoot } from '../../support/hub-process.js';
import type { RedisServer } from '../../support/redis-server.js';
import { median } from '../support/latency.js';
import { eldWindow, spawnPinned } from '../support/processes.js';
import { Placement, fmt, type ScenarioReport, type Table } from '../support/report.js';
import { startBenchHub } from '../support/servers.js';
import { wallMs } from '../support/clock.js';
import { HistoryResponse, type HistoryRequest } from './history-worker.js';
import {
  benchRedis,
  overBudget,
  redisPid,
  secondsLeft,
  withCleanup,
  type BenchContext,
  type Scenario,
} from './context.js';

const KEY_PREFIX = 'bench:s4:';
const HISTORY_WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'history-worker.ts');
const IDEMPOTENCY_WINDOW_MS = 7 * 24 * 3600_000;

const plan = (quick: boolean) =>
  quick
    ? { sizes: [10_000], reps: (_size: number) => 1 }
    : { sizes: [100_000, 1_000_000], reps: (size: number) => (size <= 100_000 ? 3 : 1) };

type Start = {
  backend: 'embedded' | 'redis';
  events: number;
  snapshot: boolean;
  /** The hub's `hub ready` ms (opening the log, folding, listening), per repetition. */
  readyMs: (number | null)[];
  /** Spawn → listening, including Node and tsx start-up. */
  spawnMs: number[];
  replayed: number | null;
  rssMb: number;
  failure: string | null;
};

type Measure = (events: number, snapshot: boolean) => Promise<Start>;

/**
 * S4 (and the hub's "start-up time with 100k events"): a hub starts on a log that already
 * holds a long history, with and without a snapshot near its head. The history is written
 * with the hub's own log modules (journal and Redis stream) and the shared `decide`.
 */
export const s4ColdStart: Scenario = {
  id: 's4',
  title: 'S4 — Cold start on a long log',
  budgetSeconds: { quick: 30, full: 330 },
  run: async (context) => {
    const placement = new Placement();
    placement.addPid('orchestrator (run.ts)', process.pid);
    const starts: Start[] = [];
    const generation: string[] = [];
    const backends: Backend[] = [];
    await withCleanup(
      async () => {
        backends.push(await embeddedBackend(context, placement, starts, generation));
        backends.push(await redisBackend(context, placement, starts, generation));
        // Smaller logs first, for both kinds: what a busy machine leaves out is the largest.
        const { sizes, reps } = plan(context.quick);
        const previous = new Map<
          Backend,
          { size: number; written: number; writeS: number; startS: number }
        >();
        for (const size of sizes) {
          for (const backend of backends) {
            // Writing grows with the events added, starting with the events times the starts.
            const last = previous.get(backend);
            const estimate = last
              ? (last.writeS * (size - last.size)) / Math.max(1, last.written) +
                (last.startS * size * reps(size)) / (last.size * reps(last.size))
              : 0;
            if (overBudget(context) || estimate > secondsLeft(context)) {
              generation.push(
                `${backend.name}, ${fmt(size)} events: skipped, it would not have fitted in the scenario's time ` +
                  `budget on this machine (about ${fmt(estimate, 0)} s).`,
              );
              continue;
            }
            const t0 = wallMs();
            const { written, writeSeconds } = await backend.stage(size);
            const stageS = (wallMs() - t0) / 1000;
            previous.set(backend, { size, written, writeS: writeSeconds, startS: stageS - writeSeconds });
          }
        }
      },
      async () => {
        for (const backend of backends) await backend.close();
      },
    );
    return report(starts, placement, generation);
  },
};

function measurer(
  context: BenchContext,
  placement: Placement,
  backend: Start['backend'],
  hubOptions: { dataDir?: string; redisUrl?: string; requireAppendfsync?: 'everysec' },
): Measure {
  return async (events, snapshot) => {
    const reps = plan(context.quick).reps(events);
    const start: Start = {
      backend,
      events,
      snapshot,
      readyMs: [],
      spawnMs: [],
      replayed: null,
      rssMb: 0,
      failure: null,
    };
    for (let i = 0; i < reps; i++) {
      context.progress(
        `S4 ${backend}: start on ${events} events ${snapshot ? 'with' : 'without'} snapshot (${i + 1}/${reps})`,
      );
      const from = wallMs();
      try {
        const hub = await startBenchHub({
          name: `hub-s4-${backend}`,
          core: context.serverCore,
          logLevel: 'info',
          startTimeoutMs: 300_000,
          // No demo accounts: they are written to the log at start, which is not what is measured.
          env: { REDIS_KEY_PREFIX: KEY_PREFIX, SNAPSHOT_EVERY: '1000000000', DEMO_ACCOUNTS: 'false' },
          ...hubOptions,
        });
        placement.add(hub);
        start.readyMs.push(hub.readyMs);
        start.spawnMs.push(hub.spawnToReadyMs);
        const opened = await hub.waitForLine(/"msg":"log opened"/, 1000).catch(() => null);
        const replayed = opened ? /"replayed":(\d+)/.exec(opened.input) : null;
        start.replayed = replayed ? Number(replayed[1]) : null;
        await hub.kill('SIGTERM');
        start.rssMb = Math.max(
          start.rssMb,
          Math.round(eldWindow([hub], from - 1000, wallMs()).rssMax / 2 ** 20),
        );
      } catch (error) {
        start.failure = (error as Error).message.split('\n')[0] ?? 'failed';
        break;
      }
    }
    return start;
  };
}

// Distributes over the union, so each op keeps its own fields.
type HistoryCall = HistoryRequest extends infer R
  ? R extends HistoryRequest
    ? Omit<R, 'id'>
    : never
  : never;
type HistoryProcess = { call: (request: HistoryCall) => Promise<HistoryResponse>; stop: () => Promise<void> };

/** Starts history-worker.ts on `core` and returns a typed caller. */
async function startHistoryProcess(core: number, placement: Placement): Promise<HistoryProcess> {
  const proc = spawnPinned({
    name: 'history-writer',
    core,
    cwd: repoRoot,
    ipc: true,
    command: [
      process.execPath,
      '--max-old-space-size=8192',
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      HISTORY_WORKER,
    ],
  });
  const waiters = new Map<number, (response: HistoryResponse) => void>();
  let nextId = 1;
  proc.child.on('message', (message) => {
    const response = HistoryResponse.safeParse(message);
    if (response.success) waiters.get(response.data.id)?.(response.data);
  });
  const call = (request: HistoryCall | null, id: number) =>
    new Promise<HistoryResponse>((resolve, reject) => {
      const onExit = () => reject(new Error(`history writer exited:\n${proc.output()}`));
      proc.child.once('exit', onExit);
      waiters.set(id, (response) => {
        waiters.delete(id);
        proc.child.off('exit', onExit);
        if (response.ok) resolve(response);
        else reject(new Error(`history writer: ${response.error ?? 'failed'}`));
      });
      if (request) proc.child.send({ ...request, id });
    });
  await call(null, 0);
  // Read only now: right after the spawn the pid may still be `taskset`, not yet pinned.
  placement.add(proc);
  return {
    call: (request) => call(request, nextId++),
    stop: async () => {
      proc.child.disconnect();
      await proc.kill('SIGTERM');
    },
  };
}

async function write(
  context: BenchContext,
  backend: string,
  history: HistoryProcess,
  size: number,
): Promise<{ line: string; written: number; seconds: number }> {
  context.progress(`S4 ${backend}: writing history up to ${size} events`);
  const t0 = wallMs();
  const before = (await history.call({ op: 'append', until: 0 })).headSeq;
  const after = (await history.call({ op: 'append', until: size })).headSeq;
  const seconds = (wallMs() - t0) / 1000;
  const rate = fmt((after - before) / seconds, 0);
  return {
    line: `${backend}: wrote events ${before + 1}–${after} in ${fmt(seconds)} s (${rate} events/s through the log module)`,
    written: after - before,
    seconds,
  };
}

/** One log kind with its history writer: `stage(size)` writes up to `size` events and measures. */
type Backend = {
  name: Start['backend'];
  stage: (size: number) => Promise<{ written: number; writeSeconds: number }>;
  close: () => Promise<void>;
};

async function embeddedBackend(
  context: BenchContext,
  placement: Placement,
  starts: Start[],
  generation: string[],
): Promise<Backend> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-bench-s4-'));
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  const aside = `${snapshotFile}.aside`;
  const measure = measurer(context, placement, 'embedded', { dataDir: dir });
  const history = await startHistoryProcess(context.serverCore, placement);
  return {
    name: 'embedded',
    stage: async (size) => {
      // Closed while a hub starts: the hub must be the only process with the journal open.
      await history.call({
        op: 'open',
        backend: 'embedded',
        target: dir,
        keyPrefix: '',
        idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
      });
      const written = await write(context, 'embedded', history, size);
      generation.push(written.line);
      const saved = await history.call({ op: 'snapshot' });
      const { headSeq } = saved;
      generation.push(snapshotNote('embedded', saved));
      await history.call({ op: 'close' });
      renameSync(snapshotFile, aside);
      starts.push(await measure(headSeq, false));
      renameSync(aside, snapshotFile);
      starts.push(await measure(headSeq, true));
      return { written: written.written, writeSeconds: written.seconds };
    },
    close: async () => {
      await history.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redisBackend(
  context: BenchContext,
  placement: Placement,
  starts: Start[],
  generation: string[],
): Promise<Backend> {
  // everysec: writing is faster, and reading the log at start does not depend on it.
  const server: RedisServer = await benchRedis('everysec');
  placement.addPid('redis-server', redisPid(server.port));
  const admin = createClient({ url: server.url });
  const history = await startHistoryProcess(context.serverCore, placement);
  const close = async () => {
    await history.call({ op: 'close' }).catch(() => undefined);
    await history.stop();
    if (admin.isOpen) await admin.close().catch(() => undefined);
    await server.stop();
  };
  try {
    await admin.connect();
    await history.call({
      op: 'open',
      backend: 'redis',
      target: server.url,
      keyPrefix: KEY_PREFIX,
      idempotencyWindowMs: IDEMPOTENCY_WINDOW_MS,
    });
  } catch (error) {
    await close();
    throw error;
  }
  const measure = measurer(context, placement, 'redis', {
    redisUrl: server.url,
    requireAppendfsync: 'everysec',
  });
  return {
    name: 'redis',
    stage: async (size) => {
      const written = await write(context, 'redis', history, size);
      generation.push(written.line);
      // A snapshot trims older events from the stream, so "without" is measured first;
      // the previous size's snapshot is removed so that this one starts from nothing.
      await admin.del(`${KEY_PREFIX}snapshot`);
      const { headSeq } = await history.call({ op: 'append', until: 0 });
      starts.push(await measure(headSeq, false));
      generation.push(snapshotNote('redis', await history.call({ op: 'snapshot' })));
      starts.push(await measure(headSeq, true));
      return { written: written.written, writeSeconds: written.seconds };
    },
    close,
  };
}

function report(starts: Start[], placement: Placement, generation: string[]): ScenarioReport {
  const table: Table = {
    title: 'Start-up time on a long log (ms)',
    columns: [
      'log',
      'events',
      'snapshot',
      'goal',
      'hub ready (median)',
      'runs',
      'spawn → listening (median)',
      'events replayed',
      'peak RSS MB',
    ],
    rows: starts.map((s) => {
      const ready = s.readyMs.filter((v): v is number => v !== null);
      return [
        s.backend,
        fmt(s.events),
        s.snapshot ? 'yes' : 'no',
        goal(s),
        s.failure ? `failed: ${s.failure}` : fmt(median(ready)),
        ready.join(', '),
        s.failure ? '—' : fmt(median(s.spawnMs)),
        s.replayed ?? '?',
        s.rssMb,
      ];
    }),
  };
  const hubFigures: [string, string, string][] = starts
    .filter((s) => s.events >= 100_000 && s.events < 200_000)
    .map((s) => [
      `Start-up with ${fmt(s.events)} events, ${s.backend}, ${s.snapshot ? 'with' : 'without'} snapshot`,
      goal(s),
      s.failure
        ? `failed: ${s.failure}`
        : `${fmt(median(s.readyMs.filter((v): v is number => v !== null)))} ms (hub ready)`,
    ]);
  return {
    id: 's4',
    title: s4ColdStart.title,
    description:
      "A hub starts on a log that already holds the history of a busy region, written through the hub's own " +
      'journal and Redis-log modules with commands decided by the shared `decide`: incident updates and ' +
      'acknowledgements (the state keeps its size), log entries, check-ins and check-outs, situation reports (the ' +
      'state grows), about five incidents active at a time. "With snapshot" has a snapshot at the head (the hub ' +
      'stores one every SNAPSHOT_EVERY = 10,000 events, so a real start also replays up to 10,000 events, about ' +
      '0.1 s at the replay rates below); "without" replays everything. "hub ready" is the hub\'s own figure (open the ' +
      'log, fold, listen); "spawn → listening" adds starting Node and compiling TypeScript with tsx.',
    tables: [table],
    goals: starts
      .filter((s) => s.events >= 1_000_000 && s.snapshot)
      .map((s) => {
        const ready = median(s.readyMs.filter((v): v is number => v !== null));
        return {
          figure: `Cold start on ${fmt(s.events)} events, ${s.backend}, snapshot at the head (hub ready)`,
          goal: '≤ 5 s',
          measured: s.failure
            ? `failed: ${s.failure}`
            : `${fmt(ready)} ms (spawn → listening ${fmt(median(s.spawnMs))} ms)`,
          met: !s.failure && ready <= 5_000,
        };
      }),
    placement: placement.lines(),
    notes: [
      ...generation,
      'The hub ran at LOG_LEVEL=info here (for its `hub ready` line); no commands were sent.',
    ],
    hubFigures,
  };
}

/** What storing the snapshot cost the writer: a hub's snapshotter pays the same every SNAPSHOT_EVERY events. */
function snapshotNote(backend: string, response: HistoryResponse): string {
  const timing = response.snapshot;
  if (!timing) return `${backend}: snapshot at ${fmt(response.headSeq)} events: not timed`;
  return (
    `${backend}: snapshot at ${fmt(response.headSeq)} events stored in ${fmt(timing.saveMs, 0)} ms; ` +
    `the event loop was held for at most ${fmt(timing.longestBlockMs, 0)} ms meanwhile`
  );
}

function goal(s: Start): string {
  if (s.events > 200_000) return s.snapshot ? '≤ 5 s' : '—';
  return s.snapshot ? '≤ 2 s (proposed)' : '≤ 10 s (proposed)';
}
