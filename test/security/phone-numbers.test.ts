import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccount, ContactsResponse, DevicePairing, envelope } from '@lagesbild/shared';
import { buildRequestCommand } from '@lagesbild/shared/test-factories';
import { asDevice, call, pair, type PairedDevice } from '../support/admin.js';
import { allEvents, signIn, type ApiClient } from '../support/api-client.js';
import { activate, logEntry } from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { FoldingClient } from '../support/socket-client.js';

/** A number nobody else in the test has (073…, where the demo accounts use 070-174 06 xx). */
const uniqueNumber = () => `+4673${String(randomInt(10_000_000)).padStart(7, '0')}`;
/** What a leak would contain however the number was written: its last nine digits. */
const digitsOf = (e164: string) => e164.slice(-9);

const ContactsAnswer = envelope(ContactsResponse);

/**
 * Duty officers' phone numbers are personal data: only the summoned actors of an activation
 * (each other's) and those who decide on a request (the requester's) may receive them —
 * never a wall display, never an actor outside the activation, and never through the
 * events, snapshots or session that everybody receives.
 */
describe('phone numbers reach only those who need them', () => {
  let hub: HubProcess;
  let convener: ApiClient; // Länsstyrelsen's duty officer: activates and decides requests
  let summoned: ApiClient; // Nacka, summoned
  let outsider: ApiClient; // Polisen, not summoned
  let requester: ApiClient; // Solna asks for joint handling
  let viewer: ApiClient; // Länsstyrelsen's read-only viewer: summoned, but no call to make
  let admin: ApiClient;
  let wall: PairedDevice;
  const phones = {
    lansstyrelsen: uniqueNumber(),
    nacka: uniqueNumber(),
    botkyrka: uniqueNumber(),
    polisen: uniqueNumber(),
    solna: uniqueNumber(),
  };
  const incident = activate({ title: 'Storm Ylva', summonedActorIds: ['nacka', 'botkyrka'] });
  const request = buildRequestCommand({
    commandId: randomUUID(),
    incidentId: randomUUID(),
    title: 'Skyfall',
  });
  let live: Record<'summoned' | 'outsider' | 'wall', { client: FoldingClient; text: () => string }>;

  beforeAll(async () => {
    hub = await startHub();
    admin = await signIn(hub.url, 'admin.lansstyrelsen');
    for (const [actorId, phone] of Object.entries(phones)) {
      const set = await call(admin, 'PATCH', `/api/admin/accounts/dutyOfficer.${actorId}`, { phone });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
    }
    const issued = await call(admin, 'POST', '/api/admin/devices', { name: 'Wall', views: ['wall'] });
    const paired = await pair(hub.url, DevicePairing.parse(issued.body.data).pairingCode);
    if (!('info' in paired)) throw new Error(`pairing failed: ${paired.code}`);
    wall = paired;
    convener = await signIn(hub.url, 'tib.lansstyrelsen');
    summoned = await signIn(hub.url, 'tib.nacka');
    outsider = await signIn(hub.url, 'tib.polisen');
    requester = await signIn(hub.url, 'tib.solna');
    viewer = await signIn(hub.url, 'lasare.lansstyrelsen');

    const recording = (cookie: string) => {
      const client = new FoldingClient(hub.url, cookie);
      const received: string[] = [];
      client.socket.onAny((event: string, ...args: unknown[]) =>
        received.push(`${event} ${JSON.stringify(args)}`),
      );
      return { client, text: () => received.join('\n') };
    };
    live = {
      summoned: recording(summoned.cookie),
      outsider: recording(outsider.cookie),
      wall: recording(wall.cookie),
    };
    await Promise.all(Object.values(live).map((l) => l.client.connected()));

    expect((await convener.command(incident)).body.ok).toBe(true);
    expect((await requester.command(request)).body.ok).toBe(true);
    const last = await convener.command(logEntry('After the activation and the request'));
    const lastSeq = last.body.ok ? last.body.data.seq : 0;
    await Promise.all(Object.values(live).map((l) => l.client.waitForSeq(lastSeq)));
  });
  afterAll(async () => {
    for (const l of Object.values(live ?? {})) l.client.close();
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  const contactsOf = async (client: ApiClient) => {
    const res = await client.raw('/api/contacts');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = ContactsAnswer.parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    return body.data;
  };

  const expectNoPhone = (text: string, where: string) => {
    for (const phone of Object.values(phones))
      expect(text, `a phone number leaked in ${where}`).not.toContain(digitsOf(phone));
  };

  it('gives a summoned actor the duty officers’ numbers of the summoned actors only', async () => {
    const seen = await contactsOf(summoned);
    expect(seen.incidents[incident.payload.incidentId]?.map((c) => [c.actorId, c.phone])).toEqual([
      ['botkyrka', phones.botkyrka],
      ['lansstyrelsen', phones.lansstyrelsen],
      ['nacka', phones.nacka],
    ]);
    expect(seen.requests).toEqual({});
  });

  it('gives the one who decides the requester’s number', async () => {
    const seen = await contactsOf(convener);
    expect(seen.requests[request.payload.incidentId]).toMatchObject({
      accountId: 'dutyOfficer.solna',
      actorId: 'solna',
      functionId: 'dutyOfficer',
      phone: phones.solna,
    });
  });

  it('gives an actor outside the activation no number at all', async () => {
    const seen = await contactsOf(outsider);
    expect(seen).toEqual({ incidents: {}, requests: {} });
    expect((await contactsOf(requester)).incidents).toEqual({});
  });

  it('gives a read-only viewer of a summoned actor no number at all', async () => {
    expect(await contactsOf(viewer)).toEqual({ incidents: {}, requests: {} });
  });

  it('refuses a wall display and an anonymous caller', async () => {
    const asWall = await asDevice(hub.url, wall, '/api/contacts');
    expect(asWall.status).toBe(403);
    expectNoPhone(await asWall.text(), 'the wall’s refusal');
    const anonymous = await fetch(`${hub.url}/api/contacts`);
    expect(anonymous.status).toBe(401);
  });

  it('never sends a number in live events, state, events, session or device info', async () => {
    for (const [who, l] of Object.entries(live)) expectNoPhone(l.text(), `${who}'s live events`);
    for (const client of [summoned, outsider, convener]) {
      const state = await (await client.raw('/api/state')).text();
      const session = await (await client.raw('/api/session')).text();
      expectNoPhone(`${state}\n${session}\n${JSON.stringify(await allEvents(client))}`, 'the HTTP API');
    }
    for (const path of ['/api/state', '/api/events?after=0', '/api/device']) {
      expectNoPhone(await (await asDevice(hub.url, wall, path)).text(), `the wall's ${path}`);
    }
  });

  it('never sends a number in a snapshot', async () => {
    for (const cookie of [wall.cookie, outsider.cookie, summoned.cookie]) {
      const fresh = new FoldingClient(hub.url, cookie, { lastSeq: 1, epoch: 'another-epoch' });
      const received: string[] = [];
      fresh.socket.onAny((event: string, ...args: unknown[]) =>
        received.push(`${event} ${JSON.stringify(args)}`),
      );
      await fresh.waitFor(() => fresh.snapshots > 0);
      fresh.close();
      expectNoPhone(received.join('\n'), 'a snapshot');
    }
  });

  // Last: handing over ends the giver's session, which the tests above still use.
  it('never sends a number in the answer to a hand-over by a duty officer', async () => {
    const nightNumber = uniqueNumber();
    const created = await call(admin, 'POST', '/api/admin/accounts', {
      username: 'natt.polisen',
      name: 'Natt Polisen',
      actorId: 'polisen',
      functionIds: ['viewer'],
      password: 'Nattskift med termos och kaffe',
      phone: nightNumber,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const night = AdminAccount.parse(created.body.data);
    const handed = await call(outsider, 'POST', '/api/handover', {
      functionId: 'dutyOfficer',
      toAccountId: night.id,
    });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    const text = JSON.stringify(handed.body);
    expect(text).toContain(night.id);
    expectNoPhone(text, 'the hand-over answer');
    expect(text).not.toContain(digitsOf(nightNumber));
    expect(text).not.toContain('hasPassword');
  });
});
