import { describe, expect, it } from 'vitest';
import { runF3 } from './f3-flaky-network.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F3 of the fault battery; the soak runs the long one. Its draws come from
// FAULT_SEED, the fixed CI seed when CI is set, or a fresh seed locally (test/fault/seed.ts).
describe('F3: a flaky network between the clients and the hubs', () => {
  it('answers every command within its timeout and keeps every acked report exactly once', async () => {
    const result = await runF3({ durationMs: 25_000, officers: 8, ackTimeoutMs: 4000 });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    expect(result.counts.acked, run).toBeGreaterThan(50);
    // Every attempt ended, with an ack or an error, within the ack timeout (and a margin for
    // a busy machine).
    expect(
      result.counts.slowestAttemptMs,
      `${run}; slowest attempt: ${result.culprits.slowestAttempt ?? 'none'}`,
    ).toBeLessThanOrEqual(Number(result.checks?.attemptLimitMs));
    // The faults happened, each kind, and the clients felt them.
    const checks = result.checks ?? {};
    for (const fault of ['delayedChunks', 'stalls', 'cuts', 'resets', 'drops']) {
      expect(checks[fault], `${fault}, ${run}`).toBeGreaterThan(0);
    }
    expect(result.counts.timeouts, run).toBeGreaterThan(0);
    expect(result.counts.retried, run).toBeGreaterThan(0);
    expect(checks.receivedTwice, `retries of commands the hub already had, ${run}`).toBeGreaterThan(0);
    expect(checks.pingTimeouts, `silent drops noticed by the heartbeat, ${run}`).toBeGreaterThan(0);
  }, 180_000);
});
