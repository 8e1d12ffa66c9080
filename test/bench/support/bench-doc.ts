import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/hub-process.js';
import { goalsTable, markdownTable, scenarioMarkdown, type ScenarioReport } from './report.js';

export const DOC_PATH = path.join(repoRoot, 'docs/benchmarks.md');

/** One finished scenario as run.ts hands it over. */
export type FinishedScenario = {
  report: ScenarioReport;
  date: string;
  command: string;
  seconds: number;
  /** The machine's 1-minute load average when the scenario started and ended. */
  load: readonly [number, number];
};

const SCENARIO_ORDER = ['s1', 's2', 's3', 's4', 's5'];
/**
 * Scenarios whose section comes after S5's, in this order, and carries its own machine line:
 * the machine section at the top describes the run that wrote S1–S5.
 */
const LATER_SCENARIOS = ['c1', 'c2', 'c3'];
const HUB_SOURCES = ['s2', 's1', 's4'];

const TITLE = '# Benchmarks';

const INTRO = `\`npm run bench\` runs the benchmarks (they are not tests: they print figures and take up to
20 minutes); \`npm run bench -- --quick\` is a two-minute smoke version with smaller numbers.
Scenarios can be picked: \`npm run bench -- s1 s3\`. \`npm run bench -- --help\` lists the options.
A full run rewrites the sections of the scenarios it ran below; a \`--quick\` run only prints
(unless given \`--write\`).

How it measures (test/bench/):

- **Placement.** The machine has two cores. Hubs and baseline servers run on core 1; the load
  generator, Redis and the orchestrator on core 0 (\`taskset\`; each section lists what the
  kernel reported for every process). Everything talks over 127.0.0.0/8 only.
- **Load generator** (\`test/bench/loadgen/\`): a minimal socket.io v4 client over the \`ws\`
  package (websocket transport, namespace connect with \`auth: {protocolVersion, lastSeq, epoch}\`,
  ping/pong, events and acks), reading only the fields it needs from each frame. Clients sign in
  as demo duty officers (\`tib.<actor>\`, spread over the region's actors) and reuse the session
  cookie; source addresses are spread over 127.0.0.x.
- **Latency** is publish → receipt (or command → durable ack) measured in the generator process
  with one clock, recorded in HdrHistogram. Commands are sent open-loop: a command's latency counts
  from when it was due, so a slow hub cannot hide behind a slowed generator.
- **Event-loop delay** of every server process comes from a preload (\`--import
  test/bench/support/eld-preload.ts\`, the hub's code is untouched) that prints the delay of each
  second beyond the 10 ms sampling interval, plus RSS; the generator measures its own.
- **Medians**: each figure is the median over rounds (or repetitions) of one run, with every
  system compared in the same run. The machine is shared and noisy: compare ratios within a run,
  not absolute numbers across runs.

Goals marked *(proposed)* are ours: the issue asked for the figure but named no target.
`;

const HUB_INTRO = `## Figures for issue "The hub"

Collected from the scenarios below; each row names the scenario and run it comes from.`;

const GOALS_INTRO = `## Goals of issue "Measure it"

Each row comes from the latest full run of its scenario (named in the last column); the
scenario's own section below has the details. The fault battery has its own section at the end.`;

const PLACEHOLDER = '_Not measured yet: run `npm run bench`._\n';

const marker = (key: string) => [`<!-- bench:${key} -->`, `<!-- /bench:${key} -->`] as const;

/** Rewrites the section `key`; a missing one goes after the section `after` (or at the end). */
function section(doc: string, key: string, content: string, after?: string): string {
  const [open, close] = marker(key);
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  const block = `${open}\n${content.trimEnd()}\n${close}`;
  if (start < 0 || end < start) {
    const anchor = after ? marker(after)[1] : null;
    const at = anchor ? doc.indexOf(anchor) : -1;
    if (anchor && at >= 0) {
      const cut = at + anchor.length;
      return `${doc.slice(0, cut)}\n\n${block}${doc.slice(cut)}`;
    }
    return `${doc.trimEnd()}\n\n${block}\n`;
  }
  return doc.slice(0, start) + block + doc.slice(end + close.length);
}

/** The section a new section of scenario `id` follows: the scenario before it. */
function previousSection(id: string): string | undefined {
  const order = [...SCENARIO_ORDER, ...LATER_SCENARIOS];
  const index = order.indexOf(id);
  return index > 0 ? order[index - 1] : undefined;
}

function skeleton(): string {
  const parts = [
    TITLE,
    `${marker('intro')[0]}\n${INTRO}${marker('intro')[1]}`,
    `${marker('machine')[0]}\n${PLACEHOLDER}${marker('machine')[1]}`,
    `${marker('goals')[0]}\n${GOALS_INTRO}\n${marker('goals')[1]}`,
    ...SCENARIO_ORDER.map((id) => `${marker(`goals-${id}`)[0]}\n${PLACEHOLDER}${marker(`goals-${id}`)[1]}`),
    `${marker('hub')[0]}\n${HUB_INTRO}\n${marker('hub')[1]}`,
    ...HUB_SOURCES.map((id) => `${marker(`hub-${id}`)[0]}\n${PLACEHOLDER}${marker(`hub-${id}`)[1]}`),
    ...SCENARIO_ORDER.map(
      (id) => `${marker(id)[0]}\n## ${id.toUpperCase()}\n\n${PLACEHOLDER}${marker(id)[1]}`,
    ),
  ];
  return `${parts.join('\n\n')}\n`;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** The machine the figures come from. */
export function machineLines(date: string): string[] {
  const cpu = os.cpus()[0]?.model ?? '?';
  const dirty = git(['status', '--porcelain']).length > 0;
  let nofile = '?';
  try {
    nofile = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  } catch {
    // Only informative.
  }
  return [
    `Last written ${date}. Commit ${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' plus uncommitted changes' : ''}.`,
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}, ` +
      `Node ${process.version}, redis-server ${redisVersion()}, open-file limit ${nofile} per process.`,
  ];
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** Rewrites one marked section of docs/benchmarks.md (appended when missing), keeping the rest. */
export function writeDocSection(key: string, content: string): void {
  const doc = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : skeleton();
  writeFileSync(DOC_PATH, section(doc, key, content));
}

/** Writes the finished scenarios into docs/benchmarks.md, keeping the others' sections. */
export function writeBenchDoc(finished: readonly FinishedScenario[], date: string): void {
  let doc = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : skeleton();
  // The explanations follow the code that produces the figures, so they are rewritten too.
  doc = section(doc, 'intro', INTRO);
  doc = section(doc, 'hub', HUB_INTRO);
  doc = section(doc, 'goals', GOALS_INTRO);
  // The machine section dates S1–S5; a run of other scenarios names its machine in their sections.
  const writesMain = finished.some((item) => SCENARIO_ORDER.includes(item.report.id));
  if (writesMain) doc = section(doc, 'machine', machineLines(date).join('\n'));
  for (const item of finished) {
    const own = writesMain ? '' : `\n${machineLines(date).join(' ')}\n`;
    doc = section(
      doc,
      item.report.id,
      `${scenarioMarkdown(item.report, item)}${own}`,
      previousSection(item.report.id),
    );
    if (item.report.goals && item.report.goals.length > 0) {
      const table = goalsTable(item.report.goals, `${item.report.id.toUpperCase()}, ${item.date}`);
      doc = section(doc, `goals-${item.report.id}`, markdownTable(table));
    }
    if (item.report.hubFigures && item.report.hubFigures.length > 0 && HUB_SOURCES.includes(item.report.id)) {
      const table = markdownTable({
        title: '',
        columns: ['figure', 'goal', 'measured', 'source'],
        rows: item.report.hubFigures.map(([figure, goal, measured]) => [
          figure,
          goal,
          measured,
          `${item.report.id.toUpperCase()}, ${item.date}`,
        ]),
      });
      doc = section(doc, `hub-${item.report.id}`, table);
    }
  }
  writeFileSync(DOC_PATH, doc);
}
