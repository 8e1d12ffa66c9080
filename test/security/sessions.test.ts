import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccount } from '@lagesbild/shared';
import { z } from 'zod';
import { onHub, signIn, type ApiClient } from '../support/api-client.js';
import { call, serverDisconnect } from '../support/admin.js';
import { activate, logEntry } from '../support/commands.js';
import { RELAXED_LIMITS, removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { FoldingClient } from '../support/socket-client.js';

const PASSWORD = 'Kaffe och bullar klockan tre';

/** What the hub answers a socket that presents `cookie`: connected, or the refusal's code. */
async function socketOutcome(url: string, cookie: string): Promise<string> {
  const client = new FoldingClient(url, cookie);
  const outcome = await new Promise<string>((resolve) => {
    client.socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
      resolve(error.data?.code ?? error.message),
    );
    client.socket.once('sync.hello', () => resolve('connected'));
  });
  client.close();
  return outcome;
}

/** The status of reading the picture with a client's cookie: 200 signed in, 401 not. */
const sessionStatus = async (client: ApiClient) => (await client.raw('/api/state')).status;

/** Creates an account through the admin API and signs it in. */
async function person(admin: ApiClient, baseUrl: string, username: string, functionIds: string[]) {
  const created = await call(admin, 'POST', '/api/admin/accounts', {
    username,
    name: `Person ${username}`,
    actorId: 'nacka',
    functionIds,
    password: PASSWORD,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const account = AdminAccount.parse(created.body.data);
  return { account, client: await signIn(baseUrl, username, PASSWORD) };
}

describe('sessions of an embedded hub across a crash', () => {
  const hubs: HubProcess[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.kill();
    for (const hub of hubs) removeDataDir(hub);
  });

  it('keeps everyone signed in through SIGKILL and restart: HTTP, socket and catch-up; sign-outs stay out', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const nacka = await signIn(hub.url, 'tib.nacka');
    const signedOut = await signIn(hub.url, 'tib.polisen');
    expect((await call(signedOut, 'DELETE', '/api/session')).status).toBe(200);
    const page = new FoldingClient(hub.url, nacka.cookie);
    await page.connected();
    const dropped = serverDisconnect(page, 30_000);

    await hub.kill('SIGKILL');
    await dropped;
    const restarted = await hub.restart();
    hubs.push(restarted);

    // The same cookie and CSRF token, nobody signing in again.
    expect(await sessionStatus(nacka)).toBe(200);
    expect((await lead.command(logEntry('After the restart'))).status).toBe(200);
    // The open page reconnects by itself and receives the next activation.
    const activation = activate({ title: 'Storm after restart' });
    expect((await lead.command(activation)).status).toBe(200);
    await page.waitFor(
      () => page.state.incidents[activation.payload.incidentId]?.status === 'active',
      30_000,
    );
    page.close();
    expect(await socketOutcome(restarted.url, nacka.cookie)).toBe('connected');

    expect(await sessionStatus(signedOut)).toBe(401);
    expect(await socketOutcome(restarted.url, signedOut.cookie)).toBe('unauthenticated');
  });

  it('keeps an expired session expired after a restart', async () => {
    const lifetimeMs = 6000;
    const hub = await startHub({ env: { SESSION_TTL_HOURS: String(lifetimeMs / 3600_000) } });
    hubs.push(hub);
    const signedInAt = Date.now();
    const nacka = await signIn(hub.url, 'tib.nacka');
    expect(await sessionStatus(nacka)).toBe(200);
    await hub.kill('SIGKILL');
    // Time itself is what the test waits for: the session's whole lifetime.
    await sleep(Math.max(0, signedInAt + lifetimeMs + 500 - Date.now()));
    const restarted = await hub.restart();
    hubs.push(restarted);
    expect(await sessionStatus(nacka)).toBe(401);
    expect(await socketOutcome(restarted.url, nacka.cookie)).toBe('unauthenticated');
  });
});

describe('an account that loses rights loses its sessions (embedded hub)', () => {
  let hub: HubProcess;
  let admin: ApiClient;
  beforeAll(async () => {
    hub = await startHub();
    admin = await signIn(hub.url, 'admin.lansstyrelsen');
  });
  afterAll(async () => {
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  it('refuses the old cookie after the account is disabled and enabled again, on HTTP and the socket', async () => {
    const { account, client } = await person(admin, hub.url, 'disa.nacka', ['dutyOfficer']);
    const page = new FoldingClient(hub.url, client.cookie);
    await page.connected();
    const dropped = serverDisconnect(page);
    const path = `/api/admin/accounts/${account.id}`;
    expect((await call(admin, 'PATCH', path, { disabled: true })).status).toBe(200);
    expect((await dropped).reason).toBe('io server disconnect');
    expect((await call(admin, 'PATCH', path, { disabled: false })).status).toBe(200);
    page.close();

    expect(await sessionStatus(client)).toBe(401);
    expect(await socketOutcome(hub.url, client.cookie)).toBe('unauthenticated');
    // Signing in again works, and the revocation survives a crash.
    const again = await signIn(hub.url, 'disa.nacka', PASSWORD);
    expect(await sessionStatus(again)).toBe(200);
    await hub.kill('SIGKILL');
    hub = await hub.restart();
    expect(await sessionStatus(client)).toBe(401);
    expect(await sessionStatus(again)).toBe(200);
  });

  it('refuses the old cookie after the account loses a function', async () => {
    const { account, client } = await person(admin, hub.url, 'funk.nacka', ['dutyOfficer', 'viewer']);
    const other = await signIn(hub.url, 'tib.nacka');
    expect(
      (await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { functionIds: ['viewer'] })).status,
    ).toBe(200);
    expect(await sessionStatus(client)).toBe(401);
    expect(await socketOutcome(hub.url, client.cookie)).toBe('unauthenticated');
    // Nobody else is signed out.
    expect(await sessionStatus(other)).toBe(200);
    const again = await signIn(hub.url, 'funk.nacka', PASSWORD);
    expect(again.session.functionIds).toEqual(['viewer']);
  });

  it('refuses the old cookie after the account moves to another actor', async () => {
    const { account, client } = await person(admin, hub.url, 'flytt.nacka', ['viewer']);
    expect(
      (await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { actorId: 'polisen' })).status,
    ).toBe(200);
    expect(await sessionStatus(client)).toBe(401);
    expect(await socketOutcome(hub.url, client.cookie)).toBe('unauthenticated');
  });

  it('keeps the sessions of an account that gains a function, with the new rights', async () => {
    const { account, client } = await person(admin, hub.url, 'natt.nacka', ['viewer']);
    const page = new FoldingClient(hub.url, client.cookie);
    await page.connected();
    const dropped = serverDisconnect(page);
    expect(
      (
        await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, {
          functionIds: ['viewer', 'dutyOfficer'],
        })
      ).status,
    ).toBe(200);
    // The socket is dropped so it reconnects (as the app does) with the new rights, on the same session.
    await dropped;
    page.socket.connect();
    await page.connected();
    expect((await page.send(logEntry('Night shift took over'))).ok).toBe(true);
    page.close();
    expect(await sessionStatus(client)).toBe(200);
  });
});

describe('an account that loses rights loses its sessions on every hub (Redis)', () => {
  let redis: RedisServer;
  let hubA: HubProcess;
  let hubB: HubProcess;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, ...RELAXED_LIMITS };
    [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([hubA?.kill(), hubB?.kill()]);
    await redis?.stop();
  });

  it('refuses on the other hub the old cookie of an account disabled and enabled again', async () => {
    const admin = await signIn(hubA.url, 'admin.lansstyrelsen');
    const { account, client } = await person(admin, hubA.url, 'disa.nacka', ['dutyOfficer']);
    const onB = onHub(client, hubB.url);
    const page = new FoldingClient(hubB.url, client.cookie);
    await page.connected();
    const dropped = serverDisconnect(page);
    const path = `/api/admin/accounts/${account.id}`;
    expect((await call(admin, 'PATCH', path, { disabled: true })).status).toBe(200);
    await dropped;
    expect((await call(admin, 'PATCH', path, { disabled: false })).status).toBe(200);
    page.close();
    // Hub B learns of the change from the log; wait until it has folded the enable.
    const adminOnB = onHub(admin, hubB.url);
    await expect
      .poll(async () => {
        const accounts = z
          .array(AdminAccount)
          .parse((await call(adminOnB, 'GET', '/api/admin/accounts')).body.data);
        return accounts.find((a) => a.id === account.id)?.disabled;
      })
      .toBe(false);

    expect(await sessionStatus(onB)).toBe(401);
    expect(await sessionStatus(client)).toBe(401);
    expect(await socketOutcome(hubB.url, client.cookie)).toBe('unauthenticated');
  });
});
