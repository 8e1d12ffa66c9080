import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@lagesbild/shared';
import type { Logger } from '../base/logger.js';
import { createLogger } from '../base/logger.js';
import { AuditBacklog, type AuditWriteOutcome } from './audit-backlog.js';

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
