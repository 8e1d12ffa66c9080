import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialDirectory, initialState } from '@lagesbild/shared';
import { LogUnavailableError } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { appendOne, appendedSeqs, range } from '../testing/log-helpers.js';
import { buildLogEntryDraft } from '../testing/test-events.js';
import { createJournalLog, JOURNAL_FILE, SNAPSHOT_FILE, type JournalLog } from './journal-log.js';

/** Mounting a tmpfs needs root; without it these tests are skipped, and say why. */
const isRoot = process.getuid?.() === 0;

/** Fills the file system holding `file` until a write is refused for want of space. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** A command of two long entries: its line spans more than a page, so a full disk tears it. */
const bigDrafts = () => [buildLogEntryDraft('x'.repeat(4000)), buildLogEntryDraft('y'.repeat(4000))];

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!isRoot)('the journal on a disk that fills up (a 1 MiB tmpfs; needs root to mount)', () => {
  let mountPoint = '';
  let dir = '';
  /** The journal a failed assertion may have left open, which would keep the mount busy. */
  let openLog: JournalLog | null = null;
  const logged: string[] = [];
  const logger: LogSink = {
    info: (_obj, msg) => logged.push(msg),
    warn: (_obj, msg) => logged.push(msg),
    error: (_obj, msg) => logged.push(msg),
  };
  const journal = () => createJournalLog({ dir, idempotencyWindowMs: 3600_000, logger }) satisfies JournalLog;

  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(tmpdir(), 'lagesbild-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    dir = path.join(mountPoint, 'data');
    await mkdir(dir);
  });
  afterAll(async () => {
    if (!mountPoint) return;
    await openLog?.close();
    execFileSync('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('refuses appends (and snapshots) while full, cuts the torn tail, and resumes by itself once space returns', async () => {
    const log = journal();
    openLog = log;
    await log.open();
    const acked: string[] = [];
    let head = 0;
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      head = appendedSeqs(await appendOne(log, head, bigDrafts(), id)).at(-1) ?? head;
      acked.push(id);
    }
    const filler = path.join(mountPoint, 'filler');
    fill(filler);
    // A snapshot that cannot be written fails alone: the journal goes on, no temp file stays.
    await expect(
      log.saveSnapshot({ seq: head, state: initialState(), directory: initialDirectory() }),
    ).rejects.toThrow(/ENOSPC/);
    expect(log.isHealthy()).toBe(true);
    expect(await readdir(dir)).not.toContain(`${SNAPSHOT_FILE}.tmp`);

    // What is left of the journal's last page may still take a line; the next one is torn.
    let refused: string | null = null;
    for (let i = 0; i < 10 && refused === null; i++) {
      const id = randomUUID();
      try {
        head = appendedSeqs(await appendOne(log, head, bigDrafts(), id)).at(-1) ?? head;
        acked.push(id);
      } catch (error) {
        expect(error).toBeInstanceOf(LogUnavailableError);
        refused = id;
      }
    }
    expect(refused, 'no append was refused on a full disk').not.toBeNull();
    expect(log.isHealthy()).toBe(false);
    // Refused at once while unwritable, and the refused command is not remembered as appended.
    await expect(appendOne(log, head, bigDrafts())).rejects.toBeInstanceOf(LogUnavailableError);
    expect(
      await log.findCommand(refused ?? '', { sender: 'u-anna', payloadHash: 'payload-hash-1' }),
    ).toBeNull();
    // The first probe cuts the torn line even though the disk is still full.
    const journalFile = path.join(dir, JOURNAL_FILE);
    await waitFor(async () => (await readFile(journalFile)).at(-1) === 0x0a, 'the torn tail is cut');
    expect(log.isHealthy()).toBe(false);

    await rm(filler);
    await waitFor(() => log.isHealthy(), 'the journal resumes');
    expect(logged).toContain('journal.resumed: the disk takes writes again');
    // The refused command is appended anew, right after the last acknowledged one.
    const again = appendedSeqs(await appendOne(log, head, bigDrafts(), refused ?? ''));
    expect(again).toEqual([head + 1, head + 2]);
    acked.push(refused ?? '');
    const size = (await stat(journalFile)).size;
    await log.close();

    // Reopened: every acknowledged command once, in order, and nothing torn to cut.
    logged.length = 0;
    const reopened = journal();
    openLog = reopened;
    const { events } = await reopened.open();
    expect(events.map((e) => e.seq)).toEqual(range(1, head + 2));
    expect([...new Set(events.map((e) => e.commandId))]).toEqual(acked);
    expect(logged).not.toContain('journal.tornTailTruncated');
    expect((await stat(journalFile)).size).toBe(size);
    await reopened.close();
  });
});
