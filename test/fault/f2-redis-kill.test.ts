import { describe, expect, it } from 'vitest';
import { runF2 } from './f2-redis-kill.js';
import { brokenGuarantees, formatFaultReport, runLabel } from './fault-report.js';

// The short F2 of the fault battery; `npm run soak -- f2` runs the long one.
describe('F2: Redis SIGKILLed under load', () => {
  it('loses no acked report, acks nothing while Redis is down, keeps every hub up, and drains every outbox', async () => {
    const result = await runF2({ loadMs: 4_000, downMs: 6_000, cycles: 1, officers: 8, browser: true });
    console.log(formatFaultReport(result));
    const run = runLabel(result);
    expect(brokenGuarantees(result), run).toEqual([]);
    // The outage was felt: commands were refused with log_unavailable and sent again.
    expect(result.counts.retried, run).toBeGreaterThan(0);
    expect(result.checks, run).toMatchObject({
      ackedWhileDown: 0,
      readyz503WhileDown: true,
      liveWhileDown: true,
      appDrained: true,
    });
    // Queued, or on its way again (the outbox retries): never sent ("Skickad") while Redis is down.
    expect(String(result.checks?.appStatusWhileDown)).toMatch(/^(Köad|Ej bekräftad|Skickas)/);
    expect(String(result.checks?.appStatusWhileDown)).not.toMatch(/Skickad/);
    // The header says why: first that changes cannot be saved, and once the hub has been cut
    // off from Redis for a while (a loaded machine gets there before the form is read), that
    // the picture may be outdated, which says more.
    expect(String(result.checks?.appStatusWhileDown)).toMatch(
      /Ändringar kan inte sparas just nu|Bilden kan vara inaktuell sedan/,
    );
    // The hub tells the app when it can store again; the outbox does not wait out its backoff.
    expect(Number(result.checks?.appDrainMaxMs)).toBeLessThan(5_000);
  }, 240_000);
});
