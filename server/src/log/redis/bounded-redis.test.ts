import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogSink } from '../log-sink.js';
import { boundedCommands, RedisUnreachableError, type RenewableClient } from './bounded-redis.js';

afterEach(() => vi.useRealTimers());

/** A client behind a blackhole until `heal()`: connections open, nothing is answered. */
function partitionedClient() {
  let cut = true;
  const client = {
    isOpen: true,
    get isReady() {
      return client.isOpen && !cut;
    },
    connects: 0,
    sendCommand: () => (cut ? new Promise<unknown>(() => undefined) : Promise.resolve('OK')),
    connect: () => {
      client.connects++;
      client.isOpen = true;
      return cut ? new Promise<unknown>(() => undefined) : Promise.resolve();
    },
    destroy: () => {
      client.isOpen = false;
    },
    close: () => Promise.resolve(),
    heal: () => {
      cut = false;
    },
  };
  return client satisfies RenewableClient;
}

describe('boundedCommands', () => {
  it('fails a call that gets no answer within the bound, then fails at once until Redis answers again', async () => {
    vi.useFakeTimers();
    const client = partitionedClient();
    const redis = boundedCommands(client, 2000, silentLogSink);
    const first = redis.send(['GET', 'session']);
    const refused = expect(first).rejects.toThrow(RedisUnreachableError);
    await vi.advanceTimersByTimeAsync(2000);
    await refused;
    expect(redis.ready()).toBe(false);
    // The renewal cannot connect through the blackhole: calls meanwhile do not wait.
    await vi.advanceTimersByTimeAsync(2000);
    await expect(redis.send(['GET', 'session'])).rejects.toThrow('unreachable');

    client.heal();
    await vi.advanceTimersByTimeAsync(5000);
    expect(redis.ready()).toBe(true);
    await expect(redis.send(['GET', 'session'])).resolves.toBe('OK');
    expect(client.connects).toBeGreaterThanOrEqual(2);
    await redis.close();
  });
});
