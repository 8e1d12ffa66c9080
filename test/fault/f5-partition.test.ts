import { describe, expect, it } from 'vitest';
import { runF5 } from './f5-partition.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F5 of the fault battery; `npm run soak -- f5` runs the long one.
describe('F5: one hub cut off from Redis by a blackhole', () => {
  it("tells the cut-off hub's clients within seconds, acks nothing through it, and converges with nothing lost", async () => {
    const result = await runF5({ loadMs: 3_000, cutMs: 6_000, cycles: 1, officers: 4 });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    const checks = result.checks ?? {};
    expect(checks.cuts, run).toBe(1);
    expect(checks.ackedOnAWhileCut, run).toBe(0);
    // The cut was felt: A refused readiness, and its officers' commands waited and were sent again.
    expect(Number(checks.probesA), run).toBeGreaterThan(0);
    expect(result.counts.retried, run).toBeGreaterThan(0);
    // B kept working meanwhile.
    expect(Number(checks.ackedOnBWhileCut), run).toBeGreaterThan(0);
  }, 120_000);
});
