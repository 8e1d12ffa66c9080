import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildAcknowledgeCommand,
  buildActivateCommand,
  buildLogEntryCommand,
  freshUuid,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import { LogUnavailableError, type EventLog } from '../log/event-log.js';
import { createJournalLog, type JournalLog } from '../log/journal/journal-log.js';
import { createRedisLog } from '../log/redis/redis-log.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { CommandService } from './command-service.js';
import { HubState } from './hub-state.js';
import { WritePath } from './write-path.js';

const region = stockholmRegion();
const logger = pino({ level: 'silent' });

/**
 * Commands reach the write path through the gateway's `handle` (parse, authorise, decide),
 * which the transports' checks have already passed; here only the write path is tested.
 */
function commandsOver(log: EventLog, hub: HubState, now?: () => Date): CommandService {
  const writes = new WritePath({ log, hub, logger, timeoutMs: 10_000, now });
  return new CommandService({
    writes,
    hub,
    region: () => region,
    limiter: { take: () => ({ ok: true }) },
    // `handle` writes no audit record: that is `submit`'s (command-service.test.ts).
    audit: new AuditTrail(
      {
        append: () => undefined,
        query: async () => [],
        health: () => ({ held: 0, dropped: 0 }),
        close: async () => undefined,
      },
      'test',
    ),
    logger,
  });
}
const sender = (actorId: string) => ({
  userId: `dutyOfficer.${actorId}`,
  userName: `TiB ${actorId}`,
  actorId,
  functionIds: ['dutyOfficer'],
});

describe('the write path on the embedded journal', () => {
  const dirs: string[] = [];
  const logs: JournalLog[] = [];
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function open(now?: () => Date) {
    const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-commands-'));
    dirs.push(dir);
    const log = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
    logs.push(log);
    const opened = await log.open();
    const hub = new HubState(opened.epoch, 1000, opened.snapshot);
    hub.ingest(opened.events);
    return { log, hub, service: commandsOver(log, hub, now) };
  }

  it('never stamps an event before the one before it when the clock steps back', async () => {
    let clock = new Date('2026-03-01T10:00:00.000Z');
    const { log, service } = await open(() => clock);
    const entry = () => buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid() });
    expect((await service.handle(entry(), sender('nacka'))).ack.ok).toBe(true);
    // NTP stepped this process's clock back ten minutes.
    clock = new Date('2026-03-01T09:50:00.000Z');
    expect((await service.handle(entry(), sender('nacka'))).ack.ok).toBe(true);
    clock = new Date('2026-03-01T10:05:00.000Z');
    expect((await service.handle(entry(), sender('nacka'))).ack.ok).toBe(true);
    expect((await log.read(0, 10)).map((e) => e.at)).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:05:00.000Z',
    ]);
  });

  it('acks 200 concurrent commands, each once, sharing fsyncs between them', async () => {
    const { log, hub, service } = await open();
    const commands = Array.from({ length: 200 }, (_, i) =>
      buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid(), text: `line ${i}` }),
    );
    const acks = await Promise.all(commands.map((c) => service.handle(c, sender('nacka'))));
    expect(acks.every((a) => a.ack.ok)).toBe(true);
    expect(Object.keys(hub.state.logEntries)).toHaveLength(200);
    expect(new Set(acks.map((a) => (a.ack.ok ? a.ack.data.seq : 0))).size).toBe(200);
    expect(log.stats().fsyncs).toBeLessThan(100);
  });

  it('decides a command on the events of an earlier one in the same batch', async () => {
    const { hub, service } = await open();
    const activate = buildActivateCommand({ commandId: freshUuid(), incidentId: freshUuid() });
    const acknowledge = buildAcknowledgeCommand({
      commandId: freshUuid(),
      incidentId: activate.payload.incidentId,
    });
    const [activated, acknowledged] = await Promise.all([
      service.handle(activate, sender('lansstyrelsen')),
      service.handle(acknowledge, sender('nacka')),
    ]);
    expect(activated.ack.ok).toBe(true);
    expect(acknowledged.ack.ok).toBe(true);
    expect(Object.keys(hub.state.incidents[activate.payload.incidentId]?.acknowledgements ?? {})).toEqual([
      'lansstyrelsen',
      'nacka',
    ]);
  });

  it('answers a resend the hub no longer remembers with its original seq, not the refusal its own events now cause', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lagesbild-commands-'));
    dirs.push(dir);
    const first = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
    const opened = await first.open();
    const before = new HubState(opened.epoch, 1000, opened.snapshot);
    before.ingest(opened.events);
    const activate = buildActivateCommand({ commandId: freshUuid(), incidentId: freshUuid() });
    const original = await commandsOver(first, before).handle(activate, sender('lansstyrelsen'));
    if (!original.ack.ok) throw new Error(`activation refused: ${original.ack.error.code}`);
    const entry = buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid() });
    expect((await commandsOver(first, before).handle(entry, sender('nacka'))).ack.ok).toBe(true);
    await first.close();

    // After a restart the hub keeps only the newest event's command in memory (retain 1):
    // the activation's id is the log's to recognise, and deciding it again would refuse
    // ("already active"). The sender whose ack was lost must hear its original seq.
    const log = createJournalLog({ dir, idempotencyWindowMs: 3600_000 });
    logs.push(log);
    const reopened = await log.open();
    const hub = new HubState(reopened.epoch, 1, reopened.snapshot);
    hub.ingest(reopened.events);
    expect(hub.recentCommand(activate.id)).toBeUndefined();
    const resent = await commandsOver(log, hub).handle(activate, sender('lansstyrelsen'));
    expect(resent.ack, `resend of ${activate.id}`).toEqual({
      ok: true,
      data: { seq: original.ack.data.seq },
    });
    expect(hub.headSeq).toBe(reopened.events.length);
  });

  it('answers a command sent twice in one batch once, with the same seq', async () => {
    const { hub, service } = await open();
    const command = buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid() });
    const [first, second] = await Promise.all([
      service.handle(command, sender('nacka')),
      service.handle(command, sender('nacka')),
    ]);
    expect(second.ack).toEqual(first.ack);
    expect(first.ack.ok).toBe(true);
    expect(hub.headSeq).toBe(1);
  });

  it('refuses a command id sent again by another user or with another payload, and keeps the original', async () => {
    const { log, hub, service } = await open();
    const original = buildLogEntryCommand({
      commandId: freshUuid(),
      entryId: freshUuid(),
      text: 'Originalet',
    });
    expect((await service.handle(original, sender('nacka'))).ack).toEqual({ ok: true, data: { seq: 1 } });

    const byAnother = await service.handle(original, sender('polisen'));
    const otherText = await service.handle(
      { ...original, payload: { ...original.payload, text: 'Något annat' } },
      sender('nacka'),
    );
    expect([byAnother.ack, otherText.ack]).toEqual([
      { ok: false, error: { code: 'id_conflict', message: expect.any(String) } },
      { ok: false, error: { code: 'id_conflict', message: expect.any(String) } },
    ]);
    expect((await service.handle(original, sender('nacka'))).ack).toEqual({ ok: true, data: { seq: 1 } });
    expect(hub.headSeq).toBe(1);
    expect(Object.values(hub.state.logEntries).map((e) => e.text)).toEqual(['Originalet']);
    expect(await log.read(0, 10)).toHaveLength(1);
  });

  it('does not give the answer of a command in the same batch to another sender of its id', async () => {
    const { hub, service } = await open();
    const command = buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid() });
    const [first, second] = await Promise.all([
      service.handle(command, sender('nacka')),
      service.handle(command, sender('polisen')),
    ]);
    expect(first.ack).toEqual({ ok: true, data: { seq: 1 } });
    expect(second.ack).toMatchObject({ ok: false, error: { code: 'id_conflict' } });
    expect(hub.headSeq).toBe(1);
  });
});

const seqOf = (outcome: { ack: { ok: boolean } & ({ data: { seq: number } } | object) }) =>
  'data' in outcome.ack ? outcome.ack.data.seq : 0;

describe('the write path on Redis (several hubs)', () => {
  let redis: RedisServer;
  let keyPrefix: string;
  const logs: EventLog[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    vi.restoreAllMocks();
  });

  /** A hub on the shared prefix; without `tail` it learns of others' appends only by conflicts. */
  async function hub(options: { tail?: boolean } = {}) {
    const log = createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: 2000,
    });
    logs.push(log);
    const opened = await log.open();
    const state = new HubState(opened.epoch, 1000, opened.snapshot);
    state.ingest(opened.events);
    if (options.tail) log.tail(state.headSeq, (events) => state.ingest(events));
    return { log, hub: state, service: commandsOver(log, state) };
  }
  const logEntry = (text: string) =>
    buildLogEntryCommand({ commandId: freshUuid(), entryId: freshUuid(), text });

  it('batches commands queued during a round trip into one append each', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const { log, hub: state, service } = await hub();
    const appendBatch = vi.spyOn(log, 'appendBatch');
    const commands = Array.from({ length: 100 }, (_, i) => logEntry(`line ${i}`));
    const acks = await Promise.all(commands.map((c) => service.handle(c, sender('nacka'))));
    expect(acks.every((a) => a.ack.ok)).toBe(true);
    expect(new Set(acks.map(seqOf)).size).toBe(100);
    expect(Object.keys(state.state.logEntries)).toHaveLength(100);
    expect(appendBatch.mock.calls.length).toBeLessThan(20);
  });

  it('two hubs racing for the log ack every command once, and fold the same history', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const a = await hub({ tail: true });
    const b = await hub({ tail: true });
    const sends = Array.from({ length: 120 }, (_, i) =>
      (i % 2 === 0 ? a : b).service.handle(logEntry(`line ${i}`), sender(i % 2 === 0 ? 'nacka' : 'polisen')),
    );
    const acks = await Promise.all(sends);
    expect(acks.every((x) => x.ack.ok)).toBe(true);
    const seqs = acks.map(seqOf).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const events = await a.log.read(0, 1000);
    expect(events.map((e) => e.seq)).toEqual(seqs);
    expect(new Set(events.map((e) => e.commandId)).size).toBe(120);
  });

  it('answers a command another hub appended with its original seq, once, and appends the rest of the batch', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const a = await hub();
    const b = await hub();
    const shared = logEntry('sent to both hubs');
    // A client that gave up on hub b sends its command to hub a, which appends it just
    // before hub b's batch holding the same command reaches the log.
    const passOn = b.log.appendBatch.bind(b.log);
    let calls = 0;
    const appendBatch = vi.spyOn(b.log, 'appendBatch').mockImplementation(async (...args) => {
      if (++calls === 2) expect((await a.service.handle(shared, sender('nacka'))).ack.ok).toBe(true);
      return passOn(...args);
    });
    const [zero, one, two] = [logEntry('zero'), logEntry('one'), logEntry('two')];
    // The first goes alone; the rest queue behind it and form one batch.
    const acks = await Promise.all(
      [zero, one, shared, two].map((command) => b.service.handle(command, sender('nacka'))),
    );
    expect(acks.map((x) => x.ack)).toEqual([
      { ok: true, data: { seq: 1 } },
      { ok: true, data: { seq: 3 } },
      { ok: true, data: { seq: 2 } },
      { ok: true, data: { seq: 4 } },
    ]);
    const statuses = await Promise.all(appendBatch.mock.results.map(async (r) => (await r.value).status));
    expect(statuses).toEqual(['appended', 'duplicate', 'appended']);
    const events = await b.log.read(0, 10);
    expect(events.map((e) => e.commandId)).toEqual([zero.id, shared.id, one.id, two.id]);
    expect(b.hub.headSeq).toBe(4);
    expect(Object.keys(b.hub.state.logEntries)).toHaveLength(4);
  });

  it('refuses on one hub a command id another hub appended for another user or payload', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const a = await hub();
    const b = await hub({ tail: true });
    const original = logEntry('Originalet');
    expect((await a.service.handle(original, sender('nacka'))).ack).toEqual({ ok: true, data: { seq: 1 } });
    const acks = [
      await b.service.handle(original, sender('polisen')),
      await b.service.handle(
        { ...original, payload: { ...original.payload, text: 'Annat' } },
        sender('nacka'),
      ),
      await b.service.handle(original, sender('nacka')),
    ].map((x) => (x.ack.ok ? x.ack.data.seq : x.ack.error.code));
    expect(acks).toEqual(['id_conflict', 'id_conflict', 1]);
    expect((await a.log.read(0, 10)).map((e) => e.commandId)).toEqual([original.id]);
  });

  it('decides a whole batch again, refusals included, after another hub appended first', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const a = await hub();
    const b = await hub();
    const activate = buildActivateCommand({ commandId: freshUuid(), incidentId: freshUuid() });
    const acknowledge = buildAcknowledgeCommand({
      commandId: freshUuid(),
      incidentId: activate.payload.incidentId,
    });
    // Hub a activates the incident just before hub b's second batch reaches the log: that
    // batch was decided without the incident, so its acknowledgement was refused.
    const passOn = b.log.appendBatch.bind(b.log);
    let calls = 0;
    vi.spyOn(b.log, 'appendBatch').mockImplementation(async (...args) => {
      if (++calls === 2)
        expect((await a.service.handle(activate, sender('lansstyrelsen'))).ack.ok).toBe(true);
      return passOn(...args);
    });
    const [zero, line, acked] = await Promise.all([
      b.service.handle(logEntry('zero'), sender('nacka')),
      b.service.handle(logEntry('in the batch'), sender('nacka')),
      b.service.handle(acknowledge, sender('nacka')),
    ]);
    expect([zero.ack.ok, line.ack.ok, acked.ack]).toEqual([true, true, { ok: true, data: { seq: 5 } }]);
    expect(Object.keys(b.hub.state.incidents[activate.payload.incidentId]?.acknowledgements ?? {})).toEqual([
      'lansstyrelsen',
      'nacka',
    ]);
  });

  it('answers every command of a batch log_unavailable when the log cannot be written', async () => {
    keyPrefix = `cs-${randomUUID().slice(0, 8)}:`;
    const { log, service } = await hub();
    vi.spyOn(log, 'appendBatch').mockRejectedValue(new LogUnavailableError('Redis is down'));
    const acks = await Promise.all(
      [logEntry('one'), logEntry('two'), logEntry('three')].map((c) => service.handle(c, sender('nacka'))),
    );
    expect(acks.map((x) => (x.ack.ok ? 'ok' : x.ack.error.code))).toEqual([
      'log_unavailable',
      'log_unavailable',
      'log_unavailable',
    ]);
  });
});
