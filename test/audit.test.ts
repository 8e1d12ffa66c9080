import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRecord } from '@lagesbild/shared';
import { z } from 'zod';
import { signIn, type ApiClient } from './support/api-client.js';
import { call, signInStatus } from './support/admin.js';
import { activate, logEntry } from './support/commands.js';
import { removeDataDir, startHub, type HubProcess } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

const Records = z.object({ ok: z.literal(true), data: z.array(AuditRecord) });

describe('the audit trail', () => {
  let hub: HubProcess;
  let admin: ApiClient;
  let nacka: ApiClient;
  const secretText = `Confidential observation ${randomUUID()}`;
  const accepted = logEntry(secretText);
  const refused = activate();
  const bySocket = logEntry('Sent over the socket');
  const started = new Date().toISOString();

  beforeAll(async () => {
    hub = await startHub();
    admin = await signIn(hub.url, 'admin.lansstyrelsen');
    nacka = await signIn(hub.url, 'tib.nacka');
    expect((await nacka.command(accepted)).status).toBe(200);
    // Only the county board activates: refused for Nacka's duty officer.
    expect((await nacka.command(refused)).status).toBe(403);
    const socket = new FoldingClient(hub.url, nacka.cookie);
    await socket.connected();
    expect((await socket.send(bySocket)).ok).toBe(true);
    socket.close();
    expect(await signInStatus(hub.url, 'tib.nacka', 'a wrong password')).toBe(401);
  });
  afterAll(async () => {
    await hub?.kill();
    if (hub) removeDataDir(hub);
  });

  const query = async (params: string) => {
    const answer = await call(admin, 'GET', `/api/admin/audit?${params}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return Records.parse(answer.body).data;
  };

  it('records accepted and refused commands with who, actor, function, address, channel and outcome', async () => {
    const records = await query('userId=dutyOfficer.nacka&limit=100');
    const byId = (id: string) => records.find((r) => r.id === id);
    expect(byId(accepted.id)).toMatchObject({
      kind: 'command',
      type: 'logEntry.add',
      userId: 'dutyOfficer.nacka',
      actorId: 'nacka',
      functionId: 'dutyOfficer',
      ip: '127.0.0.1',
      via: 'http',
      outcome: 'ok',
    });
    expect(byId(refused.id)).toMatchObject({
      type: 'incident.activate',
      actorId: 'nacka',
      functionId: null,
      outcome: 'forbidden',
    });
    expect(byId(bySocket.id)).toMatchObject({ via: 'socket', outcome: 'ok', ip: '127.0.0.1' });
    for (const record of records)
      expect(Date.parse(record.at)).toBeGreaterThanOrEqual(Date.parse(started) - 1000);
  });

  it('records sign-in attempts, failed and successful, with the username tried', async () => {
    const records = await query('type=session.signIn&limit=100');
    expect(records).toContainEqual(
      expect.objectContaining({
        kind: 'signIn',
        target: 'tib.nacka',
        outcome: 'unauthenticated',
        userId: null,
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        target: 'tib.nacka',
        outcome: 'ok',
        userId: 'dutyOfficer.nacka',
        ip: '127.0.0.1',
      }),
    );
  });

  it('filters by outcome, actor and time', async () => {
    expect((await query('outcome=forbidden&limit=100')).map((r) => r.id)).toContain(refused.id);
    expect((await query('outcome=forbidden&limit=100')).every((r) => r.outcome === 'forbidden')).toBe(true);
    expect((await query('actorId=polisen')).length).toBe(0);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(await query(`from=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await query('limit=2')).length).toBe(2);
    expect((await call(admin, 'GET', '/api/admin/audit?limit=0')).status).toBe(400);
    expect((await call(admin, 'GET', '/api/admin/audit?from=yesterday')).status).toBe(400);
  });

  it('records admin actions too, and never the text of what was reported', async () => {
    const issued = await call(admin, 'POST', '/api/admin/devices', { name: 'Wall', views: ['wall'] });
    expect(issued.status).toBe(200);
    const records = await query('userId=admin.lansstyrelsen&type=device.issue');
    expect(records).toEqual([
      expect.objectContaining({ kind: 'admin', functionId: 'admin', outcome: 'ok', target: 'Wall' }),
    ]);
    const everything = await admin.raw('/api/admin/audit?format=ndjson&limit=100000');
    const text = await everything.text();
    expect(text).not.toContain(secretText);
    expect(text).not.toMatch(/lagesbild-demo|a wrong password|pairingCode/);
  });

  it('exports CSV and NDJSON as attachments', async () => {
    const csv = await admin.raw('/api/admin/audit?format=csv&userId=dutyOfficer.nacka');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="lagesbild-audit-.+\.csv"$/,
    );
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'at,kind,type,id,outcome,userId,deviceId,actorId,functionId,target,ip,via,hubId,note',
    );
    expect(lines.find((l) => l.includes(refused.id))).toMatch(
      /,command,incident\.activate,.*,forbidden,dutyOfficer\.nacka,,nacka,,,127\.0\.0\.1,http,/,
    );

    const ndjson = await admin.raw('/api/admin/audit?format=ndjson&outcome=forbidden');
    expect(ndjson.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const parsed = (await ndjson.text())
      .trim()
      .split('\n')
      .map((l) => AuditRecord.parse(JSON.parse(l)));
    expect(parsed.map((r) => r.id)).toContain(refused.id);
  });

  it('is for admins only', async () => {
    expect((await call(nacka, 'GET', '/api/admin/audit')).status).toBe(403);
    expect((await nacka.raw('/api/admin/audit?format=csv')).status).toBe(403);
  });
});
