import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, onHub, signIn, type ApiClient } from '../support/api-client.js';
import { randomUUID } from 'node:crypto';
import { activate, logEntry } from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { FoldingClient } from '../support/socket-client.js';

/**
 * A command id is tied to its sender and payload: nobody is told `{ ok, seq }` for a
 * command of which nothing was stored. Checked through real hubs, on both logs, and after
 * a hub was killed and started again.
 */

const ID_CONFLICT = { ok: false, error: { code: 'id_conflict', message: expect.any(String) } };

/** What the log holds, as the person reading it would see it: the texts of the log entries. */
async function logTexts(client: ApiClient): Promise<string[]> {
  const events = await allEvents(client);
  return events.flatMap((e) => (e.type === 'logEntry.added' ? [e.payload.entry.text] : []));
}

async function expectIdChecks(
  lead: ApiClient,
  other: ApiClient,
  original: ReturnType<typeof logEntry>,
  seq: number,
) {
  const byOther = await other.command(original);
  expect(byOther).toEqual({ status: 409, body: ID_CONFLICT });
  const otherPayload = await lead.command({
    ...original,
    payload: { ...original.payload, text: 'Förfalskad' },
  });
  expect(otherPayload).toEqual({ status: 409, body: ID_CONFLICT });
  expect(await lead.command(original)).toEqual({ status: 200, body: { ok: true, data: { seq } } });
}

describe('command ids on the embedded journal', () => {
  let hub: HubProcess;
  afterAll(async () => {
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  it('answers id_conflict to another user or another payload, the log unchanged, also after SIGKILL and restart', async () => {
    hub = await startHub();
    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const nacka = await signIn(hub.url, 'tib.nacka');
    const original = logEntry('Stabsläge från kl 06');
    const first = await lead.command(original);
    expect(first.status).toBe(200);
    const seq = first.body.ok ? first.body.data.seq : 0;

    await expectIdChecks(lead, nacka, original, seq);
    // The socket answers the same way as HTTP.
    const socket = new FoldingClient(hub.url, nacka.cookie);
    await socket.connected();
    expect(await socket.send(original)).toEqual(ID_CONFLICT);
    socket.close();
    expect(await logTexts(lead)).toEqual(['Stabsläge från kl 06']);

    await hub.kill('SIGKILL');
    hub = await hub.restart();
    const leadAgain = await signIn(hub.url, 'tib.lansstyrelsen');
    const nackaAgain = await signIn(hub.url, 'tib.nacka');
    await expectIdChecks(leadAgain, nackaAgain, original, seq);
    expect(await logTexts(leadAgain)).toEqual(['Stabsläge från kl 06']);
  });

  it('refuses an incident update made on an older version as stale, with the current text, and keeps the newer text', async () => {
    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const incident = activate({ description: 'Storm väntas' });
    const incidentId = incident.payload.incidentId;
    expect((await lead.command(incident)).status).toBe(200);
    const version = async () => (await lead.state()).state.incidents[incidentId]?.version ?? -1;
    const made = await version();
    const update = (description: string, baseVersion: number) => ({
      id: randomUUID(),
      type: 'incident.update',
      payload: { incidentId, description, baseVersion },
    });
    const older = update('Äldre lägesbeskrivning', made);
    expect((await lead.command(older)).status).toBe(200);
    const newer = update('Nyare lägesbeskrivning', await version());
    expect((await lead.command(newer)).status).toBe(200);

    // The older update again, under a new id (its own id's window long past): refused.
    const replay = await lead.command({ ...older, id: randomUUID() });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({
      ok: false,
      error: {
        code: 'stale',
        stale: { item: 'incident', incident: { description: 'Nyare lägesbeskrivning' } },
      },
    });
    expect((await lead.state()).state.incidents[incidentId]?.description).toBe('Nyare lägesbeskrivning');
  });
});

describe('command ids on Redis, across two hubs', () => {
  let redis: RedisServer;
  const hubs: HubProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.kill();
    await redis?.stop();
  });

  it('answers id_conflict on the other hub too, and after that hub was killed and started again', async () => {
    const env = { REDIS_URL: redis.url };
    const [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
    hubs.push(hubA, hubB);
    const leadA = await signIn(hubA.url, 'tib.lansstyrelsen');
    const nackaB = await signIn(hubB.url, 'tib.nacka');
    const original = logEntry('Vägen stängd vid Slussen');
    const first = await leadA.command(original);
    const seq = first.body.ok ? first.body.data.seq : 0;
    expect(seq).toBeGreaterThan(0);

    await expectIdChecks(onHub(leadA, hubB.url), nackaB, original, seq);

    await hubB.kill('SIGKILL');
    const restarted = await hubB.restart();
    hubs.push(restarted);
    await expectIdChecks(onHub(leadA, restarted.url), onHub(nackaB, restarted.url), original, seq);
    expect(await logTexts(leadA)).toEqual(['Vägen stängd vid Slussen']);
  });
});
