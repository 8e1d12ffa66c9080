import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevicePairing, HIDDEN_PERSON, type Sharing } from '@lagesbild/shared';
import { buildCheckinCommand } from '@lagesbild/shared/test-factories';
import { asDevice, call, pair, type PairedDevice } from '../support/admin.js';
import { allEvents, signIn, type ApiClient } from '../support/api-client.js';
import {
  activate,
  command,
  fieldReport,
  logEntry,
  makeOffer,
  report,
  scheduleConference,
} from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { FoldingClient } from '../support/socket-client.js';

/** A socket client that also keeps every message it receives, as text, to search for leaks. */
function recordingClient(
  hub: HubProcess,
  cookie: string,
  options: ConstructorParameters<typeof FoldingClient>[2] = {},
) {
  const client = new FoldingClient(hub.url, cookie, options);
  const received: string[] = [];
  client.socket.onAny((event: string, ...args: unknown[]) =>
    received.push(`${event} ${JSON.stringify(args)}`),
  );
  return { client, text: () => received.join('\n') };
}

/** Marker texts: each appears only in the item it names, so a leak is found by searching. */
const marker = (what: string) => `${what}-${randomUUID()}`;
const mistypedPassword = marker('lagesbild-demp');

/** The name of Nacka's field person: it appears only on that person's own check-ins. */
const fieldName = `Fältarbetare ${randomUUID()}`;

describe('restricted items reach only the actors they are shared with', () => {
  let hub: HubProcess;
  let owner: ApiClient; // Nacka reports
  let ownerField: ApiClient; // Nacka's field person checks in
  let named: ApiClient; // Botkyrka is named on some items
  let outsider: ApiClient; // Länsstyrelsen is not named
  let wall: PairedDevice; // a wall display sees only what the whole region may
  const secrets = { own: [] as string[], named: [] as string[] };
  let publicText: string;
  let live: Record<'outsider' | 'named' | 'wall', ReturnType<typeof recordingClient>>;
  let before: { seq: number; epoch: string };

  beforeAll(async () => {
    hub = await startHub();
    // A mistyped password must not end up in the log either (checked at the end).
    const typo = await fetch(`${hub.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tib.nacka', password: mistypedPassword }),
    });
    expect(typo.status).toBe(401);
    owner = await signIn(hub.url, 'tib.nacka');
    named = await signIn(hub.url, 'tib.botkyrka');
    outsider = await signIn(hub.url, 'tib.lansstyrelsen');
    const admin = await signIn(hub.url, 'admin.lansstyrelsen');
    const fieldAccount = { username: 'falt.sharing.nacka', password: randomUUID() };
    const created = await call(admin, 'POST', '/api/admin/accounts', {
      ...fieldAccount,
      name: fieldName,
      actorId: 'nacka',
      functionIds: ['field'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    ownerField = await signIn(hub.url, fieldAccount.username, fieldAccount.password);
    const issued = await call(admin, 'POST', '/api/admin/devices', { name: 'Wall', views: ['wall'] });
    const paired = await pair(hub.url, DevicePairing.parse(issued.body.data).pairingCode);
    if (!('info' in paired)) throw new Error(`pairing failed: ${paired.code}`);
    wall = paired;

    const incident = activate({ title: 'Storm Ylva' });
    expect((await outsider.command(incident)).body.ok).toBe(true);
    const state = await outsider.state();
    before = { seq: state.seq, epoch: state.epoch };

    live = {
      outsider: recordingClient(hub, outsider.cookie),
      named: recordingClient(hub, named.cookie),
      wall: recordingClient(hub, wall.cookie),
    };
    await Promise.all(Object.values(live).map((l) => l.client.connected()));

    const incidentId = incident.payload.incidentId;
    const submit = async (sharing: Sharing, bucket: string[]) => {
      const [happened, needs, line] = [marker('happened'), marker('needs'), marker('line')];
      const [observed, hazards] = [marker('observed'), marker('hazards')];
      bucket.push(happened, needs, line, observed, hazards);
      const r = report(incidentId, { happened, needs, sharing });
      expect((await owner.command(r)).body.ok).toBe(true);
      const observation = fieldReport(incidentId, { eventType: observed, hazards, sharing });
      expect((await owner.command(observation)).body.ok).toBe(true);
      expect((await owner.command(logEntry(line, { sharing, incidentId }))).body.ok).toBe(true);
      // A check-in: the person's name, position and note are what its sharing hides.
      const [note, lat] = [marker('checkin-note'), 59.3 + Math.floor(Math.random() * 1e9) / 1e11];
      bucket.push(note, String(lat));
      const checkin = buildCheckinCommand({
        commandId: randomUUID(),
        checkinId: randomUUID(),
        incidentId,
        status: 'onSite',
        position: { lat, lng: 18.1 },
        note,
        sharing,
      });
      expect((await ownerField.command(checkin)).body.ok).toBe(true);
      // What answers the report's needs goes as the report does: an offer (Botkyrka may
      // offer only where it reads the report) and Nacka's judgement of its needs.
      const { reportId } = r.payload;
      if (sharing.scope === 'actors') {
        const [what, offerNote] = [marker('offer'), marker('offer-note')];
        bucket.push(what, offerNote);
        const offer = makeOffer(incidentId, 'nacka', reportId, { what, note: offerNote });
        expect((await named.command(offer)).body.ok).toBe(true);
      }
      const judgement = marker('judgement');
      bucket.push(judgement);
      const settle = command('need.settle', {
        incidentId,
        reportId,
        coverage: 'partlyCovered',
        note: judgement,
      });
      expect((await owner.command(settle)).body.ok).toBe(true);
    };
    await submit({ scope: 'own' }, secrets.own);
    await submit({ scope: 'actors', actorIds: ['botkyrka'] }, secrets.named);
    // A conference Nacka calls with Botkyrka: the dial-in reaches the summoned alone.
    const dialIn = marker('dial-in');
    secrets.named.push(dialIn);
    const conference = scheduleConference(incidentId, {
      convenerActorId: 'nacka',
      summonedActorIds: ['botkyrka'],
      dialIn,
    });
    expect((await owner.command(conference)).body.ok).toBe(true);
    // Sent last: once a viewer has it, every earlier event has been delivered or withheld.
    publicText = marker('public');
    const last = await owner.command(logEntry(publicText));
    expect(last.body.ok).toBe(true);
    const lastSeq = last.body.ok ? last.body.data.seq : 0;
    await Promise.all(Object.values(live).map((l) => l.client.waitForSeq(lastSeq)));
  });
  afterAll(async () => {
    for (const l of Object.values(live)) l.client.close();
    await hub.kill();
    removeDataDir(hub);
  });

  const expectOnly = (text: string, visible: string[], hidden: string[]) => {
    for (const s of visible) expect(text).toContain(s);
    for (const s of hidden) expect(text, 'a restricted text leaked').not.toContain(s);
  };

  it('in live events', () => {
    expectOnly(live.outsider.text(), [publicText], [...secrets.own, ...secrets.named, fieldName]);
    expectOnly(live.wall.text(), [publicText], [...secrets.own, ...secrets.named, fieldName]);
    expectOnly(live.named.text(), [publicText, ...secrets.named, fieldName], secrets.own);
  });

  it('shows a check-in to the rest of the region only as a person of the actor, in a function', () => {
    for (const viewer of [live.outsider, live.wall]) {
      const checkins = Object.values(viewer.client.state.checkins);
      // The first check-in ended when the person checked in again; the summary says so too.
      expect(checkins.map((c) => [c.by.actorId, c.by.functionId, c.status, c.checkedOutAt === null])).toEqual(
        [
          ['nacka', 'field', 'onSite', false],
          ['nacka', 'field', 'onSite', true],
        ],
      );
      for (const c of checkins) {
        expect(c).toMatchObject({ regionSummary: true, position: null, note: '' });
        expect(c.by.userName).toBe(HIDDEN_PERSON);
      }
    }
    // Botkyrka sees the check-in shared with it whole, the other only counted.
    const toNamed = Object.values(live.named.client.state.checkins);
    expect(toNamed.map((c) => c.regionSummary ?? false)).toEqual([true, false]);
    expect(toNamed[1]?.by.userName).toBe(fieldName);
  });

  it('in catch-up after a reconnect', async () => {
    for (const [cookie, visible, hidden] of [
      [outsider.cookie, [publicText], [...secrets.own, ...secrets.named, fieldName]],
      [wall.cookie, [publicText], [...secrets.own, ...secrets.named, fieldName]],
      [named.cookie, [publicText, ...secrets.named, fieldName], secrets.own],
    ] as const) {
      const behind = recordingClient(hub, cookie, { lastSeq: before.seq, epoch: before.epoch });
      await behind.client.waitFor(
        () => behind.client.eventsReceived > 0 && behind.text().includes(publicText),
      );
      expect(behind.client.snapshots).toBe(0);
      behind.client.close();
      expectOnly(behind.text(), [...visible], [...hidden]);
    }
  });

  it('in snapshots', async () => {
    for (const [cookie, visible, hidden] of [
      [outsider.cookie, [publicText], [...secrets.own, ...secrets.named, fieldName]],
      [wall.cookie, [publicText], [...secrets.own, ...secrets.named, fieldName]],
      [named.cookie, [publicText, ...secrets.named, fieldName], secrets.own],
    ] as const) {
      // A client from another epoch must be sent its whole projection.
      const fresh = recordingClient(hub, cookie, { lastSeq: 1, epoch: 'another-epoch' });
      await fresh.client.waitFor(() => fresh.client.snapshots > 0);
      fresh.client.close();
      expectOnly(fresh.text(), [...visible], [...hidden]);
    }
  });

  it('in GET /api/state and GET /api/events', async () => {
    const read = async (api: ApiClient) =>
      `${await (await api.raw('/api/state')).text()}\n${JSON.stringify(await allEvents(api))}`;
    expectOnly(await read(outsider), [publicText], [...secrets.own, ...secrets.named, fieldName]);
    const wallState = await (await asDevice(hub.url, wall, '/api/state')).text();
    const wallEvents = await (await asDevice(hub.url, wall, '/api/events?after=0')).text();
    expectOnly(`${wallState}\n${wallEvents}`, [publicText], [...secrets.own, ...secrets.named, fieldName]);
    expectOnly(await read(named), [publicText, ...secrets.named], secrets.own);
    expectOnly(await read(owner), [publicText, ...secrets.own, ...secrets.named], []);
    // Small pages, so the filter is checked at page boundaries too.
    for (let after = 0; after < (await outsider.state()).seq; after += 3) {
      const page = await (await outsider.raw(`/api/events?after=${after}&limit=3`)).text();
      expectOnly(page, [], [...secrets.own, ...secrets.named]);
    }
  });

  it('and never in the hub log at info level, nor do passwords, cookies or CSRF tokens', () => {
    // The structured log lines; the start banner prints the (public) demo password on purpose.
    const output = hub
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .join('\n');
    expect(output).toContain('"msg":"command"');
    for (const secret of [...secrets.own, ...secrets.named, publicText]) expect(output).not.toContain(secret);
    expect(output).toContain('"msg":"sign-in refused"');
    expect(output).not.toContain('lagesbild-demo');
    expect(output).not.toContain(mistypedPassword);
    for (const api of [owner, named, outsider]) {
      expect(output).not.toContain(api.cookie.split('=')[1]);
      expect(output).not.toContain(api.session.csrfToken);
    }
  });
});
