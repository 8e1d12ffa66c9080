import { describe, expect, it } from 'vitest';
import { succeed, type AuditRecord, type DirectoryAccount } from '@lagesbild/shared';
import {
  buildActivateCommand,
  buildLogEntryCommand,
  stockholmRegion,
} from '@lagesbild/shared/test-factories';
import { createLogger } from '../base/logger.js';
import { createMemoryLog } from '../log/memory-log.js';
import { attribution } from '../auth/attribution.js';
import { AuditTrail } from '../audit/audit-trail.js';
import type { AuditStore } from '../audit/audit-store.js';
import {
  CommandService,
  type CommandAnswer,
  type CommandCaller,
  type CommandThrottle,
} from './command-service.js';
import { HubState } from './hub-state.js';
import { WritePath } from './write-path.js';

const region = stockholmRegion();
const logger = createLogger('silent', 'test');

const account = (id: string, overrides: Partial<DirectoryAccount> = {}): DirectoryAccount => ({
  id,
  username: id,
  name: `Person ${id}`,
  actorId: 'nacka',
  functionIds: ['dutyOfficer'],
  disabled: false,
  externalId: null,
  ...overrides,
});

/** An audit store that keeps its records in memory, in the order they were written. */
function memoryAuditStore(): AuditStore & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return {
    records,
    append: (record) => void records.push(record),
    query: async () => [...records],
    health: () => ({ held: 0, dropped: 0 }),
    close: async () => undefined,
  };
}

/** A gateway over an in-memory log whose directory has Anna (Nacka's duty officer) and disabled Dan. */
async function gateway(limiter: CommandThrottle = { take: () => ({ ok: true }) }) {
  const log = createMemoryLog({ idempotencyWindowMs: 3600_000 });
  const opened = await log.open();
  const hub = new HubState(opened.epoch, 1000, opened.snapshot);
  hub.ingest(opened.events);
  const writes = new WritePath({ log, hub, logger, timeoutMs: 10_000 });
  const seeded = await writes.appendSystem(
    'seed',
    attribution({ kind: 'hub', userId: 'system', userName: 'Test', region }),
    () =>
      succeed(
        [account('anna'), account('dan', { disabled: true })].map((a) => ({
          type: 'account.saved' as const,
          payload: { account: a },
        })),
      ),
  );
  expect(seeded.ok).toBe(true);
  const store = memoryAuditStore();
  const commands = new CommandService({
    writes,
    hub,
    region: () => region,
    limiter,
    audit: new AuditTrail(store, 'hub-a'),
    logger,
  });
  /** Submits over HTTP from one address; resolves with the answer and what was audited by then. */
  const submit = async (caller: CommandCaller, input: unknown, ip: string | null = '192.0.2.7') => {
    const answers: { answer: CommandAnswer; auditedBefore: number }[] = [];
    await commands.submit(caller, input, {
      via: 'http',
      ip,
      answer: (answer) => answers.push({ answer, auditedBefore: store.records.length }),
    });
    expect(answers).toHaveLength(1);
    const [first] = answers;
    if (!first) throw new Error('no answer');
    return { ...first, audited: store.records };
  };
  return { hub, writes, submit };
}

const anna: CommandCaller = { kind: 'user', userId: 'anna' };

describe('the command gateway', () => {
  it('appends an authorised command, answers its seq, then audits it once with its function', async () => {
    const { hub, submit } = await gateway();
    const command = buildLogEntryCommand({ text: 'Samverkanskonferens kl 10' });
    const { answer, auditedBefore, audited } = await submit(anna, command);
    expect(answer).toEqual({ ack: { ok: true, data: { seq: hub.headSeq } }, retryAfterMs: null });
    expect(Object.values(hub.state.logEntries).map((e) => e.text)).toEqual(['Samverkanskonferens kl 10']);
    // The durable ack does not wait for the audit record.
    expect(auditedBefore).toBe(0);
    expect(audited).toEqual([
      expect.objectContaining({
        kind: 'command',
        type: 'logEntry.add',
        id: command.id,
        userId: 'anna',
        actorId: 'nacka',
        functionId: 'dutyOfficer',
        outcome: 'ok',
        ip: '192.0.2.7',
        via: 'http',
        hubId: 'hub-a',
      }),
    ]);
  });

  it('refuses a command outside the sender’s rights, and audits it without a function', async () => {
    const { hub, submit } = await gateway();
    const before = hub.headSeq;
    const command = buildActivateCommand();
    const { answer, audited } = await submit(anna, command);
    expect(answer.ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.headSeq).toBe(before);
    expect(audited.map((r) => [r.type, r.functionId, r.outcome])).toEqual([
      ['incident.activate', null, 'forbidden'],
    ]);
  });

  it('answers a resend of an applied command with its seq, though the sender has lost the right since', async () => {
    const { hub, writes, submit } = await gateway();
    const command = buildLogEntryCommand({ text: 'Sent once, answer lost' });
    const first = await submit(anna, command);
    expect(first.answer.ack.ok).toBe(true);
    const seq = hub.headSeq;
    // An administrator takes the duty officer function away before the outbox resends.
    const changed = await writes.appendSystem(
      'take-duty-officer',
      attribution({ kind: 'hub', userId: 'system', userName: 'Test', region }),
      () =>
        succeed([
          { type: 'account.saved', payload: { account: account('anna', { functionIds: ['viewer'] }) } },
        ]),
    );
    expect(changed.ok).toBe(true);

    const resent = await submit(anna, command);
    expect(resent.answer.ack).toEqual({ ok: true, data: { seq } });
    // Anything else from her is refused, the same id with another payload too.
    const other = await submit(anna, buildLogEntryCommand({ text: 'New' }));
    expect(other.answer.ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const altered = await submit(anna, { ...command, payload: { ...command.payload, text: 'Changed' } });
    expect(altered.answer.ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(Object.values(hub.state.logEntries).map((e) => e.text)).toEqual(['Sent once, answer lost']);
  });

  it('refuses a wall display: it is read-only', async () => {
    const { hub, submit } = await gateway();
    const before = hub.headSeq;
    const command = buildLogEntryCommand();
    const { answer, audited } = await submit({ kind: 'device', deviceId: 'wall-1' }, command);
    expect(answer.ack).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'A wall display is read-only' },
    });
    expect(hub.headSeq).toBe(before);
    expect(audited.map((r) => [r.deviceId, r.userId, r.id, r.type, r.outcome])).toEqual([
      ['wall-1', null, command.id, 'logEntry.add', 'forbidden'],
    ]);
  });

  it.each<[string, CommandCaller, string | null]>([
    ['an account that is gone', { kind: 'user', userId: 'ghost' }, null],
    ['a disabled account', { kind: 'user', userId: 'dan' }, 'nacka'],
  ])('refuses %s as unauthenticated', async (_name, caller, actorId) => {
    const { submit } = await gateway();
    const { answer, audited } = await submit(caller, buildLogEntryCommand());
    expect(answer.ack).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(audited.map((r) => [r.userId, r.actorId, r.outcome])).toEqual([
      [caller.kind === 'user' ? caller.userId : null, actorId, 'unauthenticated'],
    ]);
  });

  it('throttles by account and address, says when to try again, and writes no audit record', async () => {
    const taken: [string, string][] = [];
    const { hub, submit } = await gateway({
      take: (userId, ip) => {
        taken.push([userId, ip]);
        return { ok: false, retryAfterMs: 2500 };
      },
    });
    const before = hub.headSeq;
    const { answer, audited } = await submit(anna, buildLogEntryCommand(), null);
    expect(answer).toEqual({
      ack: { ok: false, error: { code: 'rate_limited', message: 'Too many commands; try again in 3 s' } },
      retryAfterMs: 2500,
    });
    expect(taken).toEqual([['anna', 'unknown']]);
    expect(hub.headSeq).toBe(before);
    expect(audited).toEqual([]);
  });

  it('refuses a body that is no command, auditing what it could read of it', async () => {
    const { submit } = await gateway();
    const { answer, audited } = await submit(anna, { id: 'not-a-uuid', type: 'logEntry.add', payload: {} });
    expect(answer.ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(audited.map((r) => [r.type, r.id, r.functionId, r.outcome])).toEqual([
      ['unparsed', null, null, 'bad_request'],
    ]);
  });
});
