import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CommandLimiter, TokenBuckets, TrustedProxies } from './rate-limits.js';

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
  const request = (remoteAddress: string, forwarded?: string, proto?: string) =>
    ({
      socket: { remoteAddress },
      headers: {
        ...(forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }),
        ...(proto === undefined ? {} : { 'x-forwarded-proto': proto }),
      },
    }) as unknown as IncomingMessage;
  /** The local nginx and a private load balancer network in front of it. */
  const proxies = new TrustedProxies(['127.0.0.1', '10.0.0.0/24']);

  it.each([
    ['a direct client', request('203.0.113.9'), '203.0.113.9'],
    ['a direct client that claims another address', request('203.0.113.9', '198.51.100.1'), '203.0.113.9'],
    ['a client behind the local nginx', request('127.0.0.1', '198.51.100.1'), '198.51.100.1'],
    [
      'a client behind two trusted proxies',
      request('::ffff:10.0.0.2', '198.51.100.1, 10.0.0.7'),
      '198.51.100.1',
    ],
    ['a spoofed hop before a real one', request('10.0.0.2', '1.1.1.1, 198.51.100.1'), '198.51.100.1'],
    [
      'a private address that is not a configured proxy',
      request('192.168.1.5', '198.51.100.1'),
      '192.168.1.5',
    ],
    [
      'a client whose nonsense hop lies beyond an untrusted one',
      request('127.0.0.1', 'junk, 198.51.100.1'),
      '198.51.100.1',
    ],
  ])('is found for %s', (_name, req, expected) => {
    expect(proxies.resolve(req)).toEqual({ ok: true, address: expected });
    expect(proxies.clientAddress(req)).toBe(expected);
  });

  it('is refused when a trusted proxy forwards something that is not an address', () => {
    for (const hop of ['unknown', '198.51.100.1:4711', '[2001:db8::1]', '<script>']) {
      expect(proxies.resolve(request('127.0.0.1', hop))).toEqual({ ok: false, badHop: hop });
    }
    // From an untrusted peer the header is ignored, whatever it holds.
    expect(proxies.resolve(request('203.0.113.9', 'unknown'))).toEqual({ ok: true, address: '203.0.113.9' });
  });

  it('trusts nobody by default, not even loopback or private networks', () => {
    const none = new TrustedProxies([]);
    expect(['127.0.0.1', '::1', '10.2.3.4', '192.168.0.1', 'fd00::1'].some((a) => none.isTrusted(a))).toBe(
      false,
    );
    expect(none.clientAddress(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('trusts exactly the configured addresses and networks', () => {
    const trusted = new TrustedProxies(['172.28.0.10', '10.0.0.0/24', 'fd00::/8']);
    expect(
      ['172.28.0.10', '::ffff:172.28.0.10', '10.0.0.255', 'fd12::1'].every((a) => trusted.isTrusted(a)),
    ).toBe(true);
    expect(['172.28.0.11', '10.0.1.0', '127.0.0.1', 'not-an-ip', ''].some((a) => trusted.isTrusted(a))).toBe(
      false,
    );
  });

  it('takes the scheme from X-Forwarded-Proto only from a trusted proxy', () => {
    expect(proxies.protocol(request('127.0.0.1', undefined, 'https'))).toBe('https');
    expect(proxies.protocol(request('127.0.0.1', undefined, 'HTTPS, http'))).toBe('https');
    expect(proxies.protocol(request('203.0.113.9', undefined, 'https'))).toBe('http');
    expect(proxies.protocol(request('127.0.0.1'))).toBe('http');
  });
});
