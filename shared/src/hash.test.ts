import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, stateHash } from './hash.js';
import { buildIncident, buildState, testUuid } from './testing/test-factories.js';

/**
 * The same data with every object's keys in another order: rotated by `shift`, then
 * reversed when `flip`. `Object.fromEntries` keeps a `__proto__` key an ordinary key.
 */
function reorder(value: unknown, shift: number, flip: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, shift, flip));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]): [string, unknown] => [k, reorder(v, shift, flip)]);
  const cut = entries.length === 0 ? 0 : shift % entries.length;
  const rotated = [...entries.slice(cut), ...entries.slice(0, cut)];
  return Object.fromEntries(flip ? rotated.reverse() : rotated);
}

describe('stateHash', () => {
  it('ignores the order in which keys were added, at every depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.boolean(), (value, shift, flip) => {
        expect(stateHash(reorder(value, shift, flip))).toBe(stateHash(value));
      }),
    );
  });

  it('gives two clients the same hash for the same incidents received in another order', () => {
    const a = buildIncident({ id: testUuid(1) });
    const b = buildIncident({ id: testUuid(2), title: 'Fire at the port' });
    expect(stateHash(buildState({ incidents: [a, b] }))).toBe(stateHash(buildState({ incidents: [b, a] })));
  });

  it('changes when any value changes, so diverged clients are detected', () => {
    const state = buildState({ incidents: [buildIncident({ id: testUuid(1) })] });
    const changed = buildState({ incidents: [buildIncident({ id: testUuid(1), title: 'Storm Ylvaa' })] });
    expect(stateHash(changed)).not.toBe(stateHash(state));
    expect(stateHash([1, 2])).not.toBe(stateHash([2, 1]));
    expect(stateHash({ a: '1' })).not.toBe(stateHash({ a: 1 }));
  });

  it('treats a missing key and an undefined one alike, as JSON does', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
    expect(stateHash({ b: 1, a: undefined })).toBe(stateHash({ b: 1 }));
  });

  it('is a fixed-width hex fingerprint', () => {
    expect(stateHash(buildState())).toMatch(/^[0-9a-f]{16}$/);
  });
});
