import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import { createLogger } from '../base/logger.js';
import { AuditBacklog, type AuditWriteOutcome } from './audit-backlog.js';
import { createRedisAuditStore } from './redis-audit-store.js';

function record(id: string): AuditRecord {
  return {
    at: '2026-01-01T10:00:00.000Z',
    kind: 'command',
    type: 'logEntry.add',
    id,
    userId: 'tib.nacka',
    deviceId: null,
    actorId: 'nacka',
    functionId: 'dutyOfficer',
    target: null,
    ip: '192.0.2.7',
    via: 'http',
    hubId: 'hub-a',
    outcome: 'ok',
    note: null,
  };
}

/** A medium that refuses every write while `full` is set, as a full disk does. */
function medium() {
  const m = {
    full: false,
    written: [] as string[],
    write: async (records: readonly AuditRecord[]): Promise<AuditWriteOutcome> => {
      if (m.full) return { unwritten: [...records], error: new Error('ENOSPC: no space left on device') };
      for (const r of records) m.written.push(r.id ?? '');
      return { unwritten: [], error: null };
    },
  };
  return m;
}

/** A logger whose error lines the test reads: the count must be loud. */
function recordingLogger(): { logger: Logger; errors: { obj: object; msg: string }[] } {
  const errors: { obj: object; msg: string }[] = [];
  const logger = createLogger('silent', 'test');
  logger.error = ((obj: object, msg: string) => void errors.push({ obj, msg })) as Logger['error'];
  return { logger, errors };
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the audit backlog', () => {
  it('keeps records the medium refuses and writes them, in order, once it takes them again', async () => {
    const m = medium();
    const { logger, errors } = recordingLogger();
    const backlog = new AuditBacklog({ write: m.write, logger, store: 'file', delayMs: 10 });
    m.full = true;
    for (const id of ['a', 'b', 'c']) backlog.push(record(id));
    await waitFor(() => errors.length > 0);
    expect(errors[0]?.msg).toMatch(/audit.writeFailed/);
    backlog.push(record('d'));
    expect(backlog.health()).toEqual({ held: 4, dropped: 0 });

    m.full = false;
    await waitFor(() => m.written.length === 4);
    expect(m.written).toEqual(['a', 'b', 'c', 'd']);
    expect(backlog.health()).toEqual({ held: 0, dropped: 0 });
    await backlog.close();
  });

  it('shows held records to a query, each once', async () => {
    const m = medium();
    const backlog = new AuditBacklog({
      write: m.write,
      logger: recordingLogger().logger,
      store: 'file',
      delayMs: 10,
    });
    m.full = true;
    backlog.push(record('held'));
    const seen = await backlog.read(async (held) => [...m.written, ...held.map((r) => r.id)]);
    expect(seen).toEqual(['held']);
    m.full = false;
    const after = await backlog.read(async (held) => [...m.written, ...held.map((r) => r.id)]);
    expect(after).toEqual(['held']);
    await backlog.close();
  });

  it('drops records past its bound and says how many, loudly', async () => {
    const m = medium();
    const { logger, errors } = recordingLogger();
    const backlog = new AuditBacklog({ write: m.write, logger, store: 'file', delayMs: 10, maxHeld: 2 });
    m.full = true;
    for (const id of ['a', 'b', 'c', 'd', 'e']) backlog.push(record(id));
    expect(backlog.health()).toEqual({ held: 2, dropped: 3 });
    expect(errors.some((e) => /audit.recordsDropped/.test(e.msg))).toBe(true);

    m.full = false;
    await waitFor(() => m.written.length === 2);
    expect(m.written).toEqual(['a', 'b']);
    // The count stays for /readyz after the medium heals.
    expect(backlog.health()).toEqual({ held: 0, dropped: 3 });
    await backlog.close();
  });

  it('reports records it could not write before closing', async () => {
    const m = medium();
    const { logger, errors } = recordingLogger();
    const backlog = new AuditBacklog({ write: m.write, logger, store: 'redis', delayMs: 0 });
    m.full = true;
    backlog.push(record('a'));
    await backlog.close();
    expect(
      errors.some((e) => /audit.closedUnwritten/.test(e.msg) && (e.obj as { lost: number }).lost === 1),
    ).toBe(true);
  });
});

describe('the Redis audit trail while Redis refuses writes', () => {
  /** A stream in memory behind the one call the store makes; `down` refuses every call. */
  function fakeRedis() {
    const stream: [string, string[]][] = [];
    const redis = {
      down: false,
      stream,
      sendCommand: async (args: string[]): Promise<unknown> => {
        if (redis.down) throw new Error('The client is closed');
        if (args[0] === 'XADD') {
          stream.push([`${stream.length + 1}-0`, [args[6] ?? '', args[7] ?? '']]);
          return `${stream.length}-0`;
        }
        if (args[0] === 'XREVRANGE') return [...stream].reverse();
        throw new Error(`unexpected ${args[0]}`);
      },
    };
    return redis;
  }

  it('keeps the records, shows them to queries, and adds them to the stream once Redis is back', async () => {
    const redis = fakeRedis();
    const { logger, errors } = recordingLogger();
    const store = createRedisAuditStore(redis, 'test:', logger);
    store.append(record('before'));
    expect((await store.query({ limit: 10 })).map((r) => r.id)).toEqual(['before']);
    redis.down = true;
    store.append(record('while-down'));
    await waitFor(() => errors.some((e) => /audit.writeFailed/.test(e.msg)));
    expect(store.health()).toEqual({ held: 1, dropped: 0 });

    redis.down = false;
    await waitFor(() => redis.stream.length === 2);
    expect((await store.query({ limit: 10 })).map((r) => r.id)).toEqual(['before', 'while-down']);
    expect(store.health()).toEqual({ held: 0, dropped: 0 });
    await store.close();
  });
});
