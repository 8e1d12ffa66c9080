import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyInPlace,
  eventForViewer,
  initialDirectory,
  initialState,
  projectState,
  type StoredEvent,
  type Viewer,
} from '@lagesbild/shared';
import { describeEventLogContract, type LogHarness } from '../testing/event-log-contract.js';
import {
  CONTRACT_WINDOW_MS,
  appendOne,
  appendedEvents,
  appendedSeqs,
  duplicateOf,
  idConflictOf,
  range,
} from '../testing/log-helpers.js';
import { LogUnavailableError } from '../event-log.js';
import { createJournalLog, JOURNAL_FILE, META_FILE, type JournalLog } from './journal-log.js';
import { encodeRecord } from './journal-format.js';
import type { LogSink } from '../log-sink.js';
import { buildAttribution, buildLogEntryDraft, testTime } from '../testing/test-events.js';

async function journalHarness(): Promise<LogHarness & { dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-journal-'));
  let clock = Date.UTC(2025, 0, 15, 8);
  return {
    dir,
    log: (options) =>
      createJournalLog({
        dir,
        idempotencyWindowMs: options?.idempotencyWindowMs ?? 7 * 24 * 3600_000,
        now: () => clock,
      }),
    passTime: async (ms) => {
      clock += ms;
    },
    // A directory emptied and filled anew, as a restore or a swapped volume would: the open
    // journal keeps its file handles, on files that are no longer at these paths.
    replaceLog: async () => {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

describeEventLogContract('journal', journalHarness);

/** A logger that remembers what was said, so tests can check the operator is warned. */
function recordingLogger() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const sink: LogSink = {
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
  return { sink, lines };
}

describe('journal: files on disk', () => {
  let dir: string;
  let clock: number;
  const logs: JournalLog[] = [];
  const journal = (options: { windowMs?: number; logger?: LogSink; retainEvents?: number } = {}) => {
    const log = createJournalLog({
      dir,
      idempotencyWindowMs: options.windowMs ?? 60_000,
      now: () => clock,
      logger: options.logger,
      retainEvents: options.retainEvents,
    });
    logs.push(log);
    return log;
  };
  const journalFile = () => path.join(dir, JOURNAL_FILE);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-journal-'));
    clock = Date.UTC(2025, 0, 15, 8);
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function fillJournal(count: number): Promise<void> {
    const log = journal();
    await log.open();
    for (let i = 0; i < count; i++) await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)]);
    await log.close();
  }

  it('cuts off a torn last line with a warning and keeps every acknowledged event', async () => {
    await fillJournal(3);
    const intact = (await stat(journalFile())).size;
    // A crash in the middle of writing the fourth command leaves half a line.
    const line = encodeRecord({
      commandId: randomUUID(),
      t: clock,
      events: [
        {
          seq: 4,
          type: 'logEntry.added',
          at: testTime(),
          by: buildAttribution(),
          commandId: 'x',
          payload: {
            entry: {
              id: randomUUID(),
              incidentId: null,
              text: 'halv',
              sharing: { scope: 'region' },
              at: testTime(),
              by: buildAttribution(),
            },
          },
        },
      ],
    });
    await appendFile(journalFile(), line.subarray(0, Math.floor(line.length / 2)));

    const { sink, lines } = recordingLogger();
    const log = journal({ logger: sink });
    const opened = await log.open();
    expect(opened.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(lines.find((l) => l.level === 'warn')?.msg).toBe('journal.tornTailTruncated');
    expect((await stat(journalFile())).size).toBe(intact);

    expect(appendedSeqs(await appendOne(log, 3, [buildLogEntryDraft('efter kraschen')]))).toEqual([4]);
    await log.close();
    const again = await journal().open();
    expect(again.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('treats zero bytes after the last line (a crash while extending the file) as torn', async () => {
    await fillJournal(2);
    await appendFile(journalFile(), Buffer.alloc(512));
    const opened = await journal().open();
    expect(opened.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses to open a journal with a damaged line in the middle, naming the byte', async () => {
    await fillJournal(3);
    const bytes = await readFile(journalFile());
    const secondLine = bytes.indexOf(0x0a) + 1;
    bytes[secondLine + 40] = bytes[secondLine + 40] === 0x61 ? 0x62 : 0x61;
    await writeFile(journalFile(), bytes);
    await expect(journal().open()).rejects.toThrow(new RegExp(`corrupt at byte ${secondLine}`));
  });

  it('replays only the journal after the snapshot, and still reads the retained history', async () => {
    const log = journal({ retainEvents: 5 });
    await log.open();
    const events: StoredEvent[] = [];
    for (let i = 0; i < 30; i++)
      events.push(...appendedEvents(await appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)])));
    await log.saveSnapshot({
      seq: 20,
      state: applyInPlace(initialState(), events.slice(0, 20)),
      directory: initialDirectory(),
    });
    await log.close();

    // Damage the first line: only a log that reads before the retained history would notice.
    const bytes = await readFile(journalFile());
    bytes[30] = bytes[30] === 0x61 ? 0x62 : 0x61;
    await writeFile(journalFile(), bytes);

    const again = journal({ retainEvents: 5 });
    const opened = await again.open();
    expect(opened.snapshot?.seq).toBe(20);
    expect(opened.events.map((e) => e.seq)).toEqual(range(21, 30));
    expect((await again.read(15, 100)).map((e) => e.seq)).toEqual(range(16, 30));
    expect(again.stats().indexedLines).toBe(15);
  });

  it('group-commits concurrent appends: all durable, far fewer fsyncs than appends', async () => {
    const log = journal();
    await log.open();
    const outcomes = await Promise.all(
      range(0, 199).map((i) => appendOne(log, i, [buildLogEntryDraft(`rad ${i}`)])),
    );
    expect(outcomes.flatMap(appendedSeqs)).toEqual(range(1, 200));
    expect(log.stats().fsyncs).toBeLessThan(20);
    await log.close();
    expect((await journal().open()).events.map((e) => e.seq)).toEqual(range(1, 200));
  });

  it('answers a conflict only once the events up to the head it names can be read', async () => {
    const log = journal();
    await log.open();
    const first = appendOne(log, 0, [buildLogEntryDraft()]);
    const stale = await appendOne(log, 0, [buildLogEntryDraft()]);
    expect(stale).toEqual({ status: 'conflict', headSeq: 1, events: await log.read(0, 10), retryAfterMs: 0 });
    expect((await log.read(0, 10)).map((e) => e.seq)).toEqual([1]);
    expect(appendedSeqs(await first)).toEqual([1]);
  });

  it('remembers a command for exactly the window, measured by the injected clock', async () => {
    const log = journal({ windowMs: CONTRACT_WINDOW_MS });
    await log.open();
    const commandId = randomUUID();
    await appendOne(log, 0, [buildLogEntryDraft()], commandId);
    clock += CONTRACT_WINDOW_MS - 1;
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId)).toEqual(duplicateOf(commandId, 1, 1));
    clock += 1;
    expect(appendedSeqs(await appendOne(log, 1, [buildLogEntryDraft()], commandId))).toEqual([2]);
  });

  it('remembers commands from before the snapshot after a reopen', async () => {
    const log = journal();
    await log.open();
    const commandId = randomUUID();
    const events = appendedEvents(await appendOne(log, 0, [buildLogEntryDraft()], commandId));
    await appendOne(log, 1, [buildLogEntryDraft()]);
    await log.saveSnapshot({
      seq: 2,
      state: applyInPlace(initialState(), events),
      directory: initialDirectory(),
    });
    await log.close();

    const again = journal();
    await again.open();
    expect(await appendOne(again, 2, [buildLogEntryDraft()], commandId)).toEqual(
      duplicateOf(commandId, 1, 2),
    );
  });

  it('reads lines written before payload hashes were stored: the same sender matches any payload', async () => {
    const commandId = randomUUID();
    const draft = buildLogEntryDraft('skriven av en äldre hubb');
    // A line as an older hub wrote it: no `h`.
    await writeFile(
      journalFile(),
      encodeRecord({
        commandId,
        t: clock,
        events: [{ ...draft, seq: 1, at: testTime(), by: buildAttribution(), commandId } as StoredEvent],
      }),
    );
    const log = journal();
    expect((await log.open()).events.map((e) => e.seq)).toEqual([1]);
    expect(
      await appendOne(log, 1, [buildLogEntryDraft()], commandId, { payloadHash: 'payload-hash-2' }),
    ).toEqual(duplicateOf(commandId, 1, 1));
    expect(await appendOne(log, 1, [buildLogEntryDraft()], commandId, { userId: 'u-mallory' })).toEqual(
      idConflictOf(commandId, 1),
    );
  });

  it("reads a check-in an older hub logged without sharing as the actor's own: state, projections, catch-up", async () => {
    const by = buildAttribution({ actorId: 'nacka' });
    // A check-in line exactly as a hub before check-in sharing wrote it.
    const oldCheckin = {
      id: randomUUID(),
      incidentId: null,
      status: 'onSite',
      position: { lat: 59.31, lng: 18.16 },
      note: 'Vid brandstationen',
      at: testTime(),
      by,
      checkedOutAt: null,
    };
    const commandId = randomUUID();
    const oldEvent = {
      seq: 1,
      type: 'checkin.created',
      at: testTime(),
      by,
      commandId,
      payload: { checkin: oldCheckin },
    };
    await writeFile(
      journalFile(),
      encodeRecord({ commandId, t: clock, events: [oldEvent as unknown as StoredEvent] }),
    );
    const log = journal();
    const { events } = await log.open();
    const state = applyInPlace(initialState(), events);
    expect(state.checkins[oldCheckin.id]?.sharing).toEqual({ scope: 'own' });
    const nacka: Viewer = { kind: 'actor', actorId: 'nacka' };
    const police: Viewer = { kind: 'actor', actorId: 'polisen' };
    expect(projectState(state, nacka).checkins[oldCheckin.id]?.note).toBe('Vid brandstationen');
    expect(projectState(state, police).checkins[oldCheckin.id]).toMatchObject({ note: '', position: null });
    // Catch-up reads the line again from the file: the same default, the same summary.
    const [caughtUp] = await log.read(0, 10);
    expect(caughtUp && eventForViewer(police, caughtUp)).toMatchObject({
      payload: { checkin: { note: '', regionSummary: true } },
    });
  });

  it('gives a new log a new epoch', async () => {
    const first = await journal().open();
    const otherDir = await mkdtemp(path.join(tmpdir(), 'lagesbild-journal-'));
    try {
      const other = createJournalLog({ dir: otherDir, idempotencyWindowMs: 1000 });
      logs.push(other);
      expect((await other.open()).epoch).not.toBe(first.epoch);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('answers unavailable, not lost, when it cannot look at its files before an append', async () => {
    const log = journal();
    await log.open();
    await appendOne(log, 0, [buildLogEntryDraft()]);
    // A path stat cannot resolve (a symlink loop), as an I/O error or a stale volume would
    // leave it: that says nothing about whose files these are.
    const meta = path.join(dir, META_FILE);
    await rm(meta);
    await symlink(meta, meta);
    const refused = appendOne(log, 1, [buildLogEntryDraft()]);
    await expect(refused).rejects.toBeInstanceOf(LogUnavailableError);
    await expect(refused).rejects.toThrow(/cannot check the journal's file .*meta\.json/);
    expect(log.lostReason()).toBeNull();
  });

  it('keeps every acknowledged event when the process is killed with SIGKILL mid-append', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../testing/journal-crash-child.ts', import.meta.url)), dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let maxAcked = 0;
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines)
          for (const seq of line.split(' ').slice(1)) maxAcked = Math.max(maxAcked, Number(seq));
        // Killed while appends are in flight, so the journal may end in a torn line.
        if (maxAcked >= 400) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    await exited;

    const opened = await journal().open();
    const seqs = opened.events.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(maxAcked);
    expect(seqs).toEqual(range(1, seqs.length));
  }, 20_000);
});
