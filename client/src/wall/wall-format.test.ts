import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatWhen } from './wall-format';

describe('formatDuration', () => {
  it('says how old the data is in one whole unit, in Swedish and English', () => {
    expect(formatDuration(45_400, 'sv')).toBe('45 sekunder');
    expect(formatDuration(3 * 60_000 + 59_000, 'sv')).toBe('3 minuter');
    expect(formatDuration(2 * 3600_000, 'sv')).toBe('2 timmar');
    expect(formatDuration(3 * 86_400_000, 'sv')).toBe('3 dygn');
    expect(formatDuration(60_000, 'en')).toBe('1 minute');
    expect(formatDuration(-5, 'en')).toBe('0 seconds');
  });
});

describe('formatClock', () => {
  it('shows a 24-hour clock with seconds', () => {
    expect(formatClock(Date.parse('2024-05-01T14:02:33Z'), 'sv')).toBe('14:02:33');
    expect(formatClock(Date.parse('2024-05-01T14:02:33Z'), 'en')).toBe('14:02:33');
  });
});

describe('formatWhen', () => {
  it('gives only the time today, and the date too on another day', () => {
    const now = Date.parse('2024-05-01T08:00:00Z');
    expect(formatWhen('2024-05-01T15:30:00Z', now, 'sv')).toBe('15:30');
    expect(formatWhen('2024-05-02T09:00:00Z', now, 'sv')).toBe('2 maj 09:00');
  });
});
