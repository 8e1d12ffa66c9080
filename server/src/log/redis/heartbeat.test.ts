import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogSink } from '../log-sink.js';
import { HEARTBEAT_EVERY_MS, RedisHeartbeat, STALE_AFTER_MS, idBefore } from './heartbeat.js';
import type { RenewableClient } from './bounded-redis.js';

afterEach(() => vi.useRealTimers());

const KEY = 'lagesbild:heartbeat';

/** A client that records what it is asked, and answers beats (or not) as the test says. */
function fakeClient() {
  const client = {
    isOpen: true,
    isReady: true,
    answering: true,
    beats: 0,
    renewals: 0,
    sendCommand: (args: string[]) => {
      if (args[0] === 'XADD') client.beats++;
      // Ids as Redis gives them: its clock's ms, then a sequence within that ms.
      return client.answering
        ? Promise.resolve(`1700000000000-${client.beats}`)
        : new Promise<unknown>(() => undefined);
    },
    connect: () => {
      client.renewals++;
      client.isOpen = true;
      return Promise.resolve();
    },
    destroy: () => {
      client.isOpen = false;
    },
    close: () => Promise.resolve(),
  };
  return client satisfies RenewableClient;
}

function beatOf(writer: string, hub: string, id: string): [string, string[]] {
  return [id, ['w', writer, 'h', hub]];
}

function heartbeat(client = fakeClient()) {
  const beat = new RedisHeartbeat({ key: KEY, writer: 'me', hub: 'hub-a', client, logger: silentLogSink });
  return { beat, client };
}

describe('RedisHeartbeat', () => {
  it('takes the beats out of a tail read and leaves the events, in either reply shape', () => {
    const { beat } = heartbeat();
    const events: [string, string[]][] = [['7-0', ['e', '{}']]];
    const resp2 = [
      ['lagesbild:events', events],
      [KEY, [beatOf('other', 'hub-b', '100-0')]],
    ];
    expect(beat.take(resp2)).toEqual([['lagesbild:events', events]]);
    expect(beat.readArgs()).toEqual({ key: KEY, after: '100-0' });
    expect(beat.take({ [KEY]: [beatOf('me', 'hub-a', '101-0')] })).toBeNull();
    expect(beat.readArgs().after).toBe('101-0');
    expect(beat.take(null)).toBeNull();
  });

  it('stays live while its own beats come back, and turns stale since the last one when they stop', () => {
    vi.useFakeTimers();
    const { beat } = heartbeat();
    beat.start();
    for (let i = 1; i <= 5; i++) {
      vi.advanceTimersByTime(HEARTBEAT_EVERY_MS);
      beat.take([[KEY, [beatOf('me', 'hub-a', `${i}-0`)]]]);
      expect(beat.contact()).toEqual({ state: 'live' });
    }
    const lastHeard = Date.now();
    // Only other hubs' beats arrive: they do not prove that this hub's writes get through.
    vi.advanceTimersByTime(STALE_AFTER_MS);
    beat.take([[KEY, [beatOf('other', 'hub-b', '9-0')]]]);
    expect(beat.contact()).toEqual({ state: 'live' });
    vi.advanceTimersByTime(1);
    expect(beat.contact()).toEqual({ state: 'stale', since: lastHeard });
    expect(beat.peers()).toEqual([{ hub: 'hub-b', lastSeenMsAgo: 1 }]);
    beat.take([[KEY, [beatOf('me', 'hub-a', '10-0')]]]);
    expect(beat.contact()).toEqual({ state: 'live' });
    beat.stop();
  });

  it('opens a new connection when a beat goes unanswered, as in a blackhole', async () => {
    vi.useFakeTimers();
    const { beat, client } = heartbeat();
    beat.start();
    expect(client.beats).toBe(1);
    client.answering = false;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
    expect(client.renewals).toBe(0);
    // The unanswered beat times out, and the connection is renewed; beats resume on it.
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_EVERY_MS);
    expect(client.renewals).toBe(1);
    client.answering = true;
    const before = client.beats;
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_EVERY_MS);
    expect(client.beats).toBeGreaterThan(before);
    beat.stop();
  });

  it('reads its first beat back even when every tail read returns at once with events', async () => {
    vi.useFakeTimers();
    const { beat } = heartbeat();
    beat.start();
    // The first beat's id is known once Redis answers: the tail reads from just before it,
    // not after `$`, which an XREAD that returns at once with events would never get past.
    await vi.advanceTimersByTimeAsync(0);
    expect(beat.readArgs()).toEqual({ key: KEY, after: '1700000000000-0' });
    for (let i = 2; i <= 5; i++) {
      await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
      // Busy: every read brings events, and the beats written since along with them.
      const events: [string, string[]] = [`${i}-0`, ['e', '{}']];
      beat.take([
        ['lagesbild:events', [events]],
        [KEY, [beatOf('me', 'hub-a', `1700000000000-${i - 1}`)]],
      ]);
      expect(beat.contact()).toEqual({ state: 'live' });
      expect(beat.readArgs().after).toBe(`1700000000000-${i - 1}`);
    }
    beat.stop();
  });

  it('names the stream id just before another', () => {
    expect(idBefore('1700000000000-5')).toBe('1700000000000-4');
    expect(idBefore('1700000000000-0')).toBe('1699999999999-18446744073709551615');
    expect(idBefore('0-0')).toBe('0-0');
    expect(idBefore('OK')).toBe('$');
  });

  it('says live before a tail reads the beats, and writes none', () => {
    vi.useFakeTimers();
    const { beat, client } = heartbeat();
    vi.advanceTimersByTime(10 * HEARTBEAT_EVERY_MS);
    expect(beat.contact()).toEqual({ state: 'live' });
    expect(client.beats).toBe(0);
  });
});
