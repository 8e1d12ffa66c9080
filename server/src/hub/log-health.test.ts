import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchLogHealth } from './log-health.js';

afterEach(() => vi.useRealTimers());

describe('watchLogHealth', () => {
  it('reports each change of the log health once, and nothing while it stays the same', () => {
    vi.useFakeTimers();
    let healthy = true;
    const changes: boolean[] = [];
    const stop = watchLogHealth({ isHealthy: () => healthy }, (h) => changes.push(h), 100);
    vi.advanceTimersByTime(300);
    healthy = false;
    vi.advanceTimersByTime(300);
    healthy = true;
    vi.advanceTimersByTime(100);
    expect(changes).toEqual([false, true]);
    stop();
    healthy = false;
    vi.advanceTimersByTime(1000);
    expect(changes).toEqual([false, true]);
  });
});
