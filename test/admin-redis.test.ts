import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccount } from '@lagesbild/shared';
import { z } from 'zod';
import { onHub, signIn, type ApiClient } from './support/api-client.js';
import { call, runAdminCli, serverDisconnect, signInStatus } from './support/admin.js';
import { logEntry } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

const PASSWORD = 'Kaffe och bullar klockan tre';

/**
 * Directory changes made on one hub act on every hub: each folds the directory events from
 * the shared log and drops the sockets they concern.
 */
describe('directory changes across two hubs on one Redis', () => {
  let redis: RedisServer;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let adminA: ApiClient;
  const env = () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'admin-test:' });

  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
    [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env(), HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env(), HUB_ID: 'hub-b' } }),
    ]);
    adminA = await signIn(hubA.url, 'admin.lansstyrelsen');
  });
  afterAll(async () => {
    await Promise.all([hubA?.kill(), hubB?.kill()]);
    await redis?.stop();
  });

  async function person(username: string, functionIds: string[]) {
    const created = await call(adminA, 'POST', '/api/admin/accounts', {
      username,
      name: `Person ${username}`,
      actorId: 'nacka',
      functionIds,
      password: PASSWORD,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return AdminAccount.parse(created.body.data);
  }

  it('signing out on hub A disconnects the same session’s sockets on hub B', async () => {
    const onA = await signIn(hubA.url, 'tib.nacka');
    const socketB = new FoldingClient(hubB.url, onA.cookie);
    const socketA = new FoldingClient(hubA.url, onA.cookie);
    await Promise.all([socketA.connected(), socketB.connected()]);
    const other = await signIn(hubB.url, 'tib.nacka');
    const otherSocket = new FoldingClient(hubB.url, other.cookie);
    await otherSocket.connected();

    const droppedA = serverDisconnect(socketA);
    const droppedB = serverDisconnect(socketB);
    expect((await onA.raw('/api/session', { method: 'DELETE' })).status).toBe(200);
    const [a, b] = await Promise.all([droppedA, droppedB]);
    expect(a.reason).toBe('io server disconnect');
    expect(b.reason).toBe('io server disconnect');
    expect(await onHub(onA, hubB.url).signedIn()).toBe(false);

    // Another session of the same person stays.
    expect(otherSocket.socket.connected).toBe(true);
    expect((await otherSocket.send(logEntry('Still here'))).ok).toBe(true);
    otherSocket.close();
  });

  it('disabling an account on hub A drops its sockets on both hubs and refuses its next sign-in on B', async () => {
    const account = await person('disabled.nacka', ['dutyOfficer']);
    const client = await signIn(hubB.url, 'disabled.nacka', PASSWORD);
    const sockets = [new FoldingClient(hubA.url, client.cookie), new FoldingClient(hubB.url, client.cookie)];
    await Promise.all(sockets.map((s) => s.connected()));
    const dropped = sockets.map((s) => serverDisconnect(s));
    expect(
      (await call(adminA, 'PATCH', `/api/admin/accounts/${account.id}`, { disabled: true })).status,
    ).toBe(200);
    for (const drop of await Promise.all(dropped)) {
      expect(drop.reason).toBe('io server disconnect');
    }
    expect(await signInStatus(hubB.url, 'disabled.nacka', PASSWORD)).toBe(401);
    expect(await client.signedIn()).toBe(false);
  });

  it('revoking a function on hub A forbids the next command of that function on hub B', async () => {
    const account = await person('revoked.nacka', ['dutyOfficer', 'viewer']);
    const onB = await signIn(hubB.url, 'revoked.nacka', PASSWORD);
    expect((await onB.command(logEntry('Allowed'))).status).toBe(200);
    expect(
      (await call(adminA, 'PATCH', `/api/admin/accounts/${account.id}`, { functionIds: ['viewer'] })).status,
    ).toBe(200);
    // Hub B folds the change from the log within milliseconds; wait until it has.
    const changedAt = await headSeq(hubA);
    await waitUntil(async () => (await headSeq(hubB)) >= changedAt);
    // The old session ended with the function; signed in again, the account is refused it.
    expect((await onB.command(logEntry('Old session'))).status).toBe(401);
    const again = await signIn(hubB.url, 'revoked.nacka', PASSWORD);
    const refused = await again.command(logEntry('Refused'));
    expect({ status: refused.status, code: !refused.body.ok && refused.body.error.code }).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('the admin tool appends to Redis while the hubs run, and both hubs act on it', async () => {
    await person('cli.nacka', ['dutyOfficer']);
    const client = await signIn(hubA.url, 'cli.nacka', PASSWORD);
    const socket = new FoldingClient(hubB.url, client.cookie);
    await socket.connected();
    const dropped = serverDisconnect(socket);
    const result = await runAdminCli(['accounts', 'disable', 'cli.nacka'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('cli.nacka: disabled');
    expect((await dropped).reason).toBe('io server disconnect');
    expect(await signInStatus(hubA.url, 'cli.nacka', PASSWORD)).toBe(401);

    const listed = await runAdminCli(['accounts', 'list', '--json'], env());
    const accounts = AdminAccount.array().parse(JSON.parse(listed.stdout));
    expect(accounts.find((a) => a.username === 'cli.nacka')?.disabled).toBe(true);
    const audit = await call(adminA, 'GET', '/api/admin/audit?type=account.disable');
    expect(audit.body.data).toEqual([
      expect.objectContaining({ via: 'cli', outcome: 'ok', userId: 'admin-cli' }),
    ]);
  });
});

async function headSeq(hub: HubProcess): Promise<number> {
  const res = await fetch(`${hub.url}/healthz`);
  return z.object({ data: z.object({ headSeq: z.number() }) }).parse(await res.json()).data.headSeq;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
