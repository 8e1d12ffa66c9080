import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectErrorData, DevicePairing, StateResponse, envelope, type State } from '@lagesbild/shared';
import { signIn, type ApiClient } from './support/api-client.js';
import { asDevice, call, pair, serverDisconnect, type PairedDevice } from './support/admin.js';
import { activate, logEntry, report } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

const texts = (state: State) =>
  Object.values(state.logEntries)
    .map((e) => e.text)
    .sort();

/**
 * Wall displays: issued by an admin, paired with a one-time code, read-only, see only what
 * is shared with the whole region, and are cut off on every hub when revoked.
 */
describe('wall display devices on two hubs', () => {
  let redis: RedisServer;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let admin: ApiClient;
  let lead: ApiClient;
  let nacka: ApiClient;
  let incidentId: string;

  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'devices-test:' };
    [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
    admin = await signIn(hubA.url, 'admin.lansstyrelsen');
    lead = await signIn(hubA.url, 'tib.lansstyrelsen');
    nacka = await signIn(hubB.url, 'tib.nacka');
    const incident = activate();
    incidentId = incident.payload.incidentId;
    expect((await lead.command(incident)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([hubA?.kill(), hubB?.kill()]);
    await redis?.stop();
  });

  const issue = async (name: string) => {
    const answer = await call(admin, 'POST', '/api/admin/devices', { name, views: ['wall'] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return DevicePairing.parse(answer.body.data);
  };

  const paired = async (baseUrl: string, code: string): Promise<PairedDevice> => {
    const result = await pair(baseUrl, code);
    if (!('info' in result)) throw new Error(`pairing failed: ${result.code}`);
    return result;
  };

  /** One region-wide and one Nacka-only log entry, plus a Nacka-only report. */
  const postBoth = async (label: string) => {
    for (const command of [
      logEntry(`${label}: for everyone`),
      logEntry(`${label}: Nacka only`, { sharing: { scope: 'own' } }),
      logEntry(`${label}: Nacka and Polisen`, { sharing: { scope: 'actors', actorIds: ['polisen'] } }),
      report(incidentId, { sharing: { scope: 'own' } }),
    ]) {
      expect((await nacka.command(command)).status).toBe(200);
    }
  };

  it('pairs a display with the code once (typed loosely, on another hub), then refuses the code', async () => {
    const pairing = await issue('Wall, crisis room');
    const typed = `${pairing.pairingCode.slice(0, 4).toLowerCase()}-${pairing.pairingCode.slice(4)}`;
    const device = await paired(hubB.url, typed);
    expect(device.info.device).toEqual({ id: pairing.device.id, name: 'Wall, crisis room', views: ['wall'] });
    expect(device.cookie).toMatch(/^lagesbild_session=/);
    expect(device.deviceCookie).toMatch(/^lagesbild_device=/);
    expect(await pair(hubA.url, pairing.pairingCode)).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await pair(hubA.url, 'ABCD2345')).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await pair(hubA.url, 'short')).toEqual({ status: 400, code: 'bad_request' });

    const info = await asDevice(hubA.url, device, '/api/device');
    expect(info.status).toBe(200);
    const listed = await call(admin, 'GET', '/api/admin/devices');
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: pairing.device.id, paired: true }));
    // A display is nobody: the routes of a person refuse it.
    const probe = await asDevice(hubA.url, device, '/api/session');
    expect(probe.status).toBe(200);
    expect(await probe.json()).toEqual({ ok: true, data: { signedIn: false } });
    expect((await asDevice(hubA.url, device, '/api/admin/devices')).status).toBe(401);
  });

  it('shows a display only what is shared with the whole region: snapshot, catch-up, live and HTTP', async () => {
    const device = await paired(hubA.url, (await issue('Wall, lobby')).pairingCode);
    await postBoth('Before');

    const wall = new FoldingClient(hubA.url, device.cookie);
    await wall.connected();
    await wall.waitFor(() => wall.snapshots === 1);
    expect(texts(wall.state)).toEqual(['Before: for everyone']);
    expect(Object.keys(wall.state.reports)).toEqual([]);
    wall.close();

    // Catch-up from where it left off, on the other hub.
    await postBoth('While away');
    const again = new FoldingClient(hubB.url, device.cookie, {
      lastSeq: wall.lastSeq,
      epoch: wall.epoch ?? '',
      state: wall.state,
    });
    await again.connected();
    const head = (await nacka.state()).seq;
    await again.waitForSeq(head);
    expect(again.snapshots).toBe(0);
    expect(texts(again.state)).toEqual(['Before: for everyone', 'While away: for everyone']);

    // Live.
    await postBoth('Live');
    await again.waitForSeq((await nacka.state()).seq);
    expect(texts(again.state)).toEqual([
      'Before: for everyone',
      'Live: for everyone',
      'While away: for everyone',
    ]);
    expect(Object.keys(again.state.reports)).toEqual([]);
    again.close();

    // The same projection over HTTP.
    const res = await asDevice(hubB.url, device, '/api/state');
    const body = envelope(StateResponse).parse(await res.json());
    expect(body.ok && texts(body.data.state)).toEqual(texts(again.state));
    const events = await (await asDevice(hubB.url, device, '/api/events?after=0')).text();
    expect(events).not.toContain('Nacka only');
    expect(events).not.toContain('Nacka and Polisen');
  });

  it('refuses every command from a display as forbidden, by socket and HTTP', async () => {
    const device = await paired(hubA.url, (await issue('Wall, read only')).pairingCode);
    const wall = new FoldingClient(hubB.url, device.cookie);
    await wall.connected();
    const ack = await wall.send(logEntry('A wall trying to write'));
    expect(!ack.ok && ack.error.code).toBe('forbidden');
    const http = await asDevice(hubA.url, device, '/api/commands', {
      method: 'POST',
      body: JSON.stringify(logEntry('A wall trying HTTP')),
    });
    expect(http.status).toBe(403);
    wall.close();
    const audit = await call(admin, 'GET', `/api/admin/audit?outcome=forbidden&limit=1000`);
    const deviceRefusals = (audit.body.data as { deviceId: string | null }[]).filter(
      (r) => r.deviceId === device.info.device.id,
    );
    expect(deviceRefusals).toHaveLength(2);
  });

  it('renews a display’s session with its device cookie', async () => {
    const device = await paired(hubA.url, (await issue('Wall, renewing')).pairingCode);
    const renewed = await fetch(`${hubB.url}/api/devices/session`, {
      method: 'POST',
      headers: { cookie: device.deviceCookie },
    });
    expect(renewed.status).toBe(200);
    const cookie = renewed.headers.getSetCookie().find((c) => c.startsWith('lagesbild_session='));
    expect(cookie).toBeDefined();
    const forged = await fetch(`${hubB.url}/api/devices/session`, {
      method: 'POST',
      headers: { cookie: `${device.deviceCookie.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);
  });

  it('revoking a display disconnects it on every hub and keeps it out', async () => {
    const device = await paired(hubA.url, (await issue('Wall, to revoke')).pairingCode);
    const walls = [new FoldingClient(hubA.url, device.cookie), new FoldingClient(hubB.url, device.cookie)];
    await Promise.all(walls.map((w) => w.connected()));
    const dropped = walls.map((w) => serverDisconnect(w));

    const revoked = await call(admin, 'DELETE', `/api/admin/devices/${device.info.device.id}`);
    expect(revoked.status).toBe(200);
    for (const drop of await Promise.all(dropped)) {
      expect(drop.reason).toBe('io server disconnect');
    }

    const refusal = new Promise<string>((resolve) => {
      const retry = new FoldingClient(hubB.url, device.cookie);
      retry.socket.once('connect_error', (error) => {
        retry.close();
        resolve(ConnectErrorData.parse((error as Error & { data?: unknown }).data).code);
      });
    });
    expect(await refusal).toBe('unauthenticated');
    expect((await asDevice(hubB.url, device, '/api/device')).status).toBe(401);
    const renew = await fetch(`${hubA.url}/api/devices/session`, {
      method: 'POST',
      headers: { cookie: device.deviceCookie },
    });
    expect(renew.status).toBe(401);
  });
});
