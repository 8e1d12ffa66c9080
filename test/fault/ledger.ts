import type { SentCommand } from './duty-officer.js';

/** The figures the fault battery reports for a run (and asserts in its short versions). */
export type FaultCounts = {
  /** Commands the clients created and queued. */
  sent: number;
  /** Commands the hub acknowledged as durable. */
  acked: number;
  /** Commands the hub refused for good (a rule, not a fault): expected 0 in the battery. */
  refused: number;
  /** Commands with no final answer when the run ended. */
  unanswered: number;
  /** Acked commands whose event is not in the log: data loss. */
  lost: number;
  /** Commands applied more than once in the log. */
  duplicatedInLog: number;
  /** (client, command) pairs folded more than once by a client. */
  duplicatedOnClients: number;
  /** (client, command) pairs of acked commands a client never folded. */
  missingOnClients: number;
  /** Commands that had to be sent more than once (timeouts, refusals while the log was down). */
  retried: number;
  attempts: number;
  /** Attempts that got no answer within the ack timeout. */
  timeouts: number;
  /** The longest any single attempt took to resolve or time out, in ms. */
  slowestAttemptMs: number;
};

export type LedgerInput = {
  /** Every client's record of what it sent. */
  sent: Iterable<SentCommand>;
  /** Every event in the log, in log order. */
  log: Iterable<{ commandId: string; type: string }>;
  /** Per client: the types of the events it folded, per command. */
  clients: Iterable<ReadonlyMap<string, readonly string[]>>;
};

/**
 * One command can yield several events (an activation also records the activating actor's
 * acknowledgement), but never two of the same type: a type seen twice means the command was
 * applied twice.
 */
const appliedTwice = (types: readonly string[]): boolean => new Set(types).size !== types.length;

/**
 * Counts what a fault run did to the commands: pure, so the counting itself is tested
 * without a hub. A command every client is expected to see is one the log holds (every
 * command of the battery is shared with the whole region).
 */
export function countFaults(input: LedgerInput): FaultCounts {
  const inLog = new Map<string, string[]>();
  for (const event of input.log)
    inLog.set(event.commandId, [...(inLog.get(event.commandId) ?? []), event.type]);
  const records = [...input.sent];
  const acked = records.filter((r) => r.outcome === 'acked');
  let duplicatedOnClients = 0;
  let missingOnClients = 0;
  for (const folded of input.clients) {
    for (const types of folded.values()) if (appliedTwice(types)) duplicatedOnClients++;
    for (const record of acked) if (!folded.has(record.id)) missingOnClients++;
  }
  return {
    sent: records.length,
    acked: acked.length,
    refused: records.filter((r) => r.outcome === 'refused').length,
    unanswered: records.filter((r) => r.outcome === 'pending').length,
    lost: acked.filter((r) => !inLog.has(r.id)).length,
    duplicatedInLog: [...inLog.values()].filter(appliedTwice).length,
    duplicatedOnClients,
    missingOnClients,
    retried: records.filter((r) => r.attempts > 1).length,
    attempts: records.reduce((sum, r) => sum + r.attempts, 0),
    timeouts: records.reduce((sum, r) => sum + r.timeouts, 0),
    slowestAttemptMs: records.reduce((max, r) => Math.max(max, r.slowestAttemptMs), 0),
  };
}
