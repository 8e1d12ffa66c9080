import { describe, expect, it } from 'vitest';
import { nextOccurrence } from './recurrence.js';
import { named } from './testing/test-factories.js';

/*
 * Occurrences worked out by hand from the calendar: Stockholm is UTC+1 in winter (CET) and
 * UTC+2 in summer (CEST); in 2024 summer time began on Sunday 31 March (02:00 → 03:00) and
 * ended on Sunday 27 October (03:00 → 02:00).
 */
const TUESDAY_0900 = { weekday: 2, time: '09:00' };

// prettier-ignore
const CASES = [
  { name: 'the coming Tuesday, in summer time',                       rule: TUESDAY_0900, after: '2024-05-01T08:00:00.000Z', next: '2024-05-07T07:00:00.000Z' },
  { name: 'a week on when asked at exactly the occurrence time',      rule: TUESDAY_0900, after: '2024-05-07T07:00:00.000Z', next: '2024-05-14T07:00:00.000Z' },
  { name: 'the same day when asked a moment before',                  rule: TUESDAY_0900, after: '2024-05-07T06:59:59.999Z', next: '2024-05-07T07:00:00.000Z' },
  { name: 'a week on when asked later the same Tuesday',              rule: TUESDAY_0900, after: '2024-05-07T12:00:00.000Z', next: '2024-05-14T07:00:00.000Z' },
  { name: 'an hour earlier in UTC across the spring change',          rule: TUESDAY_0900, after: '2024-03-26T08:00:00.000Z', next: '2024-04-02T07:00:00.000Z' },
  { name: 'an hour later in UTC across the autumn change',            rule: TUESDAY_0900, after: '2024-10-22T07:00:00.000Z', next: '2024-10-29T08:00:00.000Z' },
  { name: 'in winter time (UTC+1)',                                    rule: TUESDAY_0900, after: '2024-01-01T00:00:00.000Z', next: '2024-01-02T08:00:00.000Z' },
  { name: 'on the spring-change Sunday itself, after the change',      rule: { weekday: 7, time: '09:00' }, after: '2024-03-30T12:00:00.000Z', next: '2024-03-31T07:00:00.000Z' },
  { name: 'a time the spring change skips moves on by the gap (03:30)', rule: { weekday: 7, time: '02:30' }, after: '2024-03-30T12:00:00.000Z', next: '2024-03-31T01:30:00.000Z' },
  { name: 'a time the autumn change repeats is the first of the two',  rule: { weekday: 7, time: '02:30' }, after: '2024-10-26T12:00:00.000Z', next: '2024-10-27T00:30:00.000Z' },
  { name: 'after the first of the repeated times, a week on (once a week)', rule: { weekday: 7, time: '02:30' }, after: '2024-10-27T00:30:00.000Z', next: '2024-11-03T01:30:00.000Z' },
  { name: 'on the autumn-change Sunday itself, after the change',      rule: { weekday: 7, time: '09:00' }, after: '2024-10-26T12:00:00.000Z', next: '2024-10-27T08:00:00.000Z' },
  { name: 'the local date, not the UTC date, when they differ',        rule: { weekday: 1, time: '00:30' }, after: '2024-05-05T22:00:00.000Z', next: '2024-05-05T22:30:00.000Z' },
  { name: 'late on a Sunday evening, still Sunday in Stockholm',       rule: { weekday: 7, time: '23:30' }, after: '2024-05-05T21:00:00.000Z', next: '2024-05-05T21:30:00.000Z' },
  { name: 'across the new year',                                       rule: { weekday: 3, time: '13:15' }, after: '2024-12-31T23:00:00.000Z', next: '2025-01-01T12:15:00.000Z' },
];

describe('nextOccurrence (Europe/Stockholm)', () => {
  it.each(named(CASES))('%s', (_name, { rule, after, next }) => {
    expect(nextOccurrence(rule, after)).toBe(next);
  });

  it('does not depend on the clock of the hub that asks (times with an offset)', () => {
    expect(nextOccurrence(TUESDAY_0900, '2024-05-01T10:00:00+02:00')).toBe('2024-05-07T07:00:00.000Z');
  });

  it('refuses something that is not a time, saying so', () => {
    expect(() => nextOccurrence(TUESDAY_0900, 'next Tuesday')).toThrow(/not a time: next Tuesday/);
  });
});
