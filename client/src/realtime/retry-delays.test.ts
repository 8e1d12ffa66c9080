import { describe, expect, it } from 'vitest';
import { logWaitRetryDelay, refusedRetryDelay } from './retry-delays';

const attempts = Array.from({ length: 12 }, (_, i) => i);
const randoms = [0, 0.25, 0.5, 0.75, 0.999];

describe('retry delays after a refused handshake', () => {
  it('tries again within 1–5 s, however long the hub has waited for its log', () => {
    for (const attempt of attempts) {
      for (const random of randoms) {
        const delay = logWaitRetryDelay(attempt, random);
        expect(delay, `attempt ${attempt}, random ${random}`).toBeGreaterThanOrEqual(750);
        expect(delay, `attempt ${attempt}, random ${random}`).toBeLessThanOrEqual(5_000);
      }
    }
    // The first try comes after about a second: a short partition heals without a long wait.
    expect(logWaitRetryDelay(0, 0.5)).toBe(1_000);
  });

  it('spreads clients refused at once over a range, not one moment', () => {
    expect(logWaitRetryDelay(5, 0)).toBeLessThan(logWaitRetryDelay(5, 0.999));
    expect(refusedRetryDelay(5, 0)).toBeLessThan(refusedRetryDelay(5, 0.999));
  });

  it('backs off other refusals slowly, up to a minute and a half at most', () => {
    expect(refusedRetryDelay(0, 0.5)).toBe(2_000);
    expect(refusedRetryDelay(3, 0.5)).toBe(16_000);
    for (const random of randoms) expect(refusedRetryDelay(20, random)).toBeLessThanOrEqual(90_000);
  });
});
