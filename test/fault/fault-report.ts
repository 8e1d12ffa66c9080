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
