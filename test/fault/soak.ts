import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { writeDocSection } from '../bench/support/bench-doc.js';
import { markdownTable } from '../bench/support/report.js';
import type { FaultReport } from './cluster.js';
import { runF1 } from './f1-hub-kills.js';
import { runF2 } from './f2-redis-kill.js';
import { runF3 } from './f3-flaky-network.js';
import { runF4 } from './f4-log-lost.js';
import { runF5 } from './f5-partition.js';
import { runF6 } from './f6-clock-skew.js';
import { brokenGuarantees, formatFaultReport } from './fault-report.js';

// The long versions of the fault battery (the test suite runs short ones):
//   npm run soak -- [f1] … [f6] [--minutes=N] [--write]

const SCENARIOS = {
  f1: {
    title: 'F1 — hubs SIGKILLed behind nginx',
    run: (minutes: number, log: (line: string) => void) =>
      runF1({ durationMs: minutes * 60_000, killEveryMs: 5_000, downMs: 1_500, officers: 12, log }),
  },
  f2: {
    title: 'F2 — Redis SIGKILLed under load',
    run: (minutes: number, log: (line: string) => void) =>
      // One outage (10 s down) per 30 s of load.
      runF2({
        loadMs: 20_000,
        downMs: 10_000,
        cycles: Math.max(1, Math.round((minutes * 60) / 30)),
        officers: 12,
        // About 60 reports a second in all: the app in the browser folds every one of them,
        // and at the officers' full speed (about 300 a second) it falls behind (see the note).
        pauseMs: 200,
        browser: true,
        log,
      }),
  },
  f3: {
    title: 'F3 — a faulty network between clients and hubs',
    run: (minutes: number, log: (line: string) => void) =>
      runF3({ durationMs: minutes * 60_000, officers: 12, log }),
  },
  f4: {
    title: 'F4 — Redis loses its data under two hubs',
    run: (minutes: number, log: (line: string) => void) =>
      // A flush after every 10 s of load; the hubs' exit, restart and the clients' new
      // sign-in take about 10 s more.
      runF4({ loadMs: 10_000, cycles: Math.max(1, Math.round((minutes * 60) / 20)), officers: 8, log }),
  },
  f5: {
    title: 'F5 — one hub cut off from Redis by a blackhole',
    run: (minutes: number, log: (line: string) => void) =>
      // The 30 s partition, after 10 s of load each time.
      runF5({
        loadMs: 10_000,
        cutMs: 30_000,
        cycles: Math.max(1, Math.round((minutes * 60) / 45)),
        officers: 8,
        log,
      }),
  },
  f6: {
    title: 'F6 — one hub ten minutes fast, then ten minutes slow',
    run: (minutes: number, log: (line: string) => void) => {
      // At least one cycle each way; the skewed hub restarts between cycles.
      const cycles = Math.max(2, Math.round((minutes * 60) / 30));
      return runF6({
        cycleMs: (minutes * 60_000) / cycles,
        skews: Array.from({ length: cycles }, (_, i) => (i % 2 === 0 ? '+10m' : '-10m')),
        actors: 6,
        log,
      });
    },
  },
} as const;

/** F1–F3 go into one section of docs/benchmarks.md, F4–F6 (the log itself failing) into another. */
const PROCESS_FAULTS: readonly ScenarioId[] = ['f1', 'f2', 'f3'];

type ScenarioId = keyof typeof SCENARIOS;

const Args = z.object({
  scenarios: z.array(z.enum(['f1', 'f2', 'f3', 'f4', 'f5', 'f6'])),
  minutes: z.coerce
    .number()
    .positive()
    .max(24 * 60),
  write: z.boolean(),
});

const HELP = `npm run soak -- [f1] [f2] [f3] [f4] [f5] [f6] [--minutes=N] [--write]

Runs the long versions of the fault battery (default: all six, 5 minutes each) and
prints sent / acked / lost / duplicated per scenario. --write puts the figures into
docs/benchmarks.md: F1–F3 into the section "Fault battery (soak)", F4–F6 into "Fault
battery: the log lost, cut off or on another clock (soak)"; a section is rewritten only
when a scenario of it ran.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      minutes: { type: 'string', default: '5' },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const parsed = Args.safeParse({
    scenarios: positionals.length > 0 ? positionals : Object.keys(SCENARIOS),
    minutes: values.minutes,
    write: values.write,
  });
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const { scenarios, minutes, write } = parsed.data;
  const results: Result[] = [];
  for (const id of scenarios) {
    const scenario = SCENARIOS[id];
    console.log(`\n== ${scenario.title} (${minutes} min)`);
    const loadBefore = os.loadavg()[0] ?? 0;
    const report = await scenario.run(minutes, (line) => console.log(`  ${line}`));
    results.push({ id, report, load: [loadBefore, os.loadavg()[0] ?? 0] });
    console.log(formatFaultReport(report));
  }
  const failed = results.filter(({ report }) => brokenGuarantees(report).length > 0);
  if (write) {
    const processFaults = results.filter(({ id }) => PROCESS_FAULTS.includes(id));
    const logFaults = results.filter(({ id }) => !PROCESS_FAULTS.includes(id));
    if (processFaults.length > 0) {
      writeDocSection('faults', faultsMarkdown(processFaults, minutes));
      console.log('\nwrote docs/benchmarks.md (Fault battery)');
    }
    if (logFaults.length > 0) {
      writeDocSection('faults-log', logFaultsMarkdown(logFaults, minutes));
      console.log('\nwrote docs/benchmarks.md (Fault battery: the log lost, cut off or on another clock)');
    }
  }
  if (failed.length > 0) {
    for (const { report } of failed)
      console.error(`\nFAILED ${report.scenario}: ${brokenGuarantees(report).join('; ')}`);
    process.exitCode = 1;
  }
}

type Result = { id: ScenarioId; report: FaultReport; load: [number, number] };

/** The figures every scenario has, one row each, and each scenario's notes below. */
function figures(results: readonly Result[]): string[] {
  const table = markdownTable({
    title: '',
    columns: [
      'scenario',
      'faults',
      'clients',
      'sent',
      'acked',
      'lost',
      'duplicated (log / clients)',
      'missing on clients',
      'unanswered',
      'retried commands',
      'timed-out attempts',
      'slowest attempt (ms)',
      'state hashes equal',
      'hub exits',
    ],
    rows: results.map(({ report: r }) => [
      r.scenario,
      r.faults,
      r.clients,
      r.counts.sent,
      r.counts.acked,
      r.counts.lost,
      `${r.counts.duplicatedInLog} / ${r.counts.duplicatedOnClients}`,
      r.counts.missingOnClients,
      r.counts.unanswered,
      r.counts.retried,
      r.counts.timeouts,
      r.counts.slowestAttemptMs,
      r.hashesEqual ? 'yes' : 'NO',
      r.hubExits,
    ]),
  });
  const notes = results.flatMap(({ report, load }) => [
    ...report.notes.map((note) => `- ${report.scenario}: ${note}`),
    ...brokenGuarantees(report).map((line) => `- ${report.scenario}: **broken**: ${line}`),
    `- ${report.scenario}: load average (1 min) ${load[0].toFixed(1)} at the start, ${load[1].toFixed(1)} at the end.`,
  ]);
  return [table, '', ...notes];
}

const measured = (results: readonly Result[], minutes: number): string => {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `Measured ${date} UTC with \`npm run soak -- ${results.map((r) => r.id).join(' ')} --minutes=${minutes} --write\`.`;
};

function faultsMarkdown(results: readonly Result[], minutes: number): string {
  return [
    '## Fault battery (soak)',
    '',
    'Duty officers (headless clients that fold events like the app and send through its own outbox, ' +
      '`client/src/outbox` over IndexedDB (fake-indexeddb): one command at a time, the same id on every ' +
      'retry, its retry rules and backoff) send situation reports continuously while faults ' +
      'are injected. **F1**: three hubs on one Redis behind `deploy/nginx.conf` (Debian nginx), a random ' +
      'hub SIGKILLed every 5 s and back 1.5 s later. **F2**: two hubs; Redis SIGKILLed for 10 s every 30 s, ' +
      'with the real app in Chromium sending a report during each outage. **F3**: two hubs, each behind a ' +
      'fault proxy that delays, stalls, cuts frames in half and resets connections. At the end every hub and ' +
      'client must hold the same state; "lost" counts acked reports missing from the log, "duplicated" ' +
      'commands applied twice. The test suite runs short versions of the same code (`test/fault/*.test.ts`). ' +
      'F4–F6, where the log itself fails, have their own section below.',
    '',
    measured(results, minutes),
    '',
    ...figures(results),
  ].join('\n');
}

function logFaultsMarkdown(results: readonly Result[], minutes: number): string {
  return [
    '## Fault battery: the log lost, cut off or on another clock (soak)',
    '',
    'The same duty officers as above, on two hubs sharing one Redis, while the log under them fails. ' +
      '**F4**: Redis loses its data (`FLUSHALL`) after every 10 s of load, with log entries being sent through ' +
      'both hubs. A supervisor loop starts a hub again when it exits, as systemd or a container runtime would. ' +
      'Each hub must stop serving within 3 s (`/readyz` 503, `hub.status` "lost" to its clients) and exit ' +
      'with 75. It must never append into the log a restarted hub begins. Every client must get the new ' +
      "log's picture whole: a snapshot of its epoch, never a merge. The clients sign in again, since their " +
      'sessions were in Redis too. Commands acked before a flush are gone with the data: they are counted ' +
      'in the notes, not as "lost", which for F4 means an acked command found in no log at all (each ' +
      "flushed log is read in the flush's own transaction). Restoring a backup is how an operator gets " +
      'them back (README). **F5**: hub A reaches Redis through a proxy that turns into a blackhole for 30 s ' +
      'every cycle: connections stay open and nothing answers. Officers send reports and log entries ' +
      'through both hubs. A\'s clients must hear "may be stale" within 3 s, A must answer `/readyz` 503, ' +
      'nothing may be acked through A meanwhile, and after healing everything converges. **F6**: one hub ' +
      'runs under libfaketime (Debian `faketime`), ten minutes fast, then restarted ten minutes slow, in turn. ' +
      'Each actor\'s duty officer reports from two devices, one on each hub, alternating "severe" and ' +
      '"normal", each report superseding the last. Every client and hub must show the newest report by ' +
      'log order as the latest, no duration may be negative, no time may come from the skewed clock, and ' +
      'the skewed hub must warn about its clock. Short versions run in the test suite ' +
      '(`test/fault/f4-log-lost.test.ts`, `f5-partition.test.ts`, `f6-clock-skew.test.ts`).',
    '',
    measured(results, minutes),
    '',
    ...figures(results),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
