import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDirectiveTemplate, AuditRecord, type DirectiveTemplate } from '@lagesbild/shared';
import { z } from 'zod';
import { signIn, type ApiClient } from './support/api-client.js';
import { call } from './support/admin.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';

const List = z.object({ ok: z.literal(true), data: z.array(AdminDirectiveTemplate) });
const Records = z.object({ ok: z.literal(true), data: z.array(AuditRecord) });
const PATH = '/api/admin/directive-templates';

/** A prepared directive of the admin's own, for a kind of event the region file has none for. */
const snowstorm = (): DirectiveTemplate => ({
  id: 'snostorm',
  name: { sv: 'Snöstorm', en: 'Snowstorm' },
  incidentKinds: ['weather', 'transport'],
  purpose: 'Hålla vägar, kollektivtrafik och omsorg i gång under snöstormen.',
  priorities: [
    'Liv och hälsa först: hemtjänst och hemsjukvård når fram till alla brukare.',
    'Framkomlighet för utryckningsfordon.',
    'Samordnad information via Krisinformation.se och 113 13.',
    'Uthållighet: avlösning för plogning och räddningstjänst.',
  ],
  items: [
    { actorKind: 'transport', text: 'Prioritera plogning av utryckningsvägar.' },
    { actorKind: 'countyBoard', text: 'Sammanställ den samlade lägesbilden.' },
  ],
  limits: 'Ansvarsprincipen gäller.',
  reviewIntervalHours: 6,
  validityHours: 48,
});

describe('prepared directives through the admin API', () => {
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

  const list = async () => {
    const answer = await call(admin, 'GET', PATH);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return List.parse(answer.body).data;
  };
  const entry = async (id: string) => (await list()).find((t) => t.template.id === id);

  /** The audit records of one user about one type; the trail is written just after the answer. */
  async function auditOf(userId: string, type: string, outcome: string): Promise<AuditRecord[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await call(admin, 'GET', `/api/admin/audit?userId=${userId}&type=${type}&limit=100`);
      const records = Records.parse(answer.body).data.filter((r) => r.outcome === outcome);
      if (records.length > 0 || Date.now() > deadline) return records;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("lists the region file's prepared directives, each from the region file", async () => {
    const templates = await list();
    expect(templates.map((t) => t.template.id)).toEqual(
      expect.arrayContaining(['storm', 'elavbrott', 'pandemi', 'massevakuering', 'hojd-beredskap']),
    );
    expect(new Set(templates.map((t) => t.origin))).toEqual(new Set(['region']));
  });

  it('lets an administrator add, change, remove and restore prepared directives', async () => {
    const added = await call(admin, 'PUT', `${PATH}/snostorm`, snowstorm());
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(await entry('snostorm')).toMatchObject({ origin: 'app', template: snowstorm() });
    // Drafters are offered it too: it is in everyone's state.
    expect((await nacka.state()).state.directiveTemplates.snostorm?.template?.name.sv).toBe('Snöstorm');

    const storm = (await entry('storm'))?.template;
    if (!storm) throw new Error('the region file has a storm template');
    const { id: _id, ...withoutId } = storm;
    const changed = await call(admin, 'PUT', `${PATH}/storm`, { ...withoutId, validityHours: 96 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await entry('storm')).toMatchObject({
      origin: 'changed',
      template: { validityHours: 96 },
      savedBy: 'Administratör Länsstyrelsen',
    });

    // Another administrator's change made on the region file's version is refused, not lost over it.
    const unseen = await call(admin, 'PUT', `${PATH}/storm`, { ...withoutId, validityHours: 12 });
    expect(unseen.status).toBe(409);
    expect(unseen.body.error?.code).toBe('stale');
    const seen = (await entry('storm'))?.seq;
    const onIt = await call(admin, 'PUT', `${PATH}/storm?baseSeq=${seen}`, {
      ...withoutId,
      validityHours: 12,
    });
    expect(onIt.status, JSON.stringify(onIt.body)).toBe(200);
    expect(await entry('storm')).toMatchObject({ origin: 'changed', template: { validityHours: 12 } });

    expect((await call(admin, 'DELETE', `${PATH}/storm`)).status).toBe(200);
    expect(await entry('storm')).toMatchObject({ origin: 'removed', template: storm });
    expect((await call(admin, 'DELETE', `${PATH}/snostorm`)).status).toBe(200);
    expect(await entry('snostorm')).toBeUndefined();
    // Removing what is not there says so.
    const again = await call(admin, 'DELETE', `${PATH}/snostorm`);
    expect(again.status).toBe(404);

    // Restoring drops the app's removal: the region file's own again, and its later edits with it.
    expect((await call(admin, 'POST', `${PATH}/storm/restore`)).status).toBe(200);
    expect(await entry('storm')).toMatchObject({ origin: 'region', template: storm, seq: null });
    expect((await call(admin, 'POST', `${PATH}/storm/restore`)).status).toBe(409);
  });

  it('answers a retry with the same idempotency key once, changing nothing twice', async () => {
    const key = randomUUID();
    const send = () =>
      admin.raw(`${PATH}/retry-test`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ ...snowstorm(), id: 'retry-test' }),
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
  });

  it('refuses someone without the admin function (403), audits it, and changes nothing', async () => {
    const before = await admin.stateHash();
    const put = await call(nacka, 'PUT', `${PATH}/snostorm`, snowstorm());
    expect(put.status).toBe(403);
    expect((await call(nacka, 'DELETE', `${PATH}/pandemi`)).status).toBe(403);
    // The command itself is the admin's by the region file's rights, on any route.
    const direct = await nacka.command({
      id: randomUUID(),
      type: 'directiveTemplate.save',
      payload: { template: snowstorm(), baseSeq: null },
    });
    expect(direct.status).toBe(403);
    expect(await admin.stateHash()).toEqual(before);
    expect(await auditOf('dutyOfficer.nacka', 'admin.put', 'forbidden')).toHaveLength(1);
    expect(await auditOf('dutyOfficer.nacka', 'directiveTemplate.save', 'forbidden')).toHaveLength(1);
  });

  it('refuses a template with an actor kind that does not exist (400), naming it, and changes nothing', async () => {
    const before = await admin.stateHash();
    const template = snowstorm();
    const bad = {
      ...template,
      items: [...template.items, { actorKind: 'snowploughCompany', text: 'Ploga.' }],
    };
    const answer = await call(admin, 'PUT', `${PATH}/snostorm`, bad);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toMatch(/items\[2\]\.actorKind/);
    expect(await admin.stateHash()).toEqual(before);
    expect(await entry('snostorm')).toBeUndefined();
    // A command its schema refuses is audited as unparsed: its claimed id and type are not trusted.
    expect(await auditOf('admin.lansstyrelsen', 'unparsed', 'bad_request')).not.toHaveLength(0);
  });

  it('refuses a template with 10,000 items, or just over the limit, and changes nothing', async () => {
    const before = await admin.stateHash();
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ actorKind: 'police', text: `Uppgift ${i}` }));
    // Ten thousand items are more than any command may carry: refused before it is read.
    const huge = await call(admin, 'PUT', `${PATH}/snostorm`, { ...snowstorm(), items: items(10_000) });
    expect(huge.status).toBe(413);
    // One item over the limit fits in a body and is refused by the template's limits.
    const over = await call(admin, 'PUT', `${PATH}/snostorm`, { ...snowstorm(), items: items(101) });
    expect(over.status).toBe(400);
    expect(over.body.error?.message).toMatch(/items/);
    expect(await admin.stateHash()).toEqual(before);
  });

  it('refuses a body whose id is not the path’s, and a template without a purpose', async () => {
    const before = await admin.stateHash();
    const other = await call(admin, 'PUT', `${PATH}/snostorm`, { ...snowstorm(), id: 'storm' });
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/path/);
    const empty = await call(admin, 'PUT', `${PATH}/snostorm`, { ...snowstorm(), purpose: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toMatch(/purpose/);
    expect(await admin.stateHash()).toEqual(before);
  });
});
