import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsResponse, apply, envelope, initialState } from '@lagesbild/shared';
import { signIn, type ApiClient } from './support/api-client.js';
import { activate, logEntry } from './support/commands.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

describe('a hub with the embedded journal', () => {
  let hub: HubProcess;
  let lead: ApiClient;
  let nacka: ApiClient;

  beforeAll(async () => {
    hub = await startHub({ env: { HISTORY_RETAIN: '1200' } });
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
    nacka = await signIn(hub.url, 'tib.nacka');
  });
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  it('answers health checks and serves an empty region to a signed-in duty officer', async () => {
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
    const session = lead.session;
    expect(session.actorId).toBe('lansstyrelsen');
    expect(session.region.actors.length).toBeGreaterThanOrEqual(36);
    const state = await lead.state();
    expect(Object.keys(state.state.incidents)).toHaveLength(0);
  });

  it('refuses the API and the socket without a session', async () => {
    expect((await fetch(`${hub.url}/api/state`)).status).toBe(401);
    const anonymous = new FoldingClient(hub.url, '');
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      anonymous.socket.once('connect_error', resolve),
    );
    anonymous.close();
    expect(error.data?.code).toBe('unauthenticated');
  });

  it('delivers an activation to another client at once, and the acknowledgement back', async () => {
    const watcher = new FoldingClient(hub.url, nacka.cookie);
    await watcher.connected();
    const command = activate({ title: 'Storm Ylva' });
    const ack = await lead.command(command);
    expect(ack.body.ok).toBe(true);
    await watcher.waitFor(() => watcher.state.incidents[command.payload.incidentId]?.status === 'active');

    const acknowledged = await watcher.send({
      id: randomUUID(),
      type: 'activation.acknowledge',
      payload: { incidentId: command.payload.incidentId },
    });
    expect(acknowledged.ok).toBe(true);
    const incident = (await lead.state()).state.incidents[command.payload.incidentId];
    expect(incident?.acknowledgements.nacka?.by.userId).toBe('dutyOfficer.nacka');
    watcher.close();
  });

  it('answers the same command id twice with one event and the same answer, and refuses it from another user', async () => {
    const command = logEntry('Decided: joint message at 10:00');
    const first = await lead.command(command);
    const second = await lead.command(command);
    const third = await nacka.command(command);
    expect(first.body).toEqual(second.body);
    // The id is tied to its sender: another user is not told the command is stored.
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ ok: false, error: { code: 'id_conflict' } });
    const entries = Object.values((await lead.state()).state.logEntries).filter(
      (e) => e.id === command.payload.entryId,
    );
    expect(entries).toHaveLength(1);
  });

  it('catches up a client that missed 1,000 events, and sends a snapshot to one older than the history', async () => {
    const early = new FoldingClient(hub.url, nacka.cookie);
    await early.connected();
    const before = (await nacka.state()).seq;
    await early.waitForSeq(before);
    early.close();
    const behind = { lastSeq: early.lastSeq, epoch: early.epoch ?? '', state: early.state };

    // 1,600 events: more than the 1,200 this hub retains for catch-up.
    for (let batch = 0; batch < 16; batch++) {
      const acks = await Promise.all(
        Array.from({ length: 100 }, (_, i) => lead.command(logEntry(`Observation ${batch * 100 + i}`))),
      );
      expect(acks.every((a) => a.body.ok)).toBe(true);
    }
    const hubView = await nacka.stateHash();

    const recent = new FoldingClient(hub.url, nacka.cookie, {
      lastSeq: hubView.seq - 1000,
      epoch: behind.epoch,
      // A client 1,000 events behind holds the state at that point; rebuild it from the API.
      state: await stateAt(nacka, hubView.seq - 1000),
    });
    await recent.waitForSeq(hubView.seq);
    expect(recent.snapshots).toBe(0);
    expect(recent.eventsReceived).toBe(1000);
    expect(recent.hash).toBe(hubView.hash);
    recent.close();

    const stale = new FoldingClient(hub.url, nacka.cookie, behind);
    await stale.waitForSeq(hubView.seq);
    expect(stale.snapshots).toBe(1);
    expect(stale.hash).toBe(hubView.hash);
    stale.close();
  });

  it('refuses bad input with a clear error, changes nothing and stays up', async () => {
    const before = await lead.stateHash();
    const post = (body: string, headers: Record<string, string> = {}) =>
      lead.raw('/api/commands', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const valid = logEntry('valid text');
    const cases: [string, string, number, string][] = [
      ['malformed JSON', '{"id": ', 400, 'bad_request'],
      ['unknown command', JSON.stringify({ ...valid, type: 'incident.explode' }), 400, 'unknown_command'],
      [
        'wrong types',
        JSON.stringify({ ...valid, payload: { ...valid.payload, text: 42 } }),
        400,
        'bad_request',
      ],
      ['unknown field', JSON.stringify({ ...valid, extra: true }), 400, 'bad_request'],
      [
        'unknown payload field',
        JSON.stringify({ ...valid, payload: { ...valid.payload, admin: true } }),
        400,
        'bad_request',
      ],
      [
        'oversize payload',
        JSON.stringify({ ...valid, payload: { ...valid.payload, text: 'x'.repeat(70_000) } }),
        413,
        'payload_too_large',
      ],
      ['not an object', '"hello"', 400, 'bad_request'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await post(body);
      const json = (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
      expect({ name, status: res.status, ok: json.ok, code: json.error?.code }).toEqual({
        name,
        status,
        ok: false,
        code,
      });
      expect(json.error?.message.length).toBeGreaterThan(0);
    }

    const socket = new FoldingClient(hub.url, lead.cookie);
    await socket.connected();
    const refused = await socket.send({ id: 'not-a-uuid', type: 'logEntry.add', payload: {} });
    expect(refused.ok).toBe(false);
    const refusedUnknown = await socket.send({ id: randomUUID(), type: 'nope', payload: {} });
    expect(!refusedUnknown.ok && refusedUnknown.error.code).toBe('unknown_command');
    socket.close();

    expect(await lead.stateHash()).toEqual(before);
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  });
});

/** The caller's state as it was at `seq`, folded from the hub's events API. */
async function stateAt(client: ApiClient, seq: number) {
  let state = initialState();
  let after = 0;
  while (after < seq) {
    const res = await client.raw(`/api/events?after=${after}&limit=${Math.min(1000, seq - after)}`);
    const body = envelope(EventsResponse).parse(await res.json());
    if (!body.ok) throw new Error(body.error.message);
    for (const event of body.data.events) if (event.seq <= seq) state = apply(state, event);
    after = Math.min(seq, body.data.headSeq);
  }
  return state;
}
