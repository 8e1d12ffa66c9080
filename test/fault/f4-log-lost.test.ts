import { describe, expect, it } from 'vitest';
import { runF4 } from './f4-log-lost.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F4 of the fault battery; `npm run soak -- f4` runs the long one.
describe('F4: Redis loses its data under two hubs', () => {
  it('stops both hubs within seconds, appends nothing into the new log, and resets every client to it', async () => {
    const result = await runF4({ loadMs: 3_000, cycles: 1, officers: 4 });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    expect(result.checks, run).toMatchObject({
      flushes: 1,
      saidLost: true,
      exitsWith75: 2,
      appendsIntoAnotherLog: 0,
      fewestResetsPerClient: 1,
      clientsOnFinalEpoch: 4,
      mergedEntriesOnClients: 0,
    });
    // Commands were acked on both sides of the flush: some went with the data, the rest are kept.
    expect(Number(result.checks?.goneWithFlush), run).toBeGreaterThan(0);
    expect(Number(result.checks?.keptInFinalLog), run).toBeGreaterThan(0);
    expect(result.checks?.ackedAfterFlushInNewLog, run).toBe(
      Number(result.checks?.ackedAfterFlush) - Number(result.checks?.ackedAfterFlushInFlight),
    );
  }, 120_000);
});
