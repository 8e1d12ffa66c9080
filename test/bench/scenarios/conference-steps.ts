import type { ConferenceStep } from '@lagesbild/shared';
import type { FanoutResult } from '../loadgen/protocol.js';
import { startWorker } from '../loadgen/worker-handle.js';
import { wallMs } from '../support/clock.js';
import { median, nearestRank } from '../support/latency.js';
import { eldWindow, type EldWindow } from '../support/processes.js';
import type { Placement } from '../support/report.js';
import type { BenchServer } from '../support/servers.js';
import type { ConferenceScene } from './conference-scene.js';
import { stepCommands, stepPlan, type StepMove } from './conference-script.js';
import { connectGroups, type SocketGroup } from './socket-groups.js';
import type { BenchContext } from './context.js';

type Round = FanoutResult['rounds'][number];

/** The chair's agenda moves, timed until every client has the `conference.stepped` event. */
export type StepFigures = {
  steps: number;
  /** Sockets that had to receive each step: every actor's duty officer (the chair's own included) and the wall. */
  clients: number;
  rounds: Round[];
  /** The measured moves, one per round. */
  moves: StepMove[];
  /** Per step, from sending `conference.step` to the last client's receipt (ms). */
  everyClient: { p50: number; p90: number; p99: number; max: number };
  /** Per step, the median client's receipt (ms), as a median over the steps. */
  medianClientP50: number;
  /** The chair's durable ack (ms), median over the steps. */
  ackP50: number;
  lost: number;
  refusal: string | null;
  hubEld: EldWindow;
  generatorEldP99: number;
  /** Where the conference's agenda stands afterwards. */
  endStep: ConferenceStep;
};

/** The chair's socket, every other duty officer's, and the wall's. */
function socketGroups(scene: ConferenceScene, chair: string): SocketGroup[] {
  const chairClient = scene.clients.get(chair);
  if (!chairClient) throw new Error('the chair is not signed in');
  const others = [...scene.clients].filter(([actorId]) => actorId !== chair).map(([, c]) => c.cookie);
  return [
    { group: 'chair', cookies: [chairClient.cookie] },
    { group: 'actors', cookies: others },
    { group: 'wall', cookies: [scene.wallCookie] },
  ];
}

/**
 * Connects every actor's duty officer and the wall as socket clients in a generator process
 * (on the generator core), then lets the chair's socket move the agenda: `warmup` moves
 * untimed, then `steps` timed ones, `gapMs` apart.
 */
export async function measureSteps(
  scene: ConferenceScene,
  hub: BenchServer,
  chair: string,
  plan: { steps: number; warmup: number; gapMs: number },
  context: BenchContext,
  placement: Placement,
): Promise<StepFigures> {
  const worker = await startWorker('generator', context.generatorCore);
  placement.add(worker.process);
  try {
    context.progress('C1: connecting 36 duty officers and a wall');
    const receiverGroups = await connectGroups(worker, hub.url, socketGroups(scene, chair));
    const moves = stepPlan(plan.warmup + plan.steps);
    const commands = stepCommands(scene.conferenceId, moves).map((c) => ({
      id: c.id,
      json: JSON.stringify(c),
    }));
    const fanout = (hubCommands: typeof commands) =>
      worker.call('fanout', {
        publisherGroup: 'chair',
        receiverGroups,
        system: 'hub',
        frameTemplate: '',
        hubCommands,
        rounds: hubCommands.length,
        gapMs: plan.gapMs,
        timeoutMs: 10_000,
      });
    if (plan.warmup > 0) await fanout(commands.slice(0, plan.warmup));
    context.progress(`C1: ${plan.steps} agenda moves by the chair`);
    const from = wallMs();
    const measured = await fanout(commands.slice(plan.warmup));
    const to = wallMs();
    const rounds = measured.rounds;
    const lasts = rounds.map((r) => r.last);
    const acks = rounds.flatMap((r) => (r.ackMs === null ? [] : [r.ackMs]));
    return {
      steps: rounds.length,
      clients: rounds[0]?.expected ?? 0,
      rounds,
      moves: moves.slice(plan.warmup),
      everyClient: {
        p50: nearestRank(lasts, 50),
        p90: nearestRank(lasts, 90),
        p99: nearestRank(lasts, 99),
        max: Math.max(0, ...lasts),
      },
      medianClientP50: median(rounds.map((r) => r.p50)),
      ackP50: median(acks),
      lost: rounds.reduce((n, r) => n + r.lost, 0),
      refusal: rounds.find((r) => r.refusal !== undefined)?.refusal ?? null,
      hubEld: eldWindow([hub], from, to),
      generatorEldP99: measured.generatorEld.p99,
      endStep: moves.at(-1)?.toStep ?? 'rollCall',
    };
  } finally {
    await worker.stop();
  }
}
