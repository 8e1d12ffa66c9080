import { startWorker, type GeneratorWorker } from '../loadgen/worker-handle.js';
import type { FanoutResult } from '../loadgen/protocol.js';
import { wallMs } from '../support/clock.js';
import { median } from '../support/latency.js';
import { eldWindow, type EldWindow } from '../support/processes.js';
import { Placement, fmt, ratio, type GoalRow, type ScenarioReport, type Table } from '../support/report.js';
import { startBenchHub, startCeiling, startSioBaseline, type BenchServer } from '../support/servers.js';
import { activationBatchTemplate } from './payloads.js';
import {
  LEAD_ACCOUNT,
  benchRedis,
  overBudget,
  redisPid,
  secondsLeft,
  signInAll,
  sourceAddresses,
  withCleanup,
  type BenchContext,
  type Scenario,
} from './context.js';

type System = 'ceiling' | 'sio' | 'hub';
const SYSTEMS: readonly System[] = ['ceiling', 'sio', 'hub'];
const SYSTEM_NAMES: Record<System, string> = {
  ceiling: 'raw ws (ceiling)',
  sio: 'socket.io + Redis adapter',
  hub: 'Lägesbild hub',
};

/** Fan-out figures of one system at one client count. */
export type LevelResult = {
  system: System;
  clients: number;
  connectPerSecond: number;
  rounds: FanoutResult['rounds'];
  p50: number;
  p99: number;
  last: number;
  worstLast: number;
  lost: number;
  ackMs: number | null;
  serverEld: EldWindow;
  generatorEldP99: number;
};

const plan = (quick: boolean) =>
  quick
    ? { levels: [500], rounds: (_n: number) => 3, warmup: 1 }
    : { levels: [1000, 5000, 10_000], rounds: (n: number) => (n <= 1000 ? 12 : 8), warmup: 1 };

/** The client count issue "The hub" asks about. */
const HUB_FIGURE_CLIENTS = 1000;

/** Rounds a level keeps even when the scenario runs out of time. */
const MIN_ROUNDS = 3;

/**
 * S1 (and the hub's "event to 1,000 clients on two hubs"): one activation reaches every
 * connected client, on two server processes sharing one Redis. The same payload and the
 * same placement measure three systems: a raw `ws` broadcast (the ceiling), plain
 * socket.io with the Redis adapter (what any socket.io app pays), and the hub (log append,
 * fold, per-viewer fan-out). All three run at once, each with its own generator process,
 * and their rounds take turns, so the machine's noise falls on all of them alike.
 */
export const s1Fanout: Scenario = {
  id: 's1',
  title: 'S1 — Activation fan-out over two processes',
  budgetSeconds: { quick: 45, full: 300 },
  run: async (context) => {
    const placement = new Placement();
    const redis = await benchRedis('always');
    placement.addPid('redis-server', redisPid(redis.port));
    placement.addPid('orchestrator (run.ts)', process.pid);
    const setups: SystemSetup[] = [];
    const results: LevelResult[] = [];
    const skipped: string[] = [];
    await withCleanup(
      async () => {
        // Started side by side: each start is mostly Node and tsx loading.
        const settled = await Promise.allSettled(
          SYSTEMS.map((system, i) => setUp(system, i, context, redis.url, placement)),
        );
        for (const result of settled) if (result.status === 'fulfilled') setups.push(result.value);
        const failed = settled.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        const { levels, rounds, warmup } = plan(context.quick);
        // Seconds per added client and per client-round, from the levels measured so far.
        let cost: { perConnect: number; perReceipt: number } | null = null;
        let clients = 0;
        for (const level of levels) {
          const estimate = cost
            ? SYSTEMS.length *
              ((level - clients) * cost.perConnect + (rounds(level) + warmup) * level * cost.perReceipt)
            : 0;
          if (overBudget(context) || estimate > secondsLeft(context)) {
            skipped.push(
              `${level} clients: skipped, it would not have fitted in the scenario's time budget on this (busy) machine.`,
            );
            continue;
          }
          const t0 = wallMs();
          const measured = await measureLevel(setups, level, rounds(level), warmup, context);
          results.push(...measured.results);
          const connectSeconds = measured.connectMs / 1000;
          const roundSeconds = (wallMs() - t0) / 1000 - connectSeconds;
          cost = {
            perConnect: connectSeconds / Math.max(1, SYSTEMS.length * (level - clients)),
            perReceipt: roundSeconds / Math.max(1, SYSTEMS.length * (measured.rounds + warmup) * level),
          };
          clients = level;
        }
      },
      async () => {
        for (const setup of setups) await setup.tearDown();
        await redis.stop();
      },
    );
    return report(results, placement, context, skipped);
  },
};

/** One system with its servers, its generator process and its connected clients. */
type SystemSetup = {
  system: System;
  worker: GeneratorWorker;
  servers: BenchServer[];
  grow: (clients: number) => Promise<{ added: number; ms: number }>;
  fanout: (rounds: number) => Promise<FanoutResult>;
  clients: () => number;
  tearDown: () => Promise<void>;
};

async function setUp(
  system: System,
  index: number,
  context: BenchContext,
  redisUrl: string,
  placement: Placement,
): Promise<SystemSetup> {
  const core = context.serverCore;
  const servers: BenchServer[] = [];
  const worker = await startWorker(`generator-${system}`, context.generatorCore);
  placement.add(worker.process);
  const tearDown = async () => {
    await worker.stop();
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
  };
  try {
    for (const name of [`${system}-a`, `${system}-b`]) {
      servers.push(
        system === 'ceiling'
          ? await startCeiling(name, core)
          : system === 'sio'
            ? await startSioBaseline(name, core, redisUrl)
            : await startBenchHub({ name, core, redisUrl }),
      );
    }
    placement.add(...servers);
    const urls = servers.map((s) => s.url);
    const first = urls[0] ?? '';
    const mode = system === 'ceiling' ? 'raw' : 'socketio';
    const receiverCookies = system === 'hub' ? await signInAll(first, context.accounts) : [];
    const publisherCookies = system === 'hub' ? await signInAll(first, [LEAD_ACCOUNT]) : [];
    const group = 'receivers';
    const connected = await worker.call('connect', {
      group: 'publishers',
      // The ceiling's publisher talks to each process; the others publish through one.
      baseUrls: system === 'ceiling' ? urls : [first],
      cookies: publisherCookies,
      mode,
      count: system === 'ceiling' ? 2 : 1,
      localAddresses: [],
      concurrency: 2,
      reconnect: false,
      timeoutMs: 30_000,
    });
    if (connected.failed > 0)
      throw new Error(`${system}: publisher did not connect: ${connected.errors.join('; ')}`);
    const template = activationBatchTemplate();
    let clients = 0;
    return {
      system,
      worker,
      servers,
      clients: () => clients,
      grow: async (target) => {
        const added = await worker.call('connect', {
          group,
          baseUrls: urls,
          cookies: receiverCookies,
          mode,
          count: Math.max(0, target - clients),
          localAddresses: sourceAddresses(index),
          concurrency: 100,
          reconnect: false,
          timeoutMs: 180_000,
        });
        clients += added.connected;
        if (added.failed > 0) {
          context.progress(
            `S1 ${system}: ${added.failed} clients failed to connect: ${added.errors.join('; ')}`,
          );
        }
        return { added: added.connected, ms: added.ms };
      },
      fanout: (rounds) =>
        worker.call('fanout', {
          publisherGroup: 'publishers',
          receiverGroups: [group],
          system: system === 'ceiling' ? 'raw' : system,
          frameTemplate: template,
          rounds,
          gapMs: 200,
          timeoutMs: 10_000,
        }),
      tearDown,
    };
  } catch (error) {
    await tearDown();
    throw error;
  }
}

async function measureLevel(
  setups: SystemSetup[],
  level: number,
  rounds: number,
  warmup: number,
  context: BenchContext,
): Promise<{ results: LevelResult[]; connectMs: number; rounds: number }> {
  const connects = new Map<System, number>();
  const connectStart = wallMs();
  for (const setup of setups) {
    context.progress(`S1 ${setup.system}: connecting up to ${level} clients`);
    const grown = await setup.grow(level);
    connects.set(setup.system, grown.ms > 0 ? (grown.added * 1000) / grown.ms : 0);
  }
  const connectMs = wallMs() - connectStart;
  for (const setup of setups) await setup.fanout(warmup);
  context.progress(`S1: ${rounds} activations to ${level} clients per system, the systems taking turns`);
  const measured = new Map<System, FanoutResult[]>(setups.map((s) => [s.system, []]));
  const from = wallMs();
  for (let r = 0; r < rounds; r++) {
    if (r >= MIN_ROUNDS && overBudget(context)) break;
    for (const setup of setups) measured.get(setup.system)?.push(await setup.fanout(1));
  }
  const to = wallMs();
  const results = setups.map((setup): LevelResult => {
    const runs = measured.get(setup.system) ?? [];
    const all = runs.flatMap((m) => m.rounds);
    const acks = all.flatMap((r) => (r.ackMs === null ? [] : [r.ackMs]));
    return {
      system: setup.system,
      clients: setup.clients(),
      connectPerSecond: connects.get(setup.system) ?? 0,
      rounds: all,
      p50: median(all.map((r) => r.p50)),
      p99: median(all.map((r) => r.p99)),
      last: median(all.map((r) => r.last)),
      worstLast: Math.max(0, ...all.map((r) => r.last)),
      lost: all.reduce((n, r) => n + r.lost, 0),
      ackMs: acks.length > 0 ? median(acks) : null,
      // Each system's processes are idle while the others take their turn.
      serverEld: eldWindow(setup.servers, from, to),
      generatorEldP99: median(runs.map((m) => m.generatorEld.p99)),
    };
  });
  return { results, connectMs, rounds: results[0]?.rounds.length ?? rounds };
}

function report(
  results: LevelResult[],
  placement: Placement,
  context: BenchContext,
  skipped: string[],
): ScenarioReport {
  const levels = [...new Set(results.map((r) => r.clients))];
  const find = (system: System, clients: number) =>
    results.find((r) => r.system === system && r.clients === clients);
  const figures: Table = {
    title: 'Fan-out latency, publish → receipt (ms; median over rounds)',
    columns: [
      'system',
      'clients',
      'rounds',
      'p50',
      'p99',
      'last client',
      'worst last',
      'lost',
      'durable ack',
      'server ELD p99 (worst s)',
      'server ELD max',
      'generator ELD p99',
      'connects/s',
    ],
    rows: results.map((r) => [
      SYSTEM_NAMES[r.system],
      r.clients,
      r.rounds.length,
      fmt(r.p50),
      fmt(r.p99),
      fmt(r.last),
      fmt(r.worstLast),
      r.lost,
      r.ackMs === null ? '—' : fmt(r.ackMs),
      fmt(r.serverEld.p99Worst),
      fmt(r.serverEld.max),
      fmt(r.generatorEldP99),
      fmt(r.connectPerSecond, 0),
    ]),
  };
  const ratios: Table = {
    title: 'Hub relative to the baselines (×1 = as fast; higher = slower)',
    columns: [
      'clients',
      'p50 ÷ ceiling',
      'p50 ÷ socket.io',
      'p99 ÷ ceiling',
      'p99 ÷ socket.io',
      'last ÷ ceiling',
      'last ÷ socket.io',
    ],
    rows: levels.flatMap((clients) => {
      const hub = find('hub', clients);
      const ceiling = find('ceiling', clients);
      const sio = find('sio', clients);
      if (!hub || !ceiling || !sio) return [];
      return [
        [
          clients,
          ratio(hub.p50, ceiling.p50),
          ratio(hub.p50, sio.p50),
          ratio(hub.p99, ceiling.p99),
          ratio(hub.p99, sio.p99),
          ratio(hub.last, ceiling.last),
          ratio(hub.last, sio.last),
        ],
      ];
    }),
  };
  return {
    id: 's1',
    title: s1Fanout.title,
    description:
      'One message reaches every connected client; clients are split evenly over two server processes that share ' +
      'one Redis (appendfsync always). The three systems run side by side and take turns, one round each. Per round ' +
      'the publisher sends one activation and every client reports when it ' +
      'read it; "last client" is the slowest receipt of a round, "lost" counts receipts missing after 10 s. Systems: ' +
      'a raw `ws` server that forwards the frame (the ceiling; the publisher hands the frame to both processes, so ' +
      'there is no inter-process hop), plain socket.io with `@socket.io/redis-adapter` (`io.emit`, no log), and the ' +
      `hub (an \`incident.activate\` command: decide, durable append to the Redis stream, both hubs tail and fold it, ` +
      `then emit). All three send the same ${activationBatchTemplate().length}-byte payload. Clients are spread over ` +
      `${context.accounts.length} demo accounts.`,
    tables: [figures, ratios],
    hubFigures: results
      .filter((r) => r.system === 'hub' && r.clients === HUB_FIGURE_CLIENTS)
      .map((r) => [
        `Activation reaching ${fmt(r.clients)} clients on two hubs (Redis)`,
        'p99 ≤ 250 ms, none lost (proposed)',
        `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, last client ${fmt(r.last)} ms, ${r.lost} lost`,
      ]),
    goals: s1Goals(levels, find),
    placement: placement.lines(),
    notes: [
      'Each system has its own generator process (all on core 0; only the one whose turn it is works). At 5k–10k ' +
        'clients part of "last client" is that generator reading the frames; its event-loop delay is shown to judge ' +
        'that. It is the same for all three systems, so the ratios hold.',
      "Server ELD is the worst one-second p99 of event-loop delay over the system's two server processes while the " +
        "rounds ran (its processes are idle during the other systems' turns).",
      ...skipped,
    ],
  };
}

/** Issue "Measure it": at 10k clients p99 ≤ 150 ms, ≤ 1.5× the ceiling, and no slower than plain socket.io. */
function s1Goals(
  levels: readonly number[],
  find: (system: System, clients: number) => { p99: number; lost: number } | undefined,
): GoalRow[] {
  const clients = Math.max(...levels);
  const hub = find('hub', clients);
  const ceiling = find('ceiling', clients);
  const sio = find('sio', clients);
  if (!hub || !ceiling || !sio) return [];
  const at = `${fmt(clients)} clients`;
  return [
    {
      figure: `Activation fan-out p99, ${at}, two hubs`,
      goal: '≤ 150 ms at 10,000, none lost',
      measured: `${fmt(hub.p99)} ms, ${hub.lost} lost`,
      met: clients >= 10_000 && hub.p99 <= 150 && hub.lost === 0,
    },
    {
      figure: `Hub p99 ÷ raw ws ceiling p99, ${at}`,
      goal: '≤ ×1.5',
      measured: ratio(hub.p99, ceiling.p99),
      met: hub.p99 <= 1.5 * ceiling.p99,
    },
    {
      figure: `Hub p99 ÷ plain socket.io + Redis adapter p99, ${at}`,
      goal: '≤ ×1 (no slower)',
      measured: ratio(hub.p99, sio.p99),
      met: hub.p99 <= sio.p99,
    },
  ];
}
