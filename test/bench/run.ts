import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { s1Fanout } from './scenarios/s1-fanout.js';
import { s2Commands } from './scenarios/s2-commands.js';
import { s3Reconnect } from './scenarios/s3-reconnect.js';
import { s4ColdStart } from './scenarios/s4-cold-start.js';
import { s5IdleSockets } from './scenarios/s5-idle-sockets.js';
import { c1Conference } from './scenarios/c1-conference.js';
import { c2Directive } from './scenarios/c2-directive.js';
import { c3Message } from './scenarios/c3-message.js';
import { lighthouseScenario } from './scenarios/lighthouse.js';
import { demoAccounts, type BenchContext, type Scenario } from './scenarios/context.js';
import { DOC_PATH, machineLines, writeBenchDoc, type FinishedScenario } from './support/bench-doc.js';
import { killAllChildren, pinSelf } from './support/processes.js';
import { goalsTable, textTable } from './support/report.js';

const SCENARIOS: readonly Scenario[] = [
  s1Fanout,
  s2Commands,
  s3Reconnect,
  s4ColdStart,
  s5IdleSockets,
  c1Conference,
  c2Directive,
  c3Message,
  lighthouseScenario,
];

const HELP = `npm run bench -- [scenario…] [options]

Scenarios (default: all, in this order):
${SCENARIOS.map((s) => `  ${s.id}  ${s.title}`).join('\n')}

Options:
  --quick            the smoke version (about 2 minutes for all scenarios)
  --accounts=N       spread simulated clients over N demo accounts (1–36, default 36)
  --write            write docs/benchmarks.md also after --quick
  --no-write         do not write docs/benchmarks.md
  --hub-root=DIR     start the hubs from another checkout (compare.ts uses it)
  --json=FILE        also write the reports as JSON (compare.ts reads it)
  --server-core=N    core for hubs and baseline servers (default 1)
  --generator-core=N core for the generator, Redis and this process (default 0)
  --help             this text`;

const Args = z.strictObject({
  scenarios: z.array(z.enum(SCENARIOS.map((s) => s.id) as [string, ...string[]])),
  quick: z.boolean(),
  accounts: z.coerce.number().int().min(1).max(36),
  write: z.boolean().nullable(),
  serverCore: z.coerce.number().int().min(0),
  generatorCore: z.coerce.number().int().min(0),
  help: z.boolean(),
  hubRoot: z.string().min(1).nullable(),
  json: z.string().min(1).nullable(),
});

function parseArgs(argv: readonly string[]): z.infer<typeof Args> {
  const raw = {
    scenarios: [] as string[],
    quick: false,
    accounts: '36',
    write: null as boolean | null,
    serverCore: '1',
    generatorCore: '0',
    help: false,
    hubRoot: null as string | null,
    json: null as string | null,
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--quick') raw.quick = true;
    else if (flag === '--write') raw.write = true;
    else if (flag === '--no-write') raw.write = false;
    else if (flag === '--help' || flag === '-h') raw.help = true;
    else if (flag === '--accounts' && value) raw.accounts = value;
    else if (flag === '--server-core' && value) raw.serverCore = value;
    else if (flag === '--generator-core' && value) raw.generatorCore = value;
    else if (flag === '--hub-root' && value) raw.hubRoot = value;
    else if (flag === '--json' && value) raw.json = value;
    else if (!arg.startsWith('-')) raw.scenarios.push(arg.toLowerCase());
    else throw new Error(`unknown option ${arg}\n\n${HELP}`);
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n\n${HELP}`);
  return parsed.data;
}

/**
 * A scenario stops starting new work at its budget and is stopped outright at twice it
 * (plus a minute): the whole bench must end by itself.
 */
const hardLimitMs = (budgetSeconds: number) => budgetSeconds * 2000 + 60_000;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  pinSelf(args.generatorCore);
  if (args.hubRoot) process.env.BENCH_HUB_ROOT = args.hubRoot;
  const selected =
    args.scenarios.length > 0 ? SCENARIOS.filter((s) => args.scenarios.includes(s.id)) : SCENARIOS;
  const started = Date.now();
  let deadline = Number.POSITIVE_INFINITY;
  const context: BenchContext = {
    quick: args.quick,
    overBudget: () => Date.now() > deadline,
    secondsLeft: () => (deadline - Date.now()) / 1000,
    accounts: demoAccounts(args.accounts),
    serverCore: args.serverCore,
    generatorCore: args.generatorCore,
    progress: (message) =>
      console.log(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`),
  };
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  console.log(`${command}\n${machineLines(date).slice(1).join('\n')}\n`);

  const finished: FinishedScenario[] = [];
  let failures = 0;
  for (const scenario of selected) {
    console.log(`\n=== ${scenario.title}`);
    const t0 = Date.now();
    const loadAtStart = os.loadavg()[0] ?? 0;
    const budgets = scenario.budgetSeconds ?? { quick: 120, full: 300 };
    const budget = args.quick ? budgets.quick : budgets.full;
    deadline = t0 + budget * 1000;
    const limit = hardLimitMs(budget);
    let timer: NodeJS.Timeout | undefined;
    try {
      const report = await Promise.race([
        scenario.run(context),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${scenario.id} ran past ${limit / 1000} s`)), limit);
        }),
      ]);
      const seconds = (Date.now() - t0) / 1000;
      const load = [loadAtStart, os.loadavg()[0] ?? 0] as const;
      finished.push({ report, date, command, seconds, load });
      for (const table of report.tables) console.log(`\n${textTable(table)}`);
      if (report.hubFigures && report.hubFigures.length > 0) {
        console.log(
          `\n${textTable({ title: 'For issue "The hub"', columns: ['figure', 'goal', 'measured'], rows: report.hubFigures })}`,
        );
      }
      if (report.goals && report.goals.length > 0) console.log(`\n${textTable(goalsTable(report.goals))}`);
      console.log(`\ncores: ${report.placement.join('; ')}`);
      for (const note of report.notes) console.log(`note: ${note}`);
      console.log(`(${seconds.toFixed(0)} s; load average ${load[0].toFixed(1)} → ${load[1].toFixed(1)})`);
    } catch (error) {
      failures++;
      console.error(`${scenario.id} failed: ${(error as Error).stack ?? String(error)}`);
      killAllChildren();
    } finally {
      clearTimeout(timer);
    }
  }

  if (args.json) writeFileSync(args.json, JSON.stringify(finished.map((f) => f.report)));
  const write = args.write ?? !args.quick;
  if (write && finished.length > 0) {
    writeBenchDoc(finished, date);
    console.log(`\nwrote ${DOC_PATH}`);
  }
  console.log(
    `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s${failures ? `, ${failures} scenario(s) failed` : ''}`,
  );
  return failures > 0 ? 1 : 0;
}

// A promise some scenario forgot must not end the run without its report; it is logged.
process.on('unhandledRejection', (reason) => {
  console.error(`unhandled rejection: ${(reason as Error).stack ?? String(reason)}`);
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  },
);
