import { describe, expect, it } from 'vitest';
import { runF1 } from './f1-hub-kills.js';
import { formatFaultReport } from './fault-report.js';

// The short F1 of the fault battery; `npm run soak -- f1` runs the long one.
describe('F1: hubs SIGKILLed behind the load balancer', () => {
  it('keeps every acked report exactly once on the hubs and on every client while hubs die', async () => {
    const result = await runF1({ durationMs: 20_000, killEveryMs: 4_000, downMs: 1_000, officers: 9 });
    console.log(formatFaultReport(result));
    expect(result.counts).toMatchObject({
      lost: 0,
      duplicatedInLog: 0,
      duplicatedOnClients: 0,
      missingOnClients: 0,
      unanswered: 0,
      refused: 0,
    });
    expect(result.counts.acked).toBe(result.counts.sent);
    expect(result.counts.acked).toBeGreaterThan(50);
    // The faults happened: hubs died while commands were in flight.
    expect(result.faults).toMatch(/^[4-9] hub SIGKILLs/);
    expect(result.hashesEqual).toBe(true);
    expect(result.hubExits).toBe(0);
  }, 180_000);
});
