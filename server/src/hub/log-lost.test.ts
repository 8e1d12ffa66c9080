import { afterEach, describe, expect, it, vi } from 'vitest';
import { BEFORE_EXIT_MS, LOG_LOST_EXIT_CODE, watchLogLost } from './log-lost.js';

afterEach(() => vi.useRealTimers());

describe('watchLogLost', () => {
  it('says why once and exits for the supervisor after the delay, when the log is lost', () => {
    vi.useFakeTimers();
    let lost: string | null = null;
    const said: string[] = [];
    const exits: number[] = [];
    watchLogLost(
      { lostReason: () => lost },
      {
        onLost: (reason) => said.push(reason),
        exit: (code) => exits.push(code),
        everyMs: 100,
        exitAfterMs: 2000,
      },
    );
    vi.advanceTimersByTime(1000);
    expect(said).toEqual([]);
    lost = 'Redis no longer holds the log this hub opened';
    vi.advanceTimersByTime(100);
    expect(said).toEqual(['Redis no longer holds the log this hub opened']);
    vi.advanceTimersByTime(1900);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(exits).toEqual([LOG_LOST_EXIT_CODE]);
    vi.advanceTimersByTime(5000);
    expect(said).toHaveLength(1);
    expect(exits).toHaveLength(1);
  });

  it('does not exit once stopped, as a hub that is closing anyway', () => {
    vi.useFakeTimers();
    const exits: number[] = [];
    const stop = watchLogLost(
      { lostReason: () => 'gone' },
      { onLost: () => undefined, exit: (code) => exits.push(code), everyMs: 100, exitAfterMs: 2000 },
    );
    vi.advanceTimersByTime(500);
    stop();
    vi.advanceTimersByTime(5000);
    expect(exits).toEqual([]);
  });

  it('saves what it holds (the audit records) before it exits', async () => {
    vi.useFakeTimers();
    const steps: string[] = [];
    watchLogLost(
      { lostReason: () => 'gone' },
      {
        onLost: () => undefined,
        beforeExit: async () => {
          steps.push('audit closing');
          await new Promise((resolve) => setTimeout(resolve, 300));
          steps.push('audit closed');
        },
        exit: (code) => steps.push(`exit ${code}`),
        everyMs: 100,
        exitAfterMs: 2000,
      },
    );
    await vi.advanceTimersByTimeAsync(2100);
    expect(steps).toEqual(['audit closing']);
    await vi.advanceTimersByTimeAsync(300);
    expect(steps).toEqual(['audit closing', 'audit closed', `exit ${LOG_LOST_EXIT_CODE}`]);
  });

  it('exits within its bound when saving hangs or fails', async () => {
    vi.useFakeTimers();
    const exits: number[] = [];
    watchLogLost(
      { lostReason: () => 'gone' },
      {
        onLost: () => undefined,
        beforeExit: () => new Promise<void>(() => undefined),
        exit: (code) => exits.push(code),
        everyMs: 100,
        exitAfterMs: 2000,
      },
    );
    await vi.advanceTimersByTimeAsync(2100 + BEFORE_EXIT_MS - 10);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(exits).toEqual([LOG_LOST_EXIT_CODE]);

    const failing: number[] = [];
    watchLogLost(
      { lostReason: () => 'gone' },
      {
        onLost: () => undefined,
        beforeExit: () => Promise.reject(new Error('EROFS')),
        exit: (code) => failing.push(code),
        everyMs: 100,
        exitAfterMs: 2000,
      },
    );
    await vi.advanceTimersByTimeAsync(2100);
    expect(failing).toEqual([LOG_LOST_EXIT_CODE]);
  });
});
