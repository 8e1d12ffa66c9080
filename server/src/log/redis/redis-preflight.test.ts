import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startRedis,
  type RedisServer,
  type RedisServerOptions,
} from '../../../../test/support/redis-server.js';
import { checkRedis, redactUrl, TRUST_DURABILITY_SETTING } from './redis-preflight.js';

describe('checkRedis', () => {
  const servers: RedisServer[] = [];
  const redisWith = async (options: RedisServerOptions) => {
    const server = await startRedis(options);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('accepts Redis with AOF and appendfsync always', async () => {
    const server = await redisWith({ appendfsync: 'always' });
    expect(await checkRedis(server.url, 'always')).toBeNull();
  });

  it('refuses Redis without the append-only file', async () => {
    const server = await redisWith({ appendonly: 'no' });
    expect(await checkRedis(server.url, 'always')).toMatch(/appendonly no.*Set "appendonly yes"/s);
  });

  it('refuses appendfsync everysec when always is required, and accepts it when everysec is', async () => {
    const server = await redisWith({ appendfsync: 'everysec' });
    expect(await checkRedis(server.url, 'always')).toMatch(
      /appendfsync everysec, but the hub requires always/,
    );
    expect(await checkRedis(server.url, 'everysec')).toBeNull();
  });

  it('refuses appendfsync no whatever is required', async () => {
    const server = await redisWith({ appendfsync: 'no' });
    expect(await checkRedis(server.url, 'everysec')).toMatch(/appendfsync no, but the hub requires everysec/);
  });

  it('refuses a memory limit that lets Redis evict keys', async () => {
    const server = await redisWith({
      extraArgs: ['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru'],
    });
    expect(await checkRedis(server.url, 'always')).toMatch(/maxmemory-policy allkeys-lru.*noeviction/s);
  });

  it('explains a Redis that forbids CONFIG GET, and how to accept it anyway', async () => {
    const server = await redisWith({ extraArgs: ['--rename-command', 'CONFIG', ''] });
    const message = await checkRedis(server.url, 'always');
    expect(message).toContain('does not allow CONFIG GET');
    expect(message).toContain(TRUST_DURABILITY_SETTING);
    expect(await checkRedis(server.url, 'always', { trustUnverifiableDurability: true })).toBeNull();
  });

  it('says clearly when Redis cannot be reached, and quickly', async () => {
    const port = await closedPort();
    const started = Date.now();
    const message = await checkRedis(`redis://:hemligt@127.0.0.1:${port}`, 'always', { timeoutMs: 1000 });
    expect(message).toMatch(new RegExp(`Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
    expect(message).not.toContain('hemligt');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never prints the password of a URL', () => {
    expect(redactUrl('redis://user:secret@redis.example:6380/2')).toBe(
      'redis://user:***@redis.example:6380/2',
    );
  });
});

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
