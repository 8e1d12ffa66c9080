import { readFileSync } from 'node:fs';
import { signIn } from '../../support/api-client.js';
import { startWorker, type GeneratorWorker } from '../loadgen/worker-handle.js';
import type { GroupStatus } from '../loadgen/protocol.js';
import { pause, until, wallMs } from '../support/clock.js';
import { median } from '../support/latency.js';
import { eldWindow, type EldWindow } from '../support/processes.js';
import { Placement, fmt, type GoalRow, type ScenarioReport } from '../support/report.js';
import { startBenchHub, type BenchHub } from '../support/servers.js';
import {
  LEAD_ACCOUNT,
  benchRedis,
  overBudget,
  redisPid,
  signInAll,
  sourceAddresses,
  withCleanup,
  type BenchContext,
  type Scenario,
} from './context.js';

/** Commands per second sent through the surviving hub while the other one is down. */
const BACKGROUND_RATE = 20;

const plan = (quick: boolean) => {
  const chosen = quick
    ? { clients: 500, storms: 1, stormMs: 6000 }
    : { clients: 5000, storms: 3, stormMs: 10_000 };
  // BENCH_S3_CLIENTS sets the client count, e.g. a 5,000-client storm with --quick.
  const clients = Number(process.env.BENCH_S3_CLIENTS ?? chosen.clients);
  return { ...chosen, clients };
};

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat: unlike
 * wall-clock figures it hardly moves when other work shares the core.
 */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
/** `getconf CLK_TCK` on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** How long the clients get to come back after the kill. */
const WATCH_MS = 60_000;

type Storm = {
  restartMs: number;
  back99FromKill: number | null;
  back100FromKill: number | null;
  back99FromReady: number | null;
  back100FromReady: number | null;
  headSeq: number;
  final: GroupStatus;
  missedEvents: number;
  snapshots: number;
  commandsDuring: number;
  commandsFailed: number;
  hubEld: EldWindow;
  /** Hub A's CPU ms from spawn to listening, and from listening until every client was back. */
  startCpuMs: number | null;
  stormCpuMs: number | null;
  /** The generator's CPU ms from the kill until every client was back. */
  generatorCpuMs: number | null;
  attemptToCaughtUp: { p50: number; p99: number };
  backOnAttempt: number[];
  backPerSecond: number[];
  generatorEld: { p99: number; max: number };
};

/**
 * S3: SIGKILL a hub holding thousands of clients, start it again on the same port, and
 * time until 99 % and 100 % of its clients are back with the hub's state: reconnected
 * (the browser client's socket.io backoff: 1 s doubling, ±50 % jitter, at most 30 s) with
 * `lastSeq`, caught up to the head the hub had when they rejoined. Meanwhile the other hub
 * takes commands, so the returning clients must catch up on events they missed.
 */
export const s3Reconnect: Scenario = {
  id: 's3',
  title: 'S3 — Reconnect storm after a hub is killed',
  budgetSeconds: { quick: 25, full: 180 },
  run: async (context) => {
    const placement = new Placement();
    const { clients, storms, stormMs } = plan(context.quick);
    const redis = await benchRedis('always');
    placement.addPid('redis-server', redisPid(redis.port));
    placement.addPid('orchestrator (run.ts)', process.pid);
    const worker = await startWorker('generator', context.generatorCore);
    placement.add(worker.process);
    const hubs: BenchHub[] = [];
    const results: Storm[] = [];
    await withCleanup(
      async () => {
        // Node options for hub A only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` to profile the
        // restarted hub through a storm (it writes the profile when stopped at the end).
        const nodeArgs = (process.env.BENCH_S3_HUB_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
        hubs.push(
          await startBenchHub({ name: 'hub-a', core: context.serverCore, redisUrl: redis.url, nodeArgs }),
        );
        hubs.push(await startBenchHub({ name: 'hub-b', core: context.serverCore, redisUrl: redis.url }));
        placement.add(...hubs);
        for (let i = 0; i < storms; i++) {
          if (i > 0 && overBudget(context)) break;
          results.push(await storm(context, worker, hubs, clients, stormMs, i));
        }
      },
      async () => {
        await worker.stop();
        await Promise.all(hubs.map((h) => h.kill('SIGTERM')));
        await redis.stop();
      },
    );
    return report(results, placement, clients, stormMs);
  },
};

async function storm(
  context: BenchContext,
  worker: GeneratorWorker,
  hubs: BenchHub[],
  clients: number,
  stormMs: number,
  index: number,
): Promise<Storm> {
  const [a, b] = hubs;
  if (!a || !b) throw new Error('two hubs needed');
  const group = `s3-clients-${index}`;
  const publishers = `s3-publishers-${index}`;
  const cookies = await signInAll(a.url, context.accounts);
  context.progress(`S3 storm ${index + 1}: connecting ${clients} clients to ${a.name}`);
  const connected = await worker.call('connect', {
    group,
    baseUrls: [a.url],
    cookies,
    mode: 'socketio',
    count: clients,
    localAddresses: sourceAddresses(0),
    concurrency: 100,
    reconnect: true,
    timeoutMs: 120_000,
  });
  if (connected.failed > 0) throw new Error(`clients did not connect: ${connected.errors.join('; ')}`);
  await worker.call('connect', {
    group: publishers,
    baseUrls: [b.url],
    cookies: cookies.slice(0, 4),
    mode: 'socketio',
    count: 4,
    localAddresses: [],
    concurrency: 4,
    reconnect: false,
    timeoutMs: 30_000,
  });
  const allCaughtUp = await until(
    async () => (await worker.call('status', { group, atSeq: null })).caughtUp === clients,
    60_000,
    100,
  );
  if (!allCaughtUp) throw new Error('clients did not catch up before the storm');
  // Fresh clients get a snapshot on their first connect; only later ones count.
  const before = await worker.call('status', { group, atSeq: null });

  const load = worker.call('load', {
    publisherGroup: publishers,
    rate: BACKGROUND_RATE,
    durationMs: stormMs,
    ackTimeoutMs: 10_000,
  });
  // Awaited below; if the restart fails first, the scenario's own error is the one to see.
  load.catch(() => undefined);
  await pause(1000);
  context.progress(`S3 storm ${index + 1}: SIGKILL ${a.name}, restart it`);
  const killedAt = wallMs();
  const generatorCpuAtKill = cpuMs(worker.process.pid);
  await a.kill('SIGKILL');
  const watch = worker.call('watch', { group, sinceMs: killedAt, timeoutMs: WATCH_MS });
  watch.catch(() => undefined);
  const restarted = await a.restart();
  const readyAt = wallMs();
  const cpuAtReady = cpuMs(restarted.pid);
  hubs[0] = restarted;
  const back = await watch;
  const cpuAtBack = cpuMs(restarted.pid);
  const generatorCpuAtBack = cpuMs(worker.process.pid);
  const during = await load;
  const stormEnd = wallMs();
  context.progress(
    `S3 storm ${index + 1}: back per second after the kill ${back.backPerSecond.join(' ')}; ` +
      `hub listening ${Math.round(readyAt - killedAt)} ms after the kill`,
  );

  // The hub's head once the commands have stopped: every client must reach exactly it.
  const api = await signIn(restarted.url, LEAD_ACCOUNT);
  const headSeq = (await api.state()).seq;
  await until(
    async () => (await worker.call('status', { group, atSeq: headSeq })).atSeq === clients,
    15_000,
    100,
  );
  const final = await worker.call('status', { group, atSeq: headSeq });
  await worker.call('close', { group });
  await worker.call('close', { group: publishers });
  const since = (t: number | null, from: number) => (t === null ? null : Math.round(t - from));
  return {
    restartMs: restarted.spawnToReadyMs,
    back99FromKill: since(back.at99, killedAt),
    back100FromKill: since(back.at100, killedAt),
    back99FromReady: since(back.at99, readyAt),
    back100FromReady: since(back.at100, readyAt),
    headSeq,
    final,
    missedEvents: final.missedEvents - before.missedEvents,
    snapshots: final.snapshots - before.snapshots,
    commandsDuring: during.ok,
    commandsFailed: during.failed + during.timedOut,
    hubEld: eldWindow([restarted, b], readyAt, stormEnd),
    startCpuMs: cpuAtReady,
    stormCpuMs: cpuAtReady === null || cpuAtBack === null ? null : cpuAtBack - cpuAtReady,
    generatorCpuMs:
      generatorCpuAtKill === null || generatorCpuAtBack === null
        ? null
        : generatorCpuAtBack - generatorCpuAtKill,
    attemptToCaughtUp: { p50: back.attemptToCaughtUp.p50, p99: back.attemptToCaughtUp.p99 },
    backOnAttempt: back.backOnAttempt,
    backPerSecond: back.backPerSecond,
    generatorEld: { p99: back.generatorEld.p99, max: back.generatorEld.max },
  };
}

function report(storms: Storm[], placement: Placement, clients: number, stormMs: number): ScenarioReport {
  const med = (pick: (s: Storm) => number | null) => {
    const values = storms.map(pick);
    return values.some((v) => v === null) ? null : median(values.filter((v): v is number => v !== null));
  };
  const back99 = med((s) => s.back99FromKill);
  const missed = storms.reduce((sum, s) => sum + s.missedEvents, 0);
  const goals: GoalRow[] = [
    {
      figure: `Reconnect storm, ${fmt(clients)} clients: SIGKILL → 99 % back with the hub's state (median of ${storms.length})`,
      goal: '≤ 10 s',
      measured: `${fmt(back99)} ms (runs ${storms.map((s) => fmt(s.back99FromKill)).join(', ')})`,
      met: back99 !== null && back99 <= 10_000,
    },
    {
      figure: 'Reconnect storm: events missed, all runs',
      goal: '0',
      measured: String(missed),
      met: missed === 0,
    },
  ];
  return {
    id: 's3',
    title: s3Reconnect.title,
    goals,
    description:
      `${clients} clients are connected to hub A of two hubs on one Redis; hub B takes ${BACKGROUND_RATE} commands/s ` +
      `for ${stormMs / 1000} s. One second in, hub A is killed with SIGKILL and started again on the same port. ` +
      "A client counts as back once it has reconnected (socket.io-client's backoff with the browser client's " +
      'settings: 1 s doubling, ±50 % jitter, at most 30 s) and folded everything up ' +
      'to the head the hub announced in its `sync.hello`. After the commands stop, every client must reach the ' +
      "hub's head seq exactly; a jump in a client's seqs counts as missed events (every benchmark event is visible to " +
      'every client, so any jump is a loss).',
    tables: [
      {
        title: `Reconnect storm, ${storms.length} run(s) (median; ms)`,
        columns: ['figure', 'goal', 'measured (median)', 'runs'],
        rows: [
          [
            'hub A restart: spawn → listening',
            '—',
            fmt(med((s) => s.restartMs)),
            storms.map((s) => s.restartMs).join(', '),
          ],
          [
            'kill → 99 % back',
            '≤ 10,000',
            fmt(med((s) => s.back99FromKill)),
            storms.map((s) => fmt(s.back99FromKill)).join(', '),
          ],
          [
            'kill → 100 % back',
            '≤ 15,000 (proposed)',
            fmt(med((s) => s.back100FromKill)),
            storms.map((s) => fmt(s.back100FromKill)).join(', '),
          ],
          [
            'hub ready → 99 % back',
            '—',
            fmt(med((s) => s.back99FromReady)),
            storms.map((s) => fmt(s.back99FromReady)).join(', '),
          ],
          [
            'hub ready → 100 % back',
            '—',
            fmt(med((s) => s.back100FromReady)),
            storms.map((s) => fmt(s.back100FromReady)).join(', '),
          ],
          [
            'clients back per second after hub ready (clients ÷ ready → 100 %)',
            '—',
            fmt(
              med((s) => (s.back100FromReady ? (clients * 1000) / s.back100FromReady : null)),
              0,
            ),
            storms
              .map((s) => (s.back100FromReady ? fmt((clients * 1000) / s.back100FromReady, 0) : '—'))
              .join(', '),
          ],
          [
            'clients at the hub head seq at the end',
            `${clients}`,
            storms.map((s) => s.final.atSeq).join(', '),
            storms.map((s) => s.headSeq).join(', ') + ' (head)',
          ],
          ['missed events (seq jumps)', '0', storms.map((s) => s.missedEvents).join(', '), ''],
          ['snapshots instead of catch-up', '0', storms.map((s) => s.snapshots).join(', '), ''],
          [
            'commands acked / failed on hub B during the storm',
            '— / 0',
            storms.map((s) => `${s.commandsDuring} / ${s.commandsFailed}`).join(', '),
            '',
          ],
          [
            'hub A CPU: spawn → listening / listening → all back (ms)',
            '—',
            storms.map((s) => `${fmt(s.startCpuMs)} / ${fmt(s.stormCpuMs)}`).join(', '),
            '',
          ],
          [
            'generator CPU, kill → all back (ms)',
            '—',
            storms.map((s) => fmt(s.generatorCpuMs)).join(', '),
            '',
          ],
          [
            'per client: start of its successful attempt → caught up, p50 / p99',
            '—',
            storms.map((s) => `${fmt(s.attemptToCaughtUp.p50)} / ${fmt(s.attemptToCaughtUp.p99)}`).join(', '),
            '',
          ],
          [
            'clients back on attempt 1 / 2 / 3 / … after the drop',
            '—',
            storms.map((s) => s.backOnAttempt.join(' / ')).join(', '),
            '',
          ],
          [
            'generator ELD p99 / max, commands start → all back',
            '—',
            storms.map((s) => `${fmt(s.generatorEld.p99)} / ${fmt(s.generatorEld.max)}`).join(', '),
            '',
          ],
          [
            'hub ELD p99 worst second / max, hub A ready → end',
            '—',
            storms.map((s) => `${fmt(s.hubEld.p99Worst)} / ${fmt(s.hubEld.max)}`).join(', '),
            '',
          ],
        ],
      },
    ],
    placement: placement.lines(),
    notes: [
      'Most of "kill → back" is the clients\' backoff and the restart of Node with tsx (see the first row); ' +
        '"hub ready → back" is what the hub itself adds. With few clients the backoff sets the pace; with thousands, ' +
        'how fast the hub takes connections with their catch-up does ("clients back per second").',
      'Every storm starts with fresh clients; the snapshot a fresh client receives at its first connect is not counted.',
      'The CPU rows are /proc user + system time: on a busy machine wall-clock figures stretch, CPU time much less. ' +
        "Hub A's CPU from listening until all are back includes sending the live events to the clients already back.",
    ],
  };
}
