import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccount, SESSION_COOKIE } from '@lagesbild/shared';
import { buildAcknowledgeCommand } from '@lagesbild/shared/test-factories';
import { z } from 'zod';
import { signIn, type ApiClient } from './support/api-client.js';
import { call, serverDisconnect, signInStatus } from './support/admin.js';
import { activate, logEntry } from './support/commands.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

const PASSWORD = 'Kaffe och bullar klockan tre';

describe('the admin API', () => {
  let hub: HubProcess;
  let admin: ApiClient;
  let nacka: ApiClient;

  beforeAll(async () => {
    hub = await startHub();
    admin = await signIn(hub.url, 'admin.lansstyrelsen');
    nacka = await signIn(hub.url, 'tib.nacka');
  });
  afterAll(async () => {
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  const headSeq = async () => {
    const res = await fetch(`${hub.url}/healthz`);
    return z.object({ data: z.object({ headSeq: z.number() }) }).parse(await res.json()).data.headSeq;
  };

  /** Creates an account through the API and signs it in. */
  async function person(username: string, actorId: string, functionIds: string[]) {
    const created = await call(admin, 'POST', '/api/admin/accounts', {
      username,
      name: `Person ${username}`,
      actorId,
      functionIds,
      password: PASSWORD,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const account = AdminAccount.parse(created.body.data);
    return { account, client: await signIn(hub.url, username, PASSWORD) };
  }

  it('refuses callers without the admin function (403) or without a session (401)', async () => {
    const before = await headSeq();
    for (const [method, path] of [
      ['GET', '/api/admin/accounts'],
      ['GET', '/api/admin/actors'],
      ['GET', '/api/admin/devices'],
      ['GET', '/api/admin/audit'],
      ['POST', '/api/admin/devices'],
      ['PATCH', '/api/admin/accounts/tib.nacka'],
    ] as const) {
      const body = method === 'GET' ? undefined : { name: 'x', views: ['wall'] };
      expect((await call(nacka, method, path, body)).status, `${method} ${path}`).toBe(403);
      const anonymous = await fetch(`${hub.url}${path}`, { method });
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401);
    }
    expect(await headSeq()).toBe(before);
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const before = await headSeq();
    const accountsBefore = (await call(admin, 'GET', '/api/admin/accounts')).body.data;
    const good = {
      username: 'valid.user',
      name: 'Valid',
      actorId: 'nacka',
      functionIds: ['viewer'],
      password: PASSWORD,
    };
    const cases: [string, string, string, unknown][] = [
      ['an unknown field', 'POST', '/api/admin/accounts', { ...good, admin: true }],
      ['no password', 'POST', '/api/admin/accounts', { ...good, password: undefined }],
      ['a weak password', 'POST', '/api/admin/accounts', { ...good, password: 'password1234' }],
      ['an unknown actor', 'POST', '/api/admin/accounts', { ...good, actorId: 'atlantis' }],
      ['an unknown function', 'POST', '/api/admin/accounts', { ...good, functionIds: ['wizard'] }],
      ['a bad username', 'POST', '/api/admin/accounts', { ...good, username: 'two words' }],
      ['an empty change', 'PATCH', '/api/admin/accounts/tib.nacka', {}],
      ['a wrong type', 'PATCH', '/api/admin/accounts/tib.nacka', { disabled: 'yes' }],
      [
        'a __proto__ key',
        'PATCH',
        '/api/admin/accounts/tib.nacka',
        JSON.parse('{"__proto__":{"disabled":true}}'),
      ],
      [
        'an actor without a home',
        'POST',
        '/api/admin/actors',
        { id: 'x', name: 'X', shortName: 'X', kind: 'other' },
      ],
      ['an unknown view', 'POST', '/api/admin/devices', { name: 'Wall', views: ['kitchen'] }],
      ['no views', 'POST', '/api/admin/devices', { name: 'Wall', views: [] }],
    ];
    for (const [name, method, path, body] of cases) {
      const answer = await call(admin, method, path, body);
      expect({ name, status: answer.status, code: answer.body.error?.code }).toEqual({
        name,
        status: 400,
        code: 'bad_request',
      });
    }
    const notJson = await admin.raw('/api/admin/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(notJson.status).toBe(400);
    expect(await headSeq()).toBe(before);
    expect((await call(admin, 'GET', '/api/admin/accounts')).body.data).toEqual(accountsBefore);
  });

  it('refuses an admin write without the CSRF token', async () => {
    const res = await fetch(`${hub.url}/api/admin/devices`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wall', views: ['wall'] }),
    });
    expect(res.status).toBe(403);
    expect((await call(admin, 'GET', '/api/admin/devices')).body.data).toEqual([]);
  });

  it('creates an account that signs in and acts in its functions, and lists it without secrets', async () => {
    const { account, client } = await person('anna.nacka', 'nacka', ['dutyOfficer']);
    expect(account).toMatchObject({
      actorId: 'nacka',
      functionIds: ['dutyOfficer'],
      disabled: false,
      hasPassword: true,
    });
    expect(client.session.functionIds).toEqual(['dutyOfficer']);
    expect((await client.command(logEntry('Anna on shift'))).body.ok).toBe(true);
    const list = await call(admin, 'GET', '/api/admin/accounts');
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash|Kaffe/);
    const duplicate = await call(admin, 'POST', '/api/admin/accounts', {
      username: 'ANNA.nacka',
      name: 'Another Anna',
      actorId: 'nacka',
      functionIds: [],
      password: PASSWORD,
    });
    expect(duplicate.status).toBe(409);
  });

  it('keeps a phone number in E.164 form, refuses a bad one with 400 and changes nothing', async () => {
    const created = await call(admin, 'POST', '/api/admin/accounts', {
      username: 'cecilia.nacka',
      name: 'Cecilia Nacka',
      actorId: 'nacka',
      functionIds: ['dutyOfficer'],
      password: PASSWORD,
      phone: '070-174 06 50',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const account = AdminAccount.parse(created.body.data);
    expect(account.phone).toBe('+46701740650');

    const before = await headSeq();
    for (const phone of ['ring mig', '070-12', '+46 070 174 06 50', 46701740650]) {
      const refused = await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { phone });
      expect({ phone, status: refused.status, code: refused.body.error?.code }).toEqual({
        phone,
        status: 400,
        code: 'bad_request',
      });
    }
    const badCreate = await call(admin, 'POST', '/api/admin/accounts', {
      username: 'dora.nacka',
      name: 'Dora',
      actorId: 'nacka',
      functionIds: [],
      password: PASSWORD,
      phone: 'call me',
    });
    expect(badCreate.status).toBe(400);
    expect(badCreate.body.error?.message).toContain('070-174 06 05');
    expect(await headSeq()).toBe(before);

    const changed = await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, {
      phone: '+46 8 465 004 10',
    });
    expect(AdminAccount.parse(changed.body.data).phone).toBe('+46846500410');
    const removed = await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { phone: null });
    expect(AdminAccount.parse(removed.body.data).phone).toBeUndefined();
  });

  it('revoking a function makes the next command of that function forbidden, on HTTP and socket', async () => {
    const { account, client } = await person('bo.nacka', 'nacka', ['dutyOfficer']);
    const socket = new FoldingClient(hub.url, client.cookie);
    await socket.connected();
    expect((await socket.send(logEntry('Before the change'))).ok).toBe(true);

    const dropped = serverDisconnect(socket);
    const changed = await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, {
      functionIds: ['viewer'],
    });
    expect(changed.status).toBe(200);
    expect((await dropped).reason).toBe('io server disconnect');
    // A lost function ends the session: signed in again, the account has only the new rights.
    expect((await client.command(logEntry('After the change, old session'))).status).toBe(401);
    const fresh = await signIn(hub.url, 'bo.nacka', PASSWORD);

    const http = await fresh.command(logEntry('After the change'));
    expect({ status: http.status, code: !http.body.ok && http.body.error.code }).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const again = new FoldingClient(hub.url, fresh.cookie);
    await again.connected();
    const ack = await again.send(logEntry('After the change, by socket'));
    expect(!ack.ok && ack.error.code).toBe('forbidden');
    again.close();
  });

  it('hands a function over at a shift change: the old holder is refused, the new one allowed', async () => {
    const day = await person('dag.nacka', 'nacka', ['dutyOfficer']);
    const night = await person('natt.nacka', 'nacka', ['viewer']);
    const polisen = await signIn(hub.url, 'tib.polisen');

    const foreign = await call(polisen, 'POST', '/api/handover', {
      functionId: 'dutyOfficer',
      fromAccountId: day.account.id,
      toAccountId: night.account.id,
    });
    expect(foreign.status).toBe(403);
    // Another actor's account and one that does not exist get the same answer.
    const handTo = (toAccountId: string) =>
      call(day.client, 'POST', '/api/handover', { functionId: 'dutyOfficer', toAccountId });
    const otherActor = await handTo(polisen.session.user.id);
    const nobody = await handTo('nobody.anywhere');
    expect(otherActor.status).toBe(404);
    expect(nobody.status).toBe(404);
    expect(JSON.stringify(otherActor.body).replace(polisen.session.user.id, 'X')).toBe(
      JSON.stringify(nobody.body).replace('nobody.anywhere', 'X'),
    );

    const handed = await call(day.client, 'POST', '/api/handover', {
      functionId: 'dutyOfficer',
      toAccountId: night.account.id,
      note: 'Shift change 19:00, nothing open',
    });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.data).toMatchObject({
      from: { id: day.account.id, functionIds: [] },
      to: { id: night.account.id, functionIds: ['viewer', 'dutyOfficer'] },
    });
    // Handing a function over ends the giver's session; the receiver's stays.
    const old = await day.client.command(logEntry('Day shift still writing'));
    expect(old.status).toBe(401);
    const fresh = await night.client.command(logEntry('Night shift took over'));
    expect(fresh.status).toBe(200);

    // An admin hands it back for them.
    const back = await call(admin, 'POST', '/api/handover', {
      functionId: 'dutyOfficer',
      fromAccountId: night.account.id,
      toAccountId: day.account.id,
    });
    expect(back.status).toBe(200);
    const dayAgain = await signIn(hub.url, 'dag.nacka', PASSWORD);
    expect((await dayAgain.command(logEntry('Day shift again'))).status).toBe(200);
  });

  it('disabling an account ends its session, drops its sockets and refuses its next sign-in', async () => {
    const { account, client } = await person('cilla.nacka', 'nacka', ['dutyOfficer']);
    const socket = new FoldingClient(hub.url, client.cookie);
    await socket.connected();
    const dropped = serverDisconnect(socket);
    expect((await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { disabled: true })).status).toBe(
      200,
    );
    expect((await dropped).reason).toBe('io server disconnect');
    expect(await client.signedIn()).toBe(false);
    expect(await signInStatus(hub.url, 'cilla.nacka', PASSWORD)).toBe(401);

    expect(
      (await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { disabled: false })).status,
    ).toBe(200);
    expect(await signInStatus(hub.url, 'cilla.nacka', PASSWORD)).toBe(200);
  });

  it('sets a new password: the old one stops working', async () => {
    const { account } = await person('dora.nacka', 'nacka', ['viewer']);
    const newPassword = 'Ett helt annat lösenord';
    expect(
      (await call(admin, 'PATCH', `/api/admin/accounts/${account.id}`, { password: newPassword })).status,
    ).toBe(200);
    expect(await signInStatus(hub.url, 'dora.nacka', PASSWORD)).toBe(401);
    expect(await signInStatus(hub.url, 'dora.nacka', newPassword)).toBe(200);
  });

  it('will not disable the last admin', async () => {
    const answer = await call(admin, 'PATCH', `/api/admin/accounts/${admin.session.user.id}`, {
      disabled: true,
    });
    expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
      status: 409,
      code: 'conflict',
    });
    expect((await admin.raw('/api/session')).status).toBe(200);
  });

  it('adds an actor that appears in everybody’s region and can hold accounts', async () => {
    const actor = {
      id: 'ny-kommun',
      name: 'Nya kommunen',
      shortName: 'Nya',
      kind: 'municipality',
      home: { lat: 59.4, lng: 18.2 },
    };
    const added = await call(admin, 'POST', '/api/admin/actors', actor);
    expect(added.status).toBe(200);
    expect(added.body.data).toEqual({ ...actor, source: 'directory' });
    const session = z
      .object({ data: z.object({ region: z.object({ actors: z.array(z.object({ id: z.string() })) }) }) })
      .parse(await (await nacka.raw('/api/session')).json());
    expect(session.data.region.actors.map((a) => a.id)).toContain('ny-kommun');

    const { client } = await person('tib.ny', 'ny-kommun', ['dutyOfficer']);
    expect(client.session.actorId).toBe('ny-kommun');
    expect((await client.command(logEntry('New actor reporting in'))).status).toBe(200);

    const renamed = await call(admin, 'PATCH', '/api/admin/actors/nacka', { shortName: 'Nacka K' });
    expect(renamed.body.data).toMatchObject({ id: 'nacka', shortName: 'Nacka K', source: 'directory' });
    expect((await call(admin, 'POST', '/api/admin/actors', { ...actor, id: 'nacka' })).status).toBe(409);
  });

  it('answers ids that are names on every JavaScript object like any other id, never with 500', async () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const answers = [
        await call(admin, 'PATCH', `/api/admin/accounts/${id}`, { name: 'X' }),
        await call(admin, 'PATCH', `/api/admin/actors/${id}`, { shortName: 'X' }),
        await call(admin, 'POST', `/api/admin/devices/${id}/pairing-code`, {}),
        await call(admin, 'DELETE', `/api/admin/devices/${id}`),
      ];
      expect(
        answers.map((a) => a.status),
        id,
      ).toEqual([404, 404, 404, 404]);
    }
    const actor = { name: 'Objektet', shortName: 'Obj', kind: 'other', home: { lat: 59.3, lng: 18.0 } };
    for (const id of ['__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const refused = await call(admin, 'POST', '/api/admin/actors', { ...actor, id });
      expect(refused.status, id).toBe(400);
      expect(refused.body.error?.message).toMatch(/may hold only a–z/);
    }
    expect((await call(admin, 'POST', '/api/admin/actors', { ...actor, id: 'constructor' })).status).toBe(
      200,
    );
    const refusedName = await call(admin, 'POST', '/api/admin/accounts', {
      username: '__proto__',
      name: 'Proto',
      actorId: 'constructor',
      functionIds: [],
      password: PASSWORD,
    });
    expect(refusedName.status).toBe(400);

    // The actor named like Object.prototype.constructor acknowledges an activation once.
    const { client } = await person('tib.constructor', 'constructor', ['dutyOfficer']);
    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const incident = activate({ summonedActorIds: ['constructor'] });
    expect((await lead.command(incident)).status).toBe(200);
    const ack = buildAcknowledgeCommand({ commandId: randomUUID(), incidentId: incident.payload.incidentId });
    const acknowledged = await client.command(ack);
    expect(acknowledged.body).toMatchObject({ ok: true });
    const again = await client.command({ ...ack, id: randomUUID() });
    expect(again.body).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const state = await lead.state();
    const acknowledgements = state.state.incidents[incident.payload.incidentId]?.acknowledgements ?? {};
    expect(Object.keys(acknowledgements)).toContain('constructor');
  });

  it('refuses usernames and actor ids that pass for existing ones, naming them, and changes nothing', async () => {
    const before = await headSeq();
    const attempts = [
      ['/api/admin/accounts', { username: 'tib.n\u0430cka' }, 400, /may hold only a–z/],
      ['/api/admin/accounts', { username: 'tlb.nacka' }, 409, /looks like the existing "tib\.nacka"/],
      ['/api/admin/accounts', { username: 'TIB.NACKA' }, 409, /is taken/],
      ['/api/admin/actors', { id: 'nacka-' }, 409, /looks like the existing "nacka"/],
      ['/api/admin/actors', { id: 'iidingo' }, 409, /looks like the existing "lidingo"/],
      ['/api/admin/actors', { id: 'n\u0430cka' }, 400, /may hold only a–z/],
    ] as const;
    for (const [path, body, status, message] of attempts) {
      const full =
        path === '/api/admin/accounts'
          ? { name: 'Look-alike', actorId: 'nacka', functionIds: [], password: PASSWORD, ...body }
          : { name: 'Look-alike', shortName: 'L', kind: 'other', home: { lat: 59.3, lng: 18 }, ...body };
      const answer = await call(admin, 'POST', path, full);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.error?.message).toMatch(message);
    }
    expect(await headSeq()).toBe(before);
  });

  it('issues, lists and revokes wall display devices', async () => {
    const issued = await call(admin, 'POST', '/api/admin/devices', { name: 'Wall, room 3', views: ['wall'] });
    expect(issued.status).toBe(200);
    const data = z
      .object({ device: z.object({ id: z.string() }), pairingCode: z.string(), pairingLink: z.string() })
      .parse(issued.body.data);
    expect(data.pairingCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(data.pairingLink).toMatch(new RegExp(`/wall\\?pair=${data.pairingCode}$`));
    const listed = await call(admin, 'GET', '/api/admin/devices');
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: data.device.id, paired: false, revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(data.pairingCode);
    const revoked = await call(admin, 'DELETE', `/api/admin/devices/${data.device.id}`);
    expect(revoked.body.data).toMatchObject({ id: data.device.id, revokedAt: expect.any(String) });
    expect((await call(admin, 'DELETE', '/api/admin/devices/nope')).status).toBe(404);
  });

  it('signs out: the session cookie stops working', async () => {
    const client = await signIn(hub.url, 'tib.polisen');
    const res = await client.raw('/api/session', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain(`${SESSION_COOKIE}=;`);
    expect(await client.signedIn()).toBe(false);
  });
});
