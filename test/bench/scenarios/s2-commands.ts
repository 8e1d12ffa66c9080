import type { RedisServer } from '../../support/redis-server.js';
import { startWorker, type GeneratorWorker } from '../loadgen/worker-handle.js';
import type { LoadResult } from '../loadgen/protocol.js';
import { pause, wallMs } from '../support/clock.js';
import { eldWindow, type EldWindow } from '../support/processes.js';
import { Placement, fmt, type GoalRow, type ScenarioReport, type Table } from '../support/report.js';
import { startBenchHub, type BenchHub } from '../support/servers.js';
import {
  benchRedis,
  overBudget,
  redisPid,
  signInAll,
  sourceAddresses,
  withCleanup,
  type BenchContext,
  type Scenario,
} from './context.js';

/** Where S2 stops raising the rate. */
const P99_LIMIT_MS = 50;
/** The rate issue "The hub" asks about. */
const HUB_FIGURE_RATE = 200;
/** Issue "Measure it": durable-ack p99 at HUB_FIGURE_RATE, the median of GOAL_TRIES tries. */
const GOAL_P99_MS = 10;
const GOAL_TRIES = 3;
const PUBLISHERS = 16;

type Variant = {
  key: string;
  name: string;
  log: 'embedded' | 'redis';
  appendfsync?: 'always' | 'everysec';
  hubs: 1 | 2;
};

const VARIANTS: readonly Variant[] = [
  { key: 'embedded', name: 'embedded journal', log: 'embedded', hubs: 1 },
  { key: 'redis-always', name: 'Redis, appendfsync always', log: 'redis', appendfsync: 'always', hubs: 1 },
  {
    key: 'redis-everysec',
    name: 'Redis, appendfsync everysec',
    log: 'redis',
    appendfsync: 'everysec',
    hubs: 1,
  },
  {
    key: 'redis-always-2',
    name: 'Redis, appendfsync always, two hubs',
    log: 'redis',
    appendfsync: 'always',
    hubs: 2,
  },
];

const plan = (quick: boolean) =>
  quick
    ? { variants: ['embedded', 'redis-always'], rates: [100, 200, 400], stepMs: 2000 }
    : {
        variants: VARIANTS.map((v) => v.key),
        rates: [50, 100, 200, 400, 800, 1600, 3200],
        stepMs: 6000,
      };

type Step = { rate: number; attempt: number; result: LoadResult; hubEld: EldWindow; passed: boolean };

/**
 * S2 (and the hub's "durable command ack latency at 200 commands/s"): region-wide log
 * entries over socket.io acks, rate raised step by step until the p99 of the durable ack
 * passes 50 ms (or commands fail), for the embedded journal and for Redis with
 * appendfsync always and everysec.
 */
export const s2Commands: Scenario = {
  id: 's2',
  title: 'S2 — Commands per second until the durable-ack p99 passes 50 ms',
  budgetSeconds: { quick: 25, full: 420 },
  run: async (context) => {
    const placement = new Placement();
    const worker = await startWorker('generator', context.generatorCore);
    placement.add(worker.process);
    placement.addPid('orchestrator (run.ts)', process.pid);
    const { variants, rates, stepMs } = plan(context.quick);
    const results = new Map<string, Step[]>();
    const skipped: string[] = [];
    await withCleanup(
      async () => {
        for (const variant of VARIANTS.filter((v) => variants.includes(v.key))) {
          if (overBudget(context)) {
            skipped.push(`${variant.name}: skipped, the scenario had used its time budget.`);
            continue;
          }
          results.set(
            variant.key,
            await runVariant(variant, context, worker, placement, rates, stepMs, skipped),
          );
        }
      },
      () => worker.stop(),
    );
    return report(results, placement, stepMs, skipped);
  },
};

async function runVariant(
  variant: Variant,
  context: BenchContext,
  worker: GeneratorWorker,
  placement: Placement,
  rates: readonly number[],
  stepMs: number,
  skipped: string[],
): Promise<Step[]> {
  const started: { redis: RedisServer | null } = { redis: null };
  const hubs: BenchHub[] = [];
  const steps: Step[] = [];
  await withCleanup(
    async () => {
      const redis = variant.log === 'redis' ? await benchRedis(variant.appendfsync) : null;
      started.redis = redis;
      if (redis) placement.addPid('redis-server', redisPid(redis.port));
      for (let i = 0; i < variant.hubs; i++) {
        hubs.push(
          await startBenchHub({
            name: `hub-${variant.key}-${i}`,
            core: context.serverCore,
            ...(redis ? { redisUrl: redis.url, requireAppendfsync: variant.appendfsync } : {}),
          }),
        );
      }
      placement.add(...hubs);
      const first = hubs[0];
      if (!first) throw new Error('no hub');
      const cookies = await signInAll(first.url, context.accounts.slice(0, PUBLISHERS));
      const group = `s2-${variant.key}`;
      const connected = await worker.call('connect', {
        group,
        baseUrls: hubs.map((h) => h.url),
        cookies,
        mode: 'socketio',
        count: PUBLISHERS,
        localAddresses: sourceAddresses(0),
        concurrency: PUBLISHERS,
        reconnect: false,
        timeoutMs: 30_000,
      });
      if (connected.failed > 0) throw new Error(`publishers did not connect: ${connected.errors.join('; ')}`);
      // A short warm-up so that the first step does not pay for JIT compilation.
      await worker.call('load', { publisherGroup: group, rate: 100, durationMs: 1000, ackTimeoutMs: 5000 });
      const tryRate = async (rate: number, attempt: number): Promise<Step> => {
        await pause(500);
        context.progress(
          `S2 ${variant.key}: ${rate} commands/s for ${stepMs / 1000} s${attempt > 1 ? ' (again)' : ''}`,
        );
        const from = wallMs();
        const result = await worker.call('load', {
          publisherGroup: group,
          rate,
          durationMs: stepMs,
          ackTimeoutMs: 10_000,
        });
        const hubEld = eldWindow(hubs, from, wallMs());
        const errors = result.failed + result.timedOut;
        const passed =
          result.latency.p99 <= P99_LIMIT_MS &&
          errors <= result.sent * 0.001 &&
          result.achievedRate >= rate * 0.9;
        return { rate, attempt, result, hubEld, passed };
      };
      for (const rate of rates) {
        if (overBudget(context)) {
          skipped.push(
            `${variant.name}: steps from ${rate}/s on skipped, the scenario had used its time budget.`,
          );
          break;
        }
        const first = await tryRate(rate, 1);
        steps.push(first);
        if (first.passed) continue;
        // One noisy stretch on a shared machine must not end the ramp: a step fails only twice.
        const second = await tryRate(rate, 2);
        steps.push(second);
        if (!second.passed) break;
      }
      // The issues ask for the p99 at this rate, whatever the ramp found: GOAL_TRIES tries,
      // of which the median is reported, so one noisy stretch does not make the figure.
      for (let tries = steps.filter((s) => s.rate === HUB_FIGURE_RATE).length; tries < GOAL_TRIES; tries++) {
        if (overBudget(context)) break;
        steps.push(await tryRate(HUB_FIGURE_RATE, tries + 1));
      }
      await worker.call('close', { group });
    },
    async () => {
      await Promise.all(hubs.map((h) => h.kill('SIGTERM')));
      await started.redis?.stop();
    },
  );
  return steps;
}

function report(
  results: Map<string, Step[]>,
  placement: Placement,
  stepMs: number,
  skipped: string[],
): ScenarioReport {
  const tables: Table[] = [];
  const summary: Table = {
    title: `Highest rate with durable-ack p99 ≤ ${P99_LIMIT_MS} ms`,
    columns: ['log', 'goal', 'highest passing rate (commands/s)', 'first failing step'],
    rows: [],
  };
  const hubFigures: [string, string, string][] = [];
  const goals: GoalRow[] = [];
  for (const variant of VARIANTS) {
    const steps = results.get(variant.key);
    if (!steps) continue;
    // A rate fails when both of its tries failed; report the second.
    const failing = steps.find((s) => !s.passed && s.attempt > 1);
    // By rate, not by order: the extra tries at HUB_FIGURE_RATE come after the ramp.
    const passing = steps
      .filter((s) => s.passed && (!failing || s.rate < failing.rate))
      .sort((a, b) => a.rate - b.rate)
      .at(-1);
    summary.rows.push([
      variant.name,
      `≥ ${HUB_FIGURE_RATE}/s (proposed)`,
      passing ? passing.rate : '< lowest step',
      failing
        ? `${failing.rate}/s: p99 ${fmt(failing.result.latency.p99)} ms, ${failing.result.failed + failing.result.timedOut} failed`
        : 'none (stopped at the highest step)',
    ]);
    tables.push({
      title: `${variant.name}: durable ack latency per step (ms)`,
      columns: [
        'rate',
        'try',
        'achieved/s',
        'acked',
        'failed',
        'timed out',
        'p50',
        'p90',
        'p99',
        'max',
        'hub ELD p99 (worst s)',
        'hub ELD max',
        'generator ELD p99',
      ],
      rows: steps.map((s) => [
        s.rate,
        s.attempt,
        fmt(s.result.achievedRate, 0),
        s.result.ok,
        s.result.failed,
        s.result.timedOut,
        fmt(s.result.latency.p50),
        fmt(s.result.latency.p90),
        fmt(s.result.latency.p99),
        fmt(s.result.latency.max),
        fmt(s.hubEld.p99Worst),
        fmt(s.hubEld.max),
        fmt(s.result.generatorEld.p99),
      ]),
    });
    // The median try by p99 (the lower middle one of an even count).
    const tries = steps
      .filter((s) => s.rate === HUB_FIGURE_RATE)
      .sort((a, b) => a.result.latency.p99 - b.result.latency.p99);
    const at200 = tries[Math.floor((tries.length - 1) / 2)];
    if (at200) {
      goals.push({
        figure: `Durable command ack p99 at ${HUB_FIGURE_RATE} commands/s, ${variant.name}`,
        goal: `≤ ${GOAL_P99_MS} ms`,
        measured:
          `${fmt(at200.result.latency.p99)} ms (p50 ${fmt(at200.result.latency.p50)} ms; median of ${tries.length} ` +
          `tries, p99s ${tries.map((t) => fmt(t.result.latency.p99)).join(', ')})`,
        met: at200.result.latency.p99 <= GOAL_P99_MS && at200.passed,
      });
    }
    if (at200 && variant.hubs === 1 && variant.appendfsync !== 'everysec') {
      hubFigures.push([
        `Durable command ack at ${HUB_FIGURE_RATE} commands/s, ${variant.name}`,
        `p99 ≤ ${P99_LIMIT_MS} ms`,
        `p50 ${fmt(at200.result.latency.p50)} ms, p99 ${fmt(at200.result.latency.p99)} ms`,
      ]);
    }
  }
  return {
    id: 's2',
    title: s2Commands.title,
    description:
      `${PUBLISHERS} signed-in sockets (duty officers of different actors) send \`logEntry.add\` commands (region-wide) ` +
      'over socket.io with an ack, in turn, open loop at a fixed rate; latency runs from when a command was due until ' +
      `its ack \`{ ok: true, seq }\` arrived, which the hub sends only once the event is durable. Each step lasts ` +
      `${stepMs / 1000} s; the rate rises until the p99 passes ${P99_LIMIT_MS} ms, more than 0.1 % fail, or the hub ` +
      'cannot keep up with 90 % of the rate, twice in a row (a failing step is tried once more). No other clients are connected (the hub still sends each event to the ' +
      `${PUBLISHERS} publishers). Every log starts empty; "two hubs" sends to both hubs at once, so they race for the next seq.`,
    tables: [summary, ...tables],
    placement: placement.lines(),
    notes: [
      'Redis with appendfsync everysec is allowed only with REDIS_REQUIRE_APPENDFSYNC=everysec: an acked event can be lost ' +
        'if Redis crashes within the second.',
      ...skipped,
    ],
    hubFigures,
    goals,
  };
}
