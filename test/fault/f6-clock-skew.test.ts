import { describe, expect, it } from 'vitest';
import { runF6 } from './f6-clock-skew.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F6 of the fault battery; `npm run soak -- f6` runs the long one.
describe('F6: one hub ten minutes fast, then ten minutes slow', () => {
  it("shows every actor's newest report by log order, with no negative duration, and the skewed hub warns", async () => {
    const result = await runF6({ cycleMs: 5_000, skews: ['+10m', '-10m'], actors: 3 });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    expect(result.checks, run).toMatchObject({
      cycles: 2,
      latestMismatches: 0,
      negativeDurations: 0,
      timesOffTheClock: 0,
      skewWarningCycles: 2,
      onTimeWarnings: 0,
    });
    // Enough reports that each actor's status went back and forth across the hubs.
    expect(Number(result.checks?.reports), run).toBeGreaterThan(12);
  }, 120_000);
});
