import type { HubStatus } from '@lagesbild/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogContact } from '../log/event-log.js';
import { logStatus, watchLogHealth, type WatchedLog } from './log-health.js';

afterEach(() => vi.useRealTimers());

/** A log whose health, contact and loss the test sets. */
function fakeLog() {
  const log = {
    healthy: true,
    contactNow: { state: 'live' } as LogContact,
    lost: null as string | null,
    isHealthy: () => log.healthy,
    contact: () => log.contactNow,
    lostReason: () => log.lost,
  };
  return log satisfies WatchedLog;
}

const live = { canStore: true, picture: { state: 'live' } };

describe('logStatus', () => {
  it('says a log in contact is live, and whether it can store', () => {
    const log = fakeLog();
    expect(logStatus(log)).toEqual(live);
    log.healthy = false;
    expect(logStatus(log)).toEqual({ canStore: false, picture: { state: 'live' } });
  });

  it('says since when a log out of contact may be stale, on the log’s clock', () => {
    const log = fakeLog();
    log.contactNow = { state: 'stale', since: Date.UTC(2025, 2, 1, 7, 42) };
    const logIsOneMinuteBehind = (ms: number) => ms - 60_000;
    expect(logStatus(log, logIsOneMinuteBehind)).toEqual({
      canStore: false,
      picture: { state: 'stale', since: '2025-03-01T07:41:00.000Z' },
    });
  });

  it('says a lost log is lost, whatever its contact', () => {
    const log = fakeLog();
    log.contactNow = { state: 'stale', since: 0 };
    log.lost = 'Redis holds another log (epoch 7f3a) than the one this hub opened';
    expect(logStatus(log)).toEqual({ canStore: false, picture: { state: 'lost', reason: 'log_lost' } });
  });

  it('gives clients a fixed reason for a lost log, never the log’s own (it names server files)', () => {
    const log = fakeLog();
    log.lost = '/var/lib/lagesbild/meta.json changed under the hub: the journal was replaced';
    const status = logStatus(log);
    expect(status.picture).toEqual({ state: 'lost', reason: 'log_lost' });
    expect(JSON.stringify(status)).not.toContain('/var/lib');
  });

  it('calls a local log without a contact watch live', () => {
    expect(logStatus({ isHealthy: () => true, lostReason: () => null })).toEqual(live);
  });
});

describe('watchLogHealth', () => {
  it('reports each change of the status once, and nothing while it stays the same', () => {
    vi.useFakeTimers();
    const log = fakeLog();
    const changes: HubStatus[] = [];
    const stop = watchLogHealth(log, (s) => changes.push(s), { everyMs: 100 });
    vi.advanceTimersByTime(300);
    log.healthy = false;
    vi.advanceTimersByTime(300);
    log.healthy = true;
    vi.advanceTimersByTime(100);
    const since = Date.now();
    log.contactNow = { state: 'stale', since };
    vi.advanceTimersByTime(300);
    log.contactNow = { state: 'live' };
    vi.advanceTimersByTime(100);
    expect(changes).toEqual([
      { canStore: false, picture: { state: 'live' } },
      live,
      { canStore: false, picture: { state: 'stale', since: new Date(since).toISOString() } },
      live,
    ]);
    stop();
    log.healthy = false;
    vi.advanceTimersByTime(1000);
    expect(changes).toHaveLength(4);
  });

  it('does not call the picture stale on a tick that comes late after the event loop was blocked', () => {
    vi.useFakeTimers();
    const log = fakeLog();
    const changes: HubStatus[] = [];
    const stop = watchLogHealth(log, (s) => changes.push(s), { everyMs: 100 });
    // The loop was blocked for 3 s: the beats read meanwhile are still waiting to be handled.
    log.contactNow = { state: 'stale', since: Date.now() };
    vi.setSystemTime(Date.now() + 3000);
    vi.advanceTimersByTime(100);
    expect(changes).toEqual([]);
    // Handled on the next turn, the beats bring the contact back: nothing was ever stale.
    log.contactNow = { state: 'live' };
    vi.advanceTimersByTime(100);
    expect(changes).toEqual([]);
    stop();
  });

  it('announces at once a status that is not all well when the hub starts, so new sockets hear it', () => {
    vi.useFakeTimers();
    const log = fakeLog();
    log.healthy = false;
    const changes: HubStatus[] = [];
    const stop = watchLogHealth(log, (s) => changes.push(s), { everyMs: 100 });
    expect(changes).toEqual([{ canStore: false, picture: { state: 'live' } }]);
    vi.advanceTimersByTime(300);
    expect(changes).toHaveLength(1);
    stop();

    // A hub that starts well says nothing until something changes.
    const quiet: HubStatus[] = [];
    watchLogHealth(fakeLog(), (s) => quiet.push(s), { everyMs: 100 })();
    expect(quiet).toEqual([]);
  });
});
