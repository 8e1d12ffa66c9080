import { describe, expect, it } from 'vitest';
import { ownEntry, setEntry } from './records.js';

describe('setEntry and ownEntry', () => {
  it('store and find ids that name what every object inherits as ordinary entries', () => {
    const record: Record<string, number> = {};
    for (const [i, id] of ['__proto__', 'constructor', 'toString', 'nacka'].entries())
      setEntry(record, id, i);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'toString', 'nacka']);
    expect(ownEntry(record, '__proto__')).toBe(0);
    expect(ownEntry(record, 'constructor')).toBe(1);
    expect(ownEntry(record, 'hasOwnProperty')).toBeUndefined();
    // Written again, the entry changes in place: what JSON.parse of the record would give.
    setEntry(record, '__proto__', 5);
    expect(JSON.parse(JSON.stringify(record))).toEqual(
      JSON.parse('{"__proto__":5,"constructor":1,"toString":2,"nacka":3}'),
    );
  });
});
