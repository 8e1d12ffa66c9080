import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { DirectiveTemplate, RegionConfig, StoredEvent } from '@lagesbild/shared';
import { allEvents, type ApiClient } from '../../support/api-client.js';
import type { FanoutResult } from '../loadgen/protocol.js';
import { startWorker } from '../loadgen/worker-handle.js';
import { wallMs } from '../support/clock.js';
import { median, nearestRank } from '../support/latency.js';
import { eldWindow, type EldWindow } from '../support/processes.js';
import type { Placement } from '../support/report.js';
import type { BenchServer } from '../support/servers.js';
import { overBudget, type BenchContext } from './context.js';
import { decideCommand, draftFor, firstContent } from './directive-script.js';
import { connectGroups } from './socket-groups.js';
import { sendOk, type SummonedScene } from './summoned-scene.js';

type Round = FanoutResult['rounds'][number];

/** Versions after which the history is measured (issue 13, "Figures for the note"). */
export const HISTORY_VERSIONS = 20;

/** The people who write and decide the directive, signed in over HTTP. */
export type DirectivePeople = { coordinator: ApiClient; head: ApiClient };

/** UTF-8 sizes of a directive's history after `versions` decided versions. */
export type HistorySizes = {
  versions: number;
  items: number;
  priorities: number;
  /** `JSON.stringify` of the folded `Directive` as `GET /api/state` gives it (every version whole). */
  directiveBytes: number;
  directiveGzipBytes: number;
  /** The `directive.decided` events as the log stores them and clients receive them. */
  decidedEventsBytes: number;
  decidedPayloadBytes: number;
  /** The `directive.drafted` events before them (the first carries the template's content too). */
  draftedEventsBytes: number;
};

/** The head's decisions, each timed until every summoned actor's socket had the event. */
export type DecisionFigures = {
  decisions: number;
  /** Sockets that had to receive each decision: every actor's duty officer. */
  clients: number;
  rounds: Round[];
  /** Per decision, from sending `directive.decide` to the last client's receipt (ms). */
  everyClient: { p50: number; p90: number; p99: number; max: number };
  medianClientP50: number;
  /** The head's durable ack (ms), median over the decisions. */
  ackP50: number;
  /** The coordinator's `directive.draft` over HTTP before each decision (ms), median. */
  draftP50: number;
  lost: number;
  refusal: string | null;
  hubEld: EldWindow;
  /** The generator's event-loop delay p99 during each decision, median over the decisions. */
  generatorEldP99: number;
  /** One `directive.decided` event as clients receive it, median over the decisions (bytes). */
  decidedEventBytes: number;
  /** The history after `HISTORY_VERSIONS` versions, and after the last. */
  history: HistorySizes | null;
  historyAtEnd: HistorySizes | null;
  /** Decisions left out because the scenario ran out of time. */
  skipped: number;
};

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Reads the directive back from the hub: the folded state and its events in the log. */
async function measureHistory(client: ApiClient, directiveId: string): Promise<HistorySizes> {
  const { state } = await client.state();
  const directive = state.directives[directiveId];
  if (!directive) throw new Error('the directive is not in the state');
  const own = (await allEvents(client)).filter(
    (e): e is Extract<StoredEvent, { type: 'directive.decided' | 'directive.drafted' }> =>
      (e.type === 'directive.decided' || e.type === 'directive.drafted') &&
      e.payload.directiveId === directiveId,
  );
  const decided = own.filter((e) => e.type === 'directive.decided');
  const json = JSON.stringify(directive);
  const latest = directive.versions.at(-1)?.content;
  return {
    versions: directive.versions.length,
    items: latest?.items.length ?? 0,
    priorities: latest?.priorities.length ?? 0,
    directiveBytes: Buffer.byteLength(json, 'utf8'),
    directiveGzipBytes: gzipSync(json, { level: 9 }).length,
    decidedEventsBytes: decided.reduce((n, e) => n + bytes(e), 0),
    decidedPayloadBytes: decided.reduce((n, e) => n + bytes(e.payload), 0),
    draftedEventsBytes: own.filter((e) => e.type === 'directive.drafted').reduce((n, e) => n + bytes(e), 0),
  };
}

/**
 * Connects every actor's duty officer and the head as socket clients in a generator process
 * (on the generator core). Then, for each version, the coordinator drafts it over HTTP and
 * the head's socket decides it: `warmup` decisions untimed, then `decisions` timed ones,
 * `gapMs` apart. The history is read back after version 20 and after the last.
 */
export async function measureDecisions(
  scene: SummonedScene,
  people: DirectivePeople,
  template: DirectiveTemplate,
  region: RegionConfig,
  hub: BenchServer,
  plan: { decisions: number; warmup: number; gapMs: number },
  context: BenchContext,
  placement: Placement,
): Promise<DecisionFigures> {
  const worker = await startWorker('generator', context.generatorCore);
  placement.add(worker.process);
  try {
    context.progress(`C2: connecting ${scene.clients.size} duty officers and the head`);
    await connectGroups(worker, hub.url, [
      { group: 'head', cookies: [people.head.cookie] },
      { group: 'actors', cookies: [...scene.clients.values()].map((c) => c.cookie) },
    ]);
    const ids = { directiveId: randomUUID(), incidentId: scene.incidentId };
    const first = firstContent(template, region, ids.directiveId, new Date());
    const rounds: Round[] = [];
    const draftMs: number[] = [];
    const eventBytes: number[] = [];
    const generatorEld: number[] = [];
    let history: HistorySizes | null = null;
    let refusal: string | null = null;
    let from = 0;
    const total = plan.warmup + plan.decisions;
    let version = 1;
    context.progress(`C2: ${plan.warmup} + ${plan.decisions} drafts, each decided by the head`);
    for (; version <= total && refusal === null; version++) {
      // At least 30 decisions count whatever the time; past them, a slow machine stops early.
      if (version > plan.warmup + 30 && overBudget(context)) break;
      if (version === plan.warmup + 1) from = wallMs();
      const started = performance.now();
      // A draft is one event: the seq the hub answers with is the draft's, which the head decides.
      const draftSeq = await sendOk(
        people.coordinator,
        draftFor(ids, first, version, new Date(), template.id),
      );
      draftMs.push(performance.now() - started);
      const decide = decideCommand(ids.directiveId, version - 1, draftSeq);
      const json = JSON.stringify(decide);
      const result = await worker.call('fanout', {
        publisherGroup: 'head',
        receiverGroups: ['actors'],
        system: 'hub',
        frameTemplate: '',
        hubCommands: [{ id: decide.id, json }],
        rounds: 1,
        gapMs: plan.gapMs,
        timeoutMs: 10_000,
      });
      const round = result.rounds[0];
      if (!round) throw new Error('the generator measured no round');
      refusal = round.refusal ?? null;
      if (version > plan.warmup) {
        rounds.push(round);
        generatorEld.push(result.generatorEld.p99);
      }
      if (version === HISTORY_VERSIONS) history = await measureHistory(people.coordinator, ids.directiveId);
    }
    const to = wallMs();
    const historyAtEnd = await measureHistory(people.coordinator, ids.directiveId);
    const decided = (await allEvents(people.coordinator)).filter(
      (e) => e.type === 'directive.decided' && e.payload.directiveId === ids.directiveId,
    );
    for (const event of decided.slice(plan.warmup)) eventBytes.push(bytes(event));
    const lasts = rounds.map((r) => r.last);
    const acks = rounds.flatMap((r) => (r.ackMs === null ? [] : [r.ackMs]));
    return {
      decisions: rounds.length,
      clients: rounds[0]?.expected ?? 0,
      rounds,
      everyClient: {
        p50: nearestRank(lasts, 50),
        p90: nearestRank(lasts, 90),
        p99: nearestRank(lasts, 99),
        max: Math.max(0, ...lasts),
      },
      medianClientP50: median(rounds.map((r) => r.p50)),
      ackP50: median(acks),
      draftP50: median(draftMs),
      lost: rounds.reduce((n, r) => n + r.lost, 0),
      refusal,
      hubEld: eldWindow([hub], from, to),
      generatorEldP99: median(generatorEld),
      decidedEventBytes: median(eventBytes),
      history,
      historyAtEnd,
      skipped: Math.max(0, total - (version - 1)),
    };
  } finally {
    await worker.stop();
  }
}
