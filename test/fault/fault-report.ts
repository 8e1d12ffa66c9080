import type { FaultReport } from './cluster.js';
import { seedLabel } from './seed.js';

/** One run as the lines a person reads in the test output or the soak's console. */
export function formatFaultReport(report: FaultReport): string {
  const c = report.counts;
  return [
    `${report.scenario}: ${report.faults}; ${report.clients} clients for ${(report.durationMs / 1000).toFixed(0)} s`,
    `  sent ${c.sent}, acked ${c.acked}, refused ${c.refused}, unanswered ${c.unanswered}, lost ${c.lost}, ` +
      `duplicated ${c.duplicatedInLog} in the log / ${c.duplicatedOnClients} on clients, ` +
      `missing on clients ${c.missingOnClients}`,
    `  attempts ${c.attempts} (${c.retried} commands retried, ${c.timeouts} timeouts), ` +
      `slowest attempt ${c.slowestAttemptMs} ms; state hashes equal: ${report.hashesEqual}; ` +
      `hubs exited on their own: ${report.hubExits}`,
    ...report.notes.map((note) => `  ${note}`),
  ].join('\n');
}

/** Names the run in a failure message: the scenario and the seed that replays its draws. */
export const runLabel = (report: FaultReport): string =>
  `${report.scenario}, ${report.seed === null ? 'no random fault draws' : seedLabel(report.seed)}`;

/** The first few culprits of a broken guarantee; a run that breaks one often breaks it many times. */
const SHOWN = 5;
const naming = (culprits: readonly string[]): string =>
  culprits.length === 0
    ? ''
    : `: ${culprits.slice(0, SHOWN).join('; ')}${culprits.length > SHOWN ? `; and ${culprits.length - SHOWN} more` : ''}`;

/**
 * The guarantees every run of the battery must keep, as the ones it broke: empty when the
 * run passed. Each names the commands that broke it (id, type, last error code) and the
 * run's seed. Tests expect it to be empty (and so print what broke); the soak reports it.
 */
export function brokenGuarantees(report: FaultReport): string[] {
  const c = report.counts;
  const who = report.culprits;
  const broken: string[] = [];
  if (c.lost > 0) broken.push(`${c.lost} acked command(s) lost${naming(who.lost)}`);
  if (c.duplicatedInLog > 0)
    broken.push(`${c.duplicatedInLog} command(s) applied twice in the log${naming(who.duplicatedInLog)}`);
  if (c.duplicatedOnClients > 0)
    broken.push(
      `${c.duplicatedOnClients} command(s) folded twice by a client${naming(who.duplicatedOnClients)}`,
    );
  if (c.missingOnClients > 0)
    broken.push(`${c.missingOnClients} acked command(s) missing on a client${naming(who.missingOnClients)}`);
  if (c.unanswered > 0) broken.push(`${c.unanswered} command(s) never answered${naming(who.unanswered)}`);
  if (c.refused > 0) broken.push(`${c.refused} command(s) refused${naming(who.refused)}`);
  if (c.acked !== c.sent) broken.push(`${c.sent} sent but ${c.acked} acked`);
  if (!report.hashesEqual)
    broken.push(`hubs and clients ended with different states${naming(report.stateMismatches)}`);
  if (report.hubExits > 0) broken.push(`${report.hubExits} hub(s) exited on their own`);
  broken.push(...(report.broken ?? []));
  return broken.map((line) => `${line} [${runLabel(report)}]`);
}
