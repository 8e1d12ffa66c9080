import { describe, expect, it } from 'vitest';
import type { SentCommand } from './duty-officer.js';
import { countFaults } from './ledger.js';

const sent = (id: string, outcome: SentCommand['outcome'], attempts = 1): SentCommand => ({
  id,
  type: 'report.submit',
  attempts,
  timeouts: attempts - 1,
  slowestAttemptMs: 10 * attempts,
  outcome,
  ...(attempts > 1 ? { lastError: 'timeout' } : {}),
});

describe('countFaults', () => {
  it('counts a clean run as all acked, none lost or duplicated', () => {
    const { counts, culprits } = countFaults({
      sent: [sent('a', 'acked'), sent('b', 'acked', 3)],
      log: [
        { commandId: 'a', type: 'report.submitted' },
        { commandId: 'b', type: 'report.submitted' },
      ],
      clients: [
        new Map([
          ['a', ['report.submitted']],
          ['b', ['report.submitted']],
        ]),
      ],
    });
    expect(counts).toEqual({
      sent: 2,
      acked: 2,
      refused: 0,
      unanswered: 0,
      lost: 0,
      duplicatedInLog: 0,
      duplicatedOnClients: 0,
      missingOnClients: 0,
      retried: 1,
      attempts: 4,
      timeouts: 2,
      slowestAttemptMs: 30,
    });
    expect(culprits.slowestAttempt).toBe('b (report.submit, 3 attempt(s), last error timeout): 30 ms');
  });

  it('counts an acked command missing from the log as lost, and from a client as missing', () => {
    const { counts } = countFaults({
      sent: [sent('a', 'acked'), sent('b', 'pending'), sent('c', 'refused')],
      log: [],
      clients: [new Map(), new Map([['a', ['report.submitted']]])],
    });
    expect(counts).toMatchObject({ lost: 1, unanswered: 1, refused: 1, missingOnClients: 1 });
  });

  it('names the commands behind each broken figure with their last error code', () => {
    const { culprits } = countFaults({
      sent: [
        sent('lost', 'acked', 2),
        { ...sent('waits', 'pending', 4), lastError: 'log_unavailable' },
        { ...sent('no', 'refused'), refusal: 'forbidden: not your actor' },
      ],
      log: [],
      clients: [new Map([['lost', ['report.submitted']]]), new Map()],
    });
    expect(culprits).toMatchObject({
      lost: ['lost (report.submit, 2 attempt(s), last error timeout)'],
      unanswered: ['waits (report.submit, 4 attempt(s), last error log_unavailable)'],
      refused: ['no (report.submit, refused forbidden: not your actor)'],
      missingOnClients: ['lost (report.submit, 2 attempt(s), last error timeout) on client 2'],
    });
  });

  it('tells an activation with its acknowledgement apart from a command applied twice', () => {
    const { counts, culprits } = countFaults({
      sent: [sent('act', 'acked'), sent('rep', 'acked')],
      log: [
        { commandId: 'act', type: 'incident.activated' },
        { commandId: 'act', type: 'activation.acknowledged' },
        { commandId: 'rep', type: 'report.submitted' },
        { commandId: 'rep', type: 'report.submitted' },
      ],
      clients: [new Map([['rep', ['report.submitted', 'report.submitted']]])],
    });
    expect(counts).toMatchObject({ duplicatedInLog: 1, duplicatedOnClients: 1, lost: 0 });
    expect(culprits.duplicatedInLog).toEqual([
      'rep (report.submit, 1 attempt(s), last error none) as report.submitted, report.submitted',
    ]);
    expect(culprits.duplicatedOnClients).toEqual([
      'rep (report.submit, 1 attempt(s), last error none) on client 1',
    ]);
  });
});
