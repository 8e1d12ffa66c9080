import type { FaultReport } from './cluster.js';

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

/**
 * The guarantees every run of the battery must keep, as the ones it broke: empty when the
 * run passed. Tests expect it to be empty (and so name what broke); the soak reports it.
 */
export function brokenGuarantees(report: FaultReport): string[] {
  const c = report.counts;
  const broken: string[] = [];
  if (c.lost > 0) broken.push(`${c.lost} acked command(s) lost`);
  if (c.duplicatedInLog > 0) broken.push(`${c.duplicatedInLog} command(s) applied twice in the log`);
  if (c.duplicatedOnClients > 0) broken.push(`${c.duplicatedOnClients} command(s) folded twice by a client`);
  if (c.missingOnClients > 0) broken.push(`${c.missingOnClients} acked command(s) missing on a client`);
  if (c.unanswered > 0) broken.push(`${c.unanswered} command(s) never answered`);
  if (c.refused > 0) broken.push(`${c.refused} command(s) refused`);
  if (c.acked !== c.sent) broken.push(`${c.sent} sent but ${c.acked} acked`);
  if (!report.hashesEqual) broken.push('hubs and clients ended with different states');
  if (report.hubExits > 0) broken.push(`${report.hubExits} hub(s) exited on their own`);
  return broken;
}
