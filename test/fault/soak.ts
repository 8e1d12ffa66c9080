import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { writeDocSection } from '../bench/support/bench-doc.js';
import { markdownTable } from '../bench/support/report.js';
import type { FaultReport } from './cluster.js';
import { runF1 } from './f1-hub-kills.js';
import { runF2 } from './f2-redis-kill.js';
import { runF3 } from './f3-flaky-network.js';
import { brokenGuarantees, formatFaultReport } from './fault-report.js';

// The long versions of the fault battery (the test suite runs short ones):
//   npm run soak -- [f1] [f2] [f3] [--minutes=N] [--write]

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
} as const;

type ScenarioId = keyof typeof SCENARIOS;

const Args = z.object({
  scenarios: z.array(z.enum(['f1', 'f2', 'f3'])),
  minutes: z.coerce
    .number()
    .positive()
    .max(24 * 60),
  write: z.boolean(),
});

const HELP = `npm run soak -- [f1] [f2] [f3] [--minutes=N] [--write]

Runs the long versions of the fault battery (default: all three, 5 minutes each) and
prints sent / acked / lost / duplicated per scenario. --write puts the figures into
docs/benchmarks.md (section "Fault battery").`;

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
    scenarios: positionals.length > 0 ? positionals : ['f1', 'f2', 'f3'],
    minutes: values.minutes,
    write: values.write,
  });
  if (!parsed.success) {
    console.error(`${z.prettifyError(parsed.error)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const { scenarios, minutes, write } = parsed.data;
  const results: { id: ScenarioId; report: FaultReport; load: [number, number] }[] = [];
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
    writeDocSection('faults', faultsMarkdown(results, minutes));
    console.log('\nwrote docs/benchmarks.md (Fault battery)');
  }
  if (failed.length > 0) {
    for (const { report } of failed)
      console.error(`\nFAILED ${report.scenario}: ${brokenGuarantees(report).join('; ')}`);
    process.exitCode = 1;
  }
}

function faultsMarkdown(
  results: readonly { id: ScenarioId; report: FaultReport; load: [number, number] }[],
  minutes: number,
): string {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
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
    `- ${report.scenario}: load average (1 min) ${load[0].toFixed(1)} at the start, ${load[1].toFixed(1)} at the end.`,
  ]);
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
      'commands applied twice. The test suite runs short versions of the same code (`test/fault/*.test.ts`).',
    '',
    `Measured ${date} UTC with \`npm run soak -- ${results.map((r) => r.id).join(' ')} --minutes=${minutes} --write\`.`,
    '',
    table,
    '',
    ...notes,
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
