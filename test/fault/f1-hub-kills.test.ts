import { describe, expect, it } from 'vitest';
import { runF1 } from './f1-hub-kills.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F1 of the fault battery; `npm run soak -- f1` runs the long one.
describe('F1: hubs SIGKILLed behind the load balancer', () => {
  it('keeps every acked report exactly once on the hubs and on every client while hubs die', async () => {
    const result = await runF1({ durationMs: 20_000, killEveryMs: 4_000, downMs: 1_000, officers: 9 });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    expect(result.counts.acked, run).toBeGreaterThan(50);
    // The faults happened: hubs died while commands were in flight.
    expect(result.faults, run).toMatch(/^([3-9]|\d\d) hub SIGKILLs/);
  }, 180_000);
});
