import { describe, expect, it } from 'vitest';
import { CI_FAULT_SEED, faultSeed } from './seed.js';

describe('faultSeed', () => {
  it('draws with the fixed seed in CI, so a CI failure replays', () => {
    expect(faultSeed({ CI: 'true' })).toBe(CI_FAULT_SEED);
    expect(faultSeed({ CI: '1' })).toBe(CI_FAULT_SEED);
  });

  it('draws with FAULT_SEED when given, in CI too', () => {
    expect(faultSeed({ FAULT_SEED: '42' })).toBe(42);
    expect(faultSeed({ FAULT_SEED: '42', CI: 'true' })).toBe(42);
  });

  it('draws a fresh seed locally, so local runs explore other faults', () => {
    const seeds = new Set(Array.from({ length: 5 }, () => faultSeed({})));
    expect(seeds.size).toBeGreaterThan(1);
    expect(faultSeed({ CI: 'false' })).not.toBe(CI_FAULT_SEED);
  });

  it('rejects a FAULT_SEED that is not a whole number in range, saying what it got', () => {
    expect(() => faultSeed({ FAULT_SEED: 'abc' })).toThrow(
      'FAULT_SEED must be a whole number from 0 to 2147483647, not "abc"',
    );
    expect(() => faultSeed({ FAULT_SEED: '-1' })).toThrow(/not "-1"/);
    expect(() => faultSeed({ FAULT_SEED: '1.5' })).toThrow(/not "1.5"/);
  });
});
