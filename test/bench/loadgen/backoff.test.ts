import { describe, expect, it } from 'vitest';
import { SOCKET_IO_BACKOFF, backoffDelay } from './bench-client.js';

describe("the simulated clients' reconnect backoff", () => {
  it("is socket.io-client's: 1 s doubling, ±50 %, the cap applied after the jitter", () => {
    const delays = (attempt: number) =>
      Array.from({ length: 101 }, (_, i) => backoffDelay(SOCKET_IO_BACKOFF, attempt, i / 101));
    const range = (attempt: number) => [Math.min(...delays(attempt)), Math.max(...delays(attempt))];
    expect(range(0)[0]).toBeGreaterThanOrEqual(500);
    expect(range(0)[1]).toBeLessThanOrEqual(1500);
    expect(range(1)[0]).toBeGreaterThanOrEqual(1000);
    expect(range(1)[1]).toBeLessThanOrEqual(3000);
    expect(range(2)[0]).toBeGreaterThanOrEqual(2000);
    expect(range(2)[1]).toBeLessThanOrEqual(6000);
    // 32 s ± 16 s, never past the browser client's 30 s.
    expect(range(5)[1]).toBe(30_000);
    expect(range(5)[0]).toBeGreaterThanOrEqual(16_000);
    // Both sides of the base are drawn, as socket.io-client's backo2 does.
    expect(delays(2).some((d) => d < 4000)).toBe(true);
    expect(delays(2).some((d) => d > 4000)).toBe(true);
  });
});
