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

/**
 * The commands behind each figure, named for a failure message: the command id, its type,
 * its attempts and the error code of its last failed attempt (or the hub's refusal).
 */
export type FaultCulprits = {
  lost: string[];
  duplicatedInLog: string[];
  /** `<command> on client <n>` */
  duplicatedOnClients: string[];
  /** `<command> on client <n>` */
  missingOnClients: string[];
  unanswered: string[];
  refused: string[];
  /** The command whose attempt took longest, with how long; null when nothing was sent. */
  slowestAttempt: string | null;
};

/** A command for a failure message: its id, type, attempts and the last error it met. */
export const describeCommand = (record: SentCommand): string =>
  `${record.id} (${record.type}, ${record.attempts} attempt(s), last error ${record.lastError ?? 'none'})`;

/** A run's figures and the commands behind them. */
export type FaultLedger = { counts: FaultCounts; culprits: FaultCulprits };

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
 * Counts what a fault run did to the commands, and names the commands behind each figure:
 * pure, so the counting itself is tested without a hub. A command every client is expected
 * to see is one the log holds (every command of the battery is shared with the whole region).
 */
export function countFaults(input: LedgerInput): FaultLedger {
  const inLog = new Map<string, string[]>();
  for (const event of input.log)
    inLog.set(event.commandId, [...(inLog.get(event.commandId) ?? []), event.type]);
  const records = [...input.sent];
  const byId = new Map(records.map((record) => [record.id, record]));
  const describe = (id: string): string => {
    const record = byId.get(id);
    return record ? describeCommand(record) : `${id} (not sent by any officer)`;
  };
  const acked = records.filter((r) => r.outcome === 'acked');
  const duplicatedOnClients: string[] = [];
  const missingOnClients: string[] = [];
  for (const [index, folded] of [...input.clients].entries()) {
    for (const [id, types] of folded)
      if (appliedTwice(types)) duplicatedOnClients.push(`${describe(id)} on client ${index + 1}`);
    for (const record of acked)
      if (!folded.has(record.id)) missingOnClients.push(`${describe(record.id)} on client ${index + 1}`);
  }
  const slowest = records.reduce<SentCommand | null>(
    (max, r) => (max === null || r.slowestAttemptMs > max.slowestAttemptMs ? r : max),
    null,
  );
  const lost = acked.filter((r) => !inLog.has(r.id));
  const duplicatedInLog = [...inLog.entries()].filter(([, types]) => appliedTwice(types));
  const unanswered = records.filter((r) => r.outcome === 'pending');
  const refused = records.filter((r) => r.outcome === 'refused');
  return {
    counts: {
      sent: records.length,
      acked: acked.length,
      refused: refused.length,
      unanswered: unanswered.length,
      lost: lost.length,
      duplicatedInLog: duplicatedInLog.length,
      duplicatedOnClients: duplicatedOnClients.length,
      missingOnClients: missingOnClients.length,
      retried: records.filter((r) => r.attempts > 1).length,
      attempts: records.reduce((sum, r) => sum + r.attempts, 0),
      timeouts: records.reduce((sum, r) => sum + r.timeouts, 0),
      slowestAttemptMs: slowest?.slowestAttemptMs ?? 0,
    },
    culprits: {
      lost: lost.map(describeCommand),
      duplicatedInLog: duplicatedInLog.map(([id, types]) => `${describe(id)} as ${types.join(', ')}`),
      duplicatedOnClients,
      missingOnClients,
      unanswered: unanswered.map(describeCommand),
      refused: refused.map((r) => `${r.id} (${r.type}, refused ${r.refusal ?? 'without a reason'})`),
      slowestAttempt: slowest ? `${describeCommand(slowest)}: ${slowest.slowestAttemptMs} ms` : null,
    },
  };
}
