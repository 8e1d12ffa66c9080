import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CommandLimiter, TokenBuckets, clientAddress, isTrustedProxy } from './rate-limits.js';

const takeMany = (take: () => { ok: boolean }, n: number) =>
  Array.from({ length: n }, take).filter((t) => t.ok).length;

describe('token buckets', () => {
  it('allow the burst at once, then the sustained rate', () => {
    let clock = 0;
    const buckets = new TokenBuckets({ perSecond: 20, burst: 60 }, () => clock);
    expect(takeMany(() => buckets.take('anna'), 100)).toBe(60);
    const refused = buckets.take('anna');
    expect(refused).toEqual({ ok: false, retryAfterMs: 50 });
    clock += 1000;
    expect(takeMany(() => buckets.take('anna'), 100)).toBe(20);
    clock += 60_000;
    expect(takeMany(() => buckets.take('anna'), 100)).toBe(60);
  });
});

describe('the command limiter', () => {
  const limits = {
    commandsPerUser: { perSecond: 20, burst: 60 },
    commandsPerIp: { perSecond: 100, burst: 150 },
  };

  it('throttles a flooding user while another user at the same address goes through', () => {
    const limiter = new CommandLimiter(limits, () => 0);
    expect(takeMany(() => limiter.take('flooder', '10.1.1.1'), 1000)).toBe(60);
    expect(takeMany(() => limiter.take('duty-officer', '10.1.1.1'), 10)).toBe(10);
  });

  it('throttles many users behind one address at the address limit, without charging them for it', () => {
    const limiter = new CommandLimiter(limits, () => 0);
    let n = 0;
    expect(takeMany(() => limiter.take(['a', 'b', 'c'][n++ % 3] ?? 'a', '10.1.1.1'), 150)).toBe(150);
    expect(limiter.take('a', '10.1.1.1').ok).toBe(false);
    // The refused command did not use a's own allowance: from another address a still has it.
    const fresh = new CommandLimiter(limits, () => 0);
    expect(takeMany(() => fresh.take('a', '10.2.2.2'), 60)).toBe(60);
  });
});

describe('the client address', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    }) as unknown as IncomingMessage;

  it.each([
    ['a direct client', request('203.0.113.9'), '203.0.113.9'],
    ['a direct client that claims another address', request('203.0.113.9', '198.51.100.1'), '203.0.113.9'],
    ['a client behind the local nginx', request('127.0.0.1', '198.51.100.1'), '198.51.100.1'],
    [
      'a client behind two private proxies',
      request('::ffff:10.0.0.2', '198.51.100.1, 192.168.1.5'),
      '198.51.100.1',
    ],
    ['a spoofed hop before a real one', request('10.0.0.2', '1.1.1.1, 198.51.100.1'), '198.51.100.1'],
  ])('is found for %s', (_name, req, expected) => {
    expect(clientAddress(req)).toBe(expected);
  });

  it('trusts only loopback and private networks as proxies', () => {
    expect(
      ['127.0.0.1', '::1', '10.2.3.4', '172.20.0.1', '192.168.0.1', 'fd00::1', '::ffff:127.0.0.1'].every(
        isTrustedProxy,
      ),
    ).toBe(true);
    expect(['8.8.8.8', '172.32.0.1', '2001:db8::1', 'not-an-ip', ''].some(isTrustedProxy)).toBe(false);
  });
});
