import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { signIn } from '../../support/api-client.js';
import { Placement, fmt, type ScenarioReport, type Table } from '../support/report.js';
import { startBenchHub } from '../support/servers.js';
import { withCleanup, type Scenario } from './context.js';
import {
  HISTORY_VERSIONS,
  measureDecisions,
  type DecisionFigures,
  type HistorySizes,
} from './directive-decisions.js';
import { summonedScene } from './summoned-scene.js';

/** Issue 13's E2E lets the wall take up to 1 s to show a decided directive. */
const DECISION_GOAL_MS = 1000;

const plan = (quick: boolean) =>
  quick ? { decisions: 30, warmup: 2, gapMs: 250 } : { decisions: 100, warmup: 4, gapMs: 250 };

/**
 * C2 (issue 13, "Figures for the note"): joint directives. The head's decision reaching
 * every summoned actor, and the size of a directive's history after 20 versions.
 */
export const c2Directive: Scenario = {
  id: 'c2',
  title: 'C2 — Joint directives: decision latency to 36 actors, history size after 20 versions',
  budgetSeconds: { quick: 150, full: 300 },
  run: async (context) => {
    const region = stockholmRegion();
    const storm = region.directiveTemplates.find((t) => t.id === 'storm');
    if (!storm) throw new Error('the region file has no "storm" template');
    const placement = new Placement();
    placement.addPid('orchestrator (run.ts)', process.pid);
    let figures: DecisionFigures | null = null;

    const hub = await startBenchHub({ name: 'hub', core: context.serverCore });
    placement.add(hub);
    await withCleanup(
      async () => {
        const scene = await summonedScene(hub.url, region, context.progress, 'C2');
        const people = {
          coordinator: await signIn(hub.url, `samordnare.${region.leadActorId}`),
          head: await signIn(hub.url, `chef.${region.leadActorId}`),
        };
        figures = await measureDecisions(
          scene,
          people,
          storm,
          region,
          hub,
          plan(context.quick),
          context,
          placement,
        );
      },
      () => hub.kill('SIGTERM'),
    );
    return report(figures, placement);
  },
};

const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

function decisionTable(d: DecisionFigures): Table {
  return {
    title: `Head's directive.decide → directive.decided on every summoned actor's socket (${d.clients} sockets, ${d.decisions} decisions; ms)`,
    columns: [
      'every client p50',
      'every client p90',
      'every client p99',
      'every client max',
      'median client p50',
      'head ack p50',
      'draft (HTTP) p50',
      'lost',
      'hub ELD p99 (worst s)',
      'generator ELD p99 (median decision)',
    ],
    rows: [
      [
        fmt(d.everyClient.p50),
        fmt(d.everyClient.p90),
        fmt(d.everyClient.p99),
        fmt(d.everyClient.max),
        fmt(d.medianClientP50),
        fmt(d.ackP50),
        fmt(d.draftP50),
        d.lost,
        fmt(d.hubEld.p99Worst),
        fmt(d.generatorEldP99),
      ],
    ],
  };
}

function historyTable(d: DecisionFigures): Table {
  const row = (h: HistorySizes) => [
    h.versions,
    kb(h.directiveBytes),
    kb(h.directiveGzipBytes),
    kb(h.decidedEventsBytes),
    kb(h.decidedPayloadBytes),
    kb(h.draftedEventsBytes),
    kb(h.directiveBytes / h.versions),
  ];
  const first = d.history ?? d.historyAtEnd;
  return {
    title: `A directive's history (the storm template for every actor: ${first?.items ?? '?'} items, ${first?.priorities ?? '?'} priorities)`,
    columns: [
      'versions',
      'folded Directive JSON',
      'gzipped (level 9)',
      'its directive.decided events',
      '… their payloads',
      'its directive.drafted events',
      'Directive JSON per version',
    ],
    rows: [...(d.history ? [row(d.history)] : []), ...(d.historyAtEnd ? [row(d.historyAtEnd)] : [])],
  };
}

function issueTable(d: DecisionFigures | null): Table {
  const h = d?.history ?? null;
  return {
    title: 'For issue 13, "Figures for the note"',
    columns: ['figure', 'goal', 'measured'],
    rows: [
      [
        `Decision to every summoned client (${d?.clients ?? 36} sockets, ${d?.decisions ?? 0} decisions)`,
        `every client ≤ ${DECISION_GOAL_MS} ms (proposed: the E2E's bound for the wall)`,
        d
          ? `p50 ${fmt(d.everyClient.p50)} ms, p99 ${fmt(d.everyClient.p99)} ms, max ${fmt(d.everyClient.max)} ms, ${d.lost} lost`
          : 'not measured',
      ],
      [
        `History after ${HISTORY_VERSIONS} versions`,
        '—',
        h
          ? `Directive JSON ${kb(h.directiveBytes)} (${kb(h.directiveGzipBytes)} gzipped); its ${HISTORY_VERSIONS} decided events ${kb(h.decidedEventsBytes)}`
          : 'not measured',
      ],
    ],
  };
}

function report(figures: DecisionFigures | null, placement: Placement): ScenarioReport {
  const d: DecisionFigures | null = figures;
  return {
    id: 'c2',
    title: c2Directive.title,
    description:
      'One hub (embedded journal, as S5) with an active incident summoning all 36 actors; 32 of the 35 others have ' +
      "acknowledged it, and every actor has filed a situation report. Every actor's duty officer (`tib.<actor>`) " +
      "holds a socket, and so does Länsstyrelsen's head (`chef.lansstyrelsen`): 37 sockets in a generator process. " +
      "Länsstyrelsen's coordinator drafts over HTTP: v1 is the region file's storm template filled for every actor, " +
      'each later version rewords one priority and one item, moves the review time and now and then adds to the ' +
      "limits. After each draft the head's socket sends `directive.decide`, 250 ms after the previous decision " +
      "settled. A decision counts from sending the command to the moment the last of the 36 duty officers' sockets " +
      'has read the `directive.decided` event (the whole version travels in it). The history is read back after ' +
      `version ${HISTORY_VERSIONS} and after the last: the folded \`Directive\` from \`GET /api/state\` and the ` +
      "directive's events from `GET /api/events` (UTF-8 bytes of their JSON).",
    tables: d ? [decisionTable(d), historyTable(d), issueTable(d)] : [issueTable(d)],
    placement: placement.lines(),
    notes: d
      ? [
          `With ${d.decisions} decisions, p99 (nearest rank) is the ${d.decisions >= 100 ? '99th-percentile' : 'slowest'} decision.`,
          `One \`directive.decided\` event as clients receive it: ${kb(d.decidedEventBytes)} (median).`,
          `Slowest decisions (last client): ${slowest(d)}.`,
          ...(d.refusal ? [`A decision was refused: ${d.refusal}`] : []),
          ...(d.skipped > 0 ? [`${d.skipped} decisions skipped: the scenario ran out of time.`] : []),
        ]
      : ['Not measured: the scenario failed before its decisions.'],
  };
}

/** The three slowest decisions: their number among the measured ones, and their time. */
function slowest(d: DecisionFigures): string {
  return d.rounds
    .map((round, i) => ({ i, last: round.last }))
    .sort((a, b) => b.last - a.last)
    .slice(0, 3)
    .map(({ i, last }) => `#${i + 1} ${fmt(last)} ms`)
    .join(', ');
}
