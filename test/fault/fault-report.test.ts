import { describe, expect, it } from 'vitest';
import type { FaultReport } from './cluster.js';
import { brokenGuarantees, runLabel } from './fault-report.js';
import { countFaults } from './ledger.js';

const ID = '0b6f3c1e-5f4a-4c1b-9a34-2a1f0c8d7e61';

function reportOf(outcome: 'acked' | 'pending' | 'refused', seed: number | null): FaultReport {
  const { counts, culprits } = countFaults({
    sent: [
      {
        id: ID,
        type: 'report.submit',
        attempts: 3,
        timeouts: 0,
        slowestAttemptMs: 40,
        outcome,
        lastError: 'log_unavailable',
        ...(outcome === 'refused' ? { refusal: 'forbidden: not your actor' } : {}),
      },
    ],
    log: [],
    clients: [new Map()],
  });
  return {
    scenario: 'F3',
    faults: 'a flaky network',
    durationMs: 1000,
    clients: 1,
    counts,
    culprits,
    hashesEqual: true,
    stateMismatches: [],
    hubExits: 0,
    notes: [],
    seed,
  };
}

describe('brokenGuarantees', () => {
  it('names the command, its last error code and the seed when an acked command is lost', () => {
    const [lost] = brokenGuarantees(reportOf('acked', 1234));
    expect(lost).toContain('1 acked command(s) lost');
    expect(lost).toContain(ID);
    expect(lost).toContain('last error log_unavailable');
    expect(lost).toContain('FAULT_SEED=1234');
  });

  it('names an unanswered command with the error that kept it queued', () => {
    const broken = brokenGuarantees(reportOf('pending', 7)).join('\n');
    expect(broken).toContain(
      `1 command(s) never answered: ${ID} (report.submit, 3 attempt(s), last error log_unavailable)`,
    );
    expect(broken).toContain('seed 7');
  });

  it("names a refused command with the hub's code", () => {
    const broken = brokenGuarantees(reportOf('refused', 7)).join('\n');
    expect(broken).toContain(`${ID} (report.submit, refused forbidden: not your actor)`);
  });

  it("adds the scenario's own broken guarantees after the common ones, with the run", () => {
    const report = { ...reportOf('refused', null), broken: ['a hub appended into a log it did not open'] };
    const broken = brokenGuarantees(report);
    expect(broken).toHaveLength(3);
    expect(broken.at(-1)).toBe('a hub appended into a log it did not open [F3, no random fault draws]');
  });

  it('says so when a scenario draws nothing at random', () => {
    expect(runLabel(reportOf('acked', null))).toBe('F3, no random fault draws');
  });
});
