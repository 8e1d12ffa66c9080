import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRecord, fail, succeed } from '@lagesbild/shared';
import { createLogger } from '../base/logger.js';
import { toCsv, toNdjson } from './audit-export.js';
import { AuditTrail } from './audit-trail.js';
import { AUDIT_FILE, openFileAuditStore } from './file-audit-store.js';
import type { AuditStore } from './audit-store.js';

const logger = createLogger('silent', 'test');
const web = { ip: '192.0.2.7', via: 'http' as const };

describe('the file audit trail', () => {
  let dir: string;
  let store: AuditStore;
  let clock: Date;
  let trail: AuditTrail;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-audit-'));
    store = await openFileAuditStore(dir, logger);
    clock = new Date('2026-01-01T10:00:00.000Z');
    trail = new AuditTrail(store, 'hub-a', () => clock);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const who = { kind: 'user' as const, userId: 'tib.nacka', actorId: 'nacka' };
  const accepted = { type: 'logEntry.add', functionId: 'dutyOfficer', ack: succeed({ seq: 1 }) };

  it('records accepted and refused commands with function, IP and outcome', async () => {
    trail.command(
      who,
      { commandId: 'c1', type: 'logEntry.add', functionId: 'dutyOfficer', ack: succeed({ seq: 3 }) },
      web,
    );
    clock = new Date('2026-01-01T10:01:00.000Z');
    trail.command(
      who,
      { commandId: 'c2', type: 'incident.activate', functionId: null, ack: fail('forbidden', 'no') },
      web,
    );
    const records = await trail.query({ limit: 10 });
    expect(records.map((r) => [r.id, r.type, r.functionId, r.outcome, r.ip, r.actorId])).toEqual([
      ['c1', 'logEntry.add', 'dutyOfficer', 'ok', '192.0.2.7', 'nacka'],
      ['c2', 'incident.activate', null, 'forbidden', '192.0.2.7', 'nacka'],
    ]);
  });

  it('writes lines to audit.jsonl within a second without being asked', async () => {
    trail.action({
      kind: 'signIn',
      type: 'session.signIn',
      who,
      origin: web,
      outcome: 'ok',
      target: 'tib.nacka',
    });
    const started = Date.now();
    let text = '';
    while (!text && Date.now() - started < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await readFile(path.join(dir, AUDIT_FILE), 'utf8');
    }
    expect(AuditRecord.parse(JSON.parse(text)).type).toBe('session.signIn');
  });

  it('filters by time, user, actor, outcome and type, and keeps the newest up to the limit', async () => {
    for (let i = 0; i < 20; i++) {
      clock = new Date(Date.parse('2026-01-01T10:00:00.000Z') + i * 60_000);
      const user = i % 2 === 0 ? who : { kind: 'user' as const, userId: 'tib.polisen', actorId: 'polisen' };
      trail.command(
        user,
        {
          commandId: `c${i}`,
          type: 'logEntry.add',
          functionId: null,
          ack: i % 5 === 0 ? fail('forbidden', 'x') : succeed({ seq: i }),
        },
        web,
      );
    }
    const ids = async (filter: Parameters<AuditTrail['query']>[0]) =>
      (await trail.query(filter)).map((r) => r.id);
    expect(await ids({ limit: 3 })).toEqual(['c17', 'c18', 'c19']);
    expect(await ids({ limit: 100, userId: 'tib.polisen', outcome: 'forbidden' })).toEqual(['c5', 'c15']);
    expect(
      await ids({
        limit: 100,
        actorId: 'nacka',
        from: Date.parse('2026-01-01T10:10:00.000Z'),
        to: Date.parse('2026-01-01T10:14:00.000Z'),
      }),
    ).toEqual(['c10', 'c12', 'c14']);
    expect(await ids({ limit: 100, type: 'incident.close' })).toEqual([]);
  });

  it('skips a line torn by a crash and keeps reading', async () => {
    trail.command(who, { ...accepted, commandId: 'before' }, web);
    await store.close();
    await appendFile(path.join(dir, AUDIT_FILE), '{"at":"2026-01-01T1');
    await appendFile(path.join(dir, AUDIT_FILE), '\n');
    store = await openFileAuditStore(dir, logger);
    trail = new AuditTrail(store, 'hub-a', () => clock);
    trail.command(who, { ...accepted, commandId: 'after' }, web);
    expect((await trail.query({ limit: 10 })).map((r) => r.id)).toEqual(['before', 'after']);
  });

  it('starts empty when the file is missing or empty', async () => {
    await writeFile(path.join(dir, AUDIT_FILE), '');
    expect(await trail.query({ limit: 10 })).toEqual([]);
  });
});

describe('audit export', () => {
  const record: AuditRecord = {
    at: '2026-01-01T10:00:00.000Z',
    kind: 'signIn',
    type: 'session.signIn',
    id: null,
    userId: null,
    deviceId: null,
    actorId: null,
    functionId: null,
    target: '=HYPERLINK("http://evil")',
    ip: '192.0.2.7',
    via: 'http',
    hubId: 'hub-a',
    outcome: 'unauthenticated',
    note: 'line one,\nline "two"',
  };

  it('writes CSV with a header, quoting, and formulas defused', () => {
    expect(toCsv([record])).toBe(
      'at,kind,type,id,outcome,userId,deviceId,actorId,functionId,target,ip,via,hubId,note\r\n' +
        '2026-01-01T10:00:00.000Z,signIn,session.signIn,,unauthenticated,,,,,"\'=HYPERLINK(""http://evil"")",' +
        '192.0.2.7,http,hub-a,"line one,\nline ""two"""\r\n',
    );
  });

  const cellOf = (target: string) => {
    const row = toCsv([{ ...record, target, note: null }]).split('\r\n')[1] ?? '';
    return row.slice(
      '2026-01-01T10:00:00.000Z,signIn,session.signIn,,unauthenticated,,,,,'.length,
      -',192.0.2.7,http,hub-a,'.length,
    );
  };

  it.each([
    ['a cell starting with =', '=1+1', "'=1+1"],
    ['a cell starting with +', '+1+1', "'+1+1"],
    ['a cell starting with -', '-1+1', "'-1+1"],
    ['a cell starting with @', '@SUM(A1)', "'@SUM(A1)"],
    ['a cell starting with a tab', '\t=1', "'\t'=1"],
    ['a cell starting with a carriage return', '\r=1', '"\'\r\'=1"'],
    ['a formula behind spaces and a quote mark', ' "=1', '" ""\'=1"'],
    ['a formula behind a leading ;', ";=cmd|' /C calc'!A0", "\";'=cmd|' /C calc'!A0\""],
    ['a formula behind a leading ,', ',=cmd', '",\'=cmd"'],
    ['a formula after a ; inside', 'tib.nacka;=HYPERLINK(1)', '"tib.nacka;\'=HYPERLINK(1)"'],
    ['a formula after a , and a space inside', 'x, -2', '"x, \'-2"'],
  ])('defuses %s, whichever separator the spreadsheet splits on', (_name, target, cell) => {
    expect(cellOf(target)).toBe(cell);
  });

  it('leaves ordinary text as it is', () => {
    expect(cellOf('tib.nacka -> natt.nacka')).toBe('tib.nacka -> natt.nacka');
    expect(cellOf('2001:db8::1')).toBe('2001:db8::1');
  });

  it('writes one JSON record per line', () => {
    expect(
      toNdjson([record, record])
        .split('\n')
        .filter(Boolean)
        .map((l) => AuditRecord.parse(JSON.parse(l))),
    ).toEqual([record, record]);
  });
});
