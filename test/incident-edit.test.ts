import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type ApiClient } from './support/api-client.js';
import { activate } from './support/commands.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

/** `incident.update` from Länsstyrelsen, the way the edit dialog sends it. */
const update = (incidentId: string, change: Record<string, unknown>) => ({
  id: randomUUID(),
  type: 'incident.update',
  payload: { incidentId, ...change },
});

describe('an incident changed mid-course, over a real hub', () => {
  let hub: HubProcess;
  let lead: ApiClient;
  let nacka: ApiClient;

  beforeAll(async () => {
    hub = await startHub();
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
    nacka = await signIn(hub.url, 'tib.nacka');
  });
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  it('delivers the incident to an actor summoned later, who can then acknowledge it', async () => {
    const watcher = new FoldingClient(hub.url, nacka.cookie);
    await watcher.connected();
    const command = activate({ title: 'Skyfall i Solna', kind: 'flooding', summonedActorIds: ['solna'] });
    const incidentId = command.payload.incidentId;
    expect((await lead.command(command)).body.ok).toBe(true);
    await watcher.waitFor(() => watcher.state.incidents[incidentId]?.status === 'active');

    // Not summoned yet: Nacka's acknowledgement is refused.
    const early = await watcher.send({
      id: randomUUID(),
      type: 'activation.acknowledge',
      payload: { incidentId },
    });
    expect(!early.ok && early.error.code).toBe('forbidden');

    const shown = (await lead.state()).state.incidents[incidentId];
    if (!shown) throw new Error('the lead does not see its incident');
    const summons = await lead.command(
      update(incidentId, {
        title: 'Skyfall i Solna och Nacka',
        summonedActorIds: [...shown.summonedActorIds, 'nacka'],
        baseVersion: shown.version,
      }),
    );
    expect(summons.body.ok).toBe(true);
    await watcher.waitFor(
      () => watcher.state.incidents[incidentId]?.summonedActorIds.includes('nacka') ?? false,
      30_000,
      () => 'Nacka to be summoned',
    );
    expect(watcher.state.incidents[incidentId]).toMatchObject({
      title: 'Skyfall i Solna och Nacka',
      kind: 'flooding',
      acknowledgements: {},
    });

    const acknowledged = await watcher.send({
      id: randomUUID(),
      type: 'activation.acknowledge',
      payload: { incidentId },
    });
    expect(acknowledged.ok).toBe(true);
    const after = (await lead.state()).state.incidents[incidentId];
    expect(after?.acknowledgements.nacka?.by.userId).toBe('dutyOfficer.nacka');
    watcher.close();
  });

  it('refuses an edit made on an older version, with the incident as it is now, and changes nothing', async () => {
    const command = activate({ title: 'Storm Ylva', kind: 'weather', summonedActorIds: ['solna'] });
    const incidentId = command.payload.incidentId;
    expect((await lead.command(command)).body.ok).toBe(true);
    const shown = (await lead.state()).state.incidents[incidentId];
    if (!shown) throw new Error('the lead does not see its incident');
    expect(
      (await lead.command(update(incidentId, { kind: 'fire', baseVersion: shown.version }))).body.ok,
    ).toBe(true);
    const before = await lead.stateHash();

    const late = await lead.command(update(incidentId, { title: 'Old news', baseVersion: shown.version }));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      ok: false,
      error: { code: 'stale', stale: { item: 'incident', incident: { title: 'Storm Ylva', kind: 'fire' } } },
    });
    const unknownKind = await lead.command(update(incidentId, { kind: 'meteor' }));
    expect(unknownKind.status).toBe(400);
    expect((await lead.stateHash()).hash).toBe(before.hash);
  });
});
