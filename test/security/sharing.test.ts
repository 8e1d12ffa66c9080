import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sharing } from '@lagesbild/shared';
import { allEvents, signIn, type ApiClient } from '../support/api-client.js';
import { activate, logEntry, report } from '../support/commands.js';
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

describe('restricted items reach only the actors they are shared with', () => {
  let hub: HubProcess;
  let owner: ApiClient; // Nacka reports
  let named: ApiClient; // Botkyrka is named on some items
  let outsider: ApiClient; // Länsstyrelsen is not named
  const secrets = { own: [] as string[], named: [] as string[] };
  let publicText: string;
  let live: { outsider: ReturnType<typeof recordingClient>; named: ReturnType<typeof recordingClient> };
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

    const incident = activate({ title: 'Storm Ylva' });
    expect((await outsider.command(incident)).body.ok).toBe(true);
    const state = await outsider.state();
    before = { seq: state.seq, epoch: state.epoch };

    live = { outsider: recordingClient(hub, outsider.cookie), named: recordingClient(hub, named.cookie) };
    await Promise.all([live.outsider.client.connected(), live.named.client.connected()]);

    const incidentId = incident.payload.incidentId;
    const submit = async (sharing: Sharing, bucket: string[]) => {
      const [happened, needs, line] = [marker('happened'), marker('needs'), marker('line')];
      bucket.push(happened, needs, line);
      const r = report(incidentId, { happened, needs, sharing });
      expect((await owner.command(r)).body.ok).toBe(true);
      expect((await owner.command(logEntry(line, { sharing, incidentId }))).body.ok).toBe(true);
    };
    await submit({ scope: 'own' }, secrets.own);
    await submit({ scope: 'actors', actorIds: ['botkyrka'] }, secrets.named);
    // Sent last: once a viewer has it, every earlier event has been delivered or withheld.
    publicText = marker('public');
    const last = await owner.command(logEntry(publicText));
    expect(last.body.ok).toBe(true);
    const lastSeq = last.body.ok ? last.body.data.seq : 0;
    await Promise.all([live.outsider.client.waitForSeq(lastSeq), live.named.client.waitForSeq(lastSeq)]);
  });
  afterAll(async () => {
    live.outsider.client.close();
    live.named.client.close();
    await hub.kill();
    removeDataDir(hub);
  });

  const expectOnly = (text: string, visible: string[], hidden: string[]) => {
    for (const s of visible) expect(text).toContain(s);
    for (const s of hidden) expect(text, 'a restricted text leaked').not.toContain(s);
  };

  it('in live events', () => {
    expectOnly(live.outsider.text(), [publicText], [...secrets.own, ...secrets.named]);
    expectOnly(live.named.text(), [publicText, ...secrets.named], secrets.own);
  });

  it('in catch-up after a reconnect', async () => {
    for (const [api, visible, hidden] of [
      [outsider, [publicText], [...secrets.own, ...secrets.named]],
      [named, [publicText, ...secrets.named], secrets.own],
    ] as const) {
      const behind = recordingClient(hub, api.cookie, { lastSeq: before.seq, epoch: before.epoch });
      await behind.client.waitFor(
        () => behind.client.eventsReceived > 0 && behind.text().includes(publicText),
      );
      expect(behind.client.snapshots).toBe(0);
      behind.client.close();
      expectOnly(behind.text(), [...visible], [...hidden]);
    }
  });

  it('in snapshots', async () => {
    for (const [api, visible, hidden] of [
      [outsider, [publicText], [...secrets.own, ...secrets.named]],
      [named, [publicText, ...secrets.named], secrets.own],
    ] as const) {
      // A client from another epoch must be sent its whole projection.
      const fresh = recordingClient(hub, api.cookie, { lastSeq: 1, epoch: 'another-epoch' });
      await fresh.client.waitFor(() => fresh.client.snapshots > 0);
      fresh.client.close();
      expectOnly(fresh.text(), [...visible], [...hidden]);
    }
  });

  it('in GET /api/state and GET /api/events', async () => {
    const read = async (api: ApiClient) =>
      `${await (await api.raw('/api/state')).text()}\n${JSON.stringify(await allEvents(api))}`;
    expectOnly(await read(outsider), [publicText], [...secrets.own, ...secrets.named]);
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
