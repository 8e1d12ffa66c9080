import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initialState, projectState, type Incident, type State } from '@lagesbild/shared';
import type { EventLog } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { captureSnapshot, encodeSnapshot, isSnapshotV2 } from '../snapshot-codec.js';
import { appendOne, appendedEvents } from '../testing/log-helpers.js';
import {
  appendAll,
  appendIncidentAndCheckin,
  fold,
  stateAsOldHubStoredIt,
  upgradedFromOldHub,
  warnings,
} from '../testing/snapshot-fixtures.js';
import { buildAttribution, buildIncidentDrafts } from '../testing/test-events.js';
import { createJournalLog, SNAPSHOT_FILE } from './journal-log.js';

describe('journal snapshots', () => {
  let dir: string;
  const logs: EventLog[] = [];
  const journal = (logger?: LogSink) => {
    const log = createJournalLog({ dir, idempotencyWindowMs: 3600_000, ...(logger ? { logger } : {}) });
    logs.push(log);
    return log;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-snapshot-'));
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-snapshot-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes format 2 and opens from it, remembering the commands before it', async () => {
    const log = journal();
    await log.open();
    const events = await appendAll(log, 12);
    await log.saveSnapshot({ seq: 10, ...fold(events.slice(0, 10)) });
    await log.close();
    expect(isSnapshotV2(await readFile(path.join(dir, SNAPSHOT_FILE)))).toBe(true);

    const again = journal();
    const opened = await again.open();
    expect(opened.snapshot?.seq).toBe(10);
    expect(opened.snapshot?.state).toEqual(fold(events.slice(0, 10)).state);
    expect(opened.events.map((e) => e.seq)).toEqual([11, 12]);
    const first = events[0];
    if (!first) throw new Error('no events');
    const anna = buildAttribution().userId;
    expect(await again.findCommand(first.commandId, { sender: anna, payloadHash: 'payload-hash-0' })).toEqual(
      {
        seq: 1,
        sameCommand: true,
      },
    );
    // Who sent it and what it said survive the snapshot: another sender or payload is not it.
    expect(await again.findCommand(first.commandId, { sender: anna, payloadHash: 'payload-hash-5' })).toEqual(
      {
        seq: 1,
        sameCommand: false,
      },
    );
    expect(
      await again.findCommand(first.commandId, { sender: 'u-mallory', payloadHash: 'payload-hash-0' }),
    ).toEqual({ seq: 1, sameCommand: false });
  });

  it('ignores a damaged snapshot, says so, and replays the whole journal instead', async () => {
    const log = journal();
    await log.open();
    const events = await appendAll(log, 12);
    await log.saveSnapshot({ seq: 10, ...fold(events.slice(0, 10)) });
    await log.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    const bytes = await readFile(file);
    const at = bytes.indexOf('rad 3');
    bytes[at + 4] = '4'.charCodeAt(0);
    await writeFile(file, bytes);

    const { messages, sink } = warnings();
    const opened = await journal(sink).open();
    expect(opened.snapshot).toBeNull();
    expect(opened.events).toEqual(events);
    expect(messages.some((m) => m.startsWith('journal.snapshotIgnored'))).toBe(true);
  });

  it('opens a copy that took the journal before the snapshot: the journal alone, with a warning', async () => {
    const log = journal();
    await log.open();
    const events = await appendAll(log, 6);
    await log.close();
    // The copy: the journal as it was after 6 events, the snapshot as it was after 12.
    const journalCopy = await readFile(path.join(dir, 'events.jsonl'));
    const more = journal();
    await more.open();
    const later = await appendAll(more, 6, 6);
    await more.saveSnapshot({ seq: 12, ...fold([...events, ...later]) });
    await more.close();
    await writeFile(path.join(dir, 'events.jsonl'), journalCopy);

    const { messages, sink } = warnings();
    const opened = await journal(sink).open();
    expect(opened.snapshot).toBeNull();
    expect(opened.events).toEqual(events);
    expect(messages.some((m) => m.includes('the snapshot is newer than the journal'))).toBe(true);
  });

  it('still opens from a format-1 snapshot', async () => {
    const log = journal();
    const { epoch } = await log.open();
    const events = await appendAll(log, 6);
    await log.close();
    const journalBytes = await readFile(path.join(dir, 'events.jsonl'));
    // Line 5 holds event 5; the format-1 snapshot at seq 4 points to where it starts.
    let offset = 0;
    for (let i = 0; i < 4; i++) offset = journalBytes.indexOf(0x0a, offset) + 1;
    const { state, directory } = fold(events.slice(0, 4));
    const commands = events.slice(0, 4).map((e) => [e.commandId, e.seq, Date.now()]);
    const v1 = { version: 1, epoch, seq: 4, offset, historyOffset: 0, commands, state, directory };
    await writeFile(path.join(dir, SNAPSHOT_FILE), JSON.stringify(v1));

    const opened = await journal().open();
    expect(opened.snapshot?.seq).toBe(4);
    expect(opened.snapshot?.state).toEqual(state);
    expect(opened.events.map((e) => e.seq)).toEqual([5, 6]);
  });

  it('opens a format-2 snapshot of an older hub: commands without senders, incidents without versions', async () => {
    const log = journal();
    const { epoch } = await log.open();
    const events = appendedEvents(
      await appendOne(log, 0, buildIncidentDrafts(), randomUUID(), { payloadHash: 'payload-hash-0' }),
    );
    const extra = await appendAll(log, 2, 2);
    await log.close();
    const journalBytes = await readFile(path.join(dir, 'events.jsonl'));
    // The snapshot at seq 2 (the incident's command) points to the next line.
    const offset = journalBytes.indexOf(0x0a) + 1;
    const { state, directory } = fold(events);
    const incidentId = Object.keys(state.incidents)[0] ?? '';
    // As an older hub stored it: no version on the incident, three columns of commands.
    const stored = state.incidents[incidentId];
    if (!stored) throw new Error('the incident was not folded');
    const { version: _version, ...unversioned } = stored;
    // Typed as the schema is now, stored as an older hub wrote it.
    state.incidents[incidentId] = unversioned as Incident;
    const first = events[0]?.commandId ?? '';
    const table = { name: 'commands', columns: 3, rows: () => [[first, 2, Date.now()]] };
    const header = { version: 2, epoch, seq: 2, offset, historyOffset: 0 };
    await writeFile(
      path.join(dir, SNAPSHOT_FILE),
      Buffer.concat([...encodeSnapshot(header, captureSnapshot(state, directory), [table])]),
    );

    const again = journal();
    const opened = await again.open();
    expect(opened.snapshot?.seq).toBe(2);
    expect(opened.snapshot?.state.incidents[incidentId]?.version).toBe(0);
    expect(opened.events.map((e) => e.seq)).toEqual(extra.map((e) => e.seq));
    // Who sent it is unknown there, so every sender gets the original answer, as before.
    expect(await again.findCommand(first, { sender: 'u-mallory', payloadHash: 'x' })).toEqual({
      seq: 2,
      sameCommand: true,
    });
  });
  it('opens snapshots of a hub before field reports, in format 2 and 1, and serves their check-ins', async () => {
    const log = journal();
    const { epoch } = await log.open();
    const folded = await appendIncidentAndCheckin(log);
    const extra = await appendAll(log, 2, 3);
    await log.close();
    expect(folded.map((e) => e.seq)).toEqual([1, 2, 3]);
    const journalBytes = await readFile(path.join(dir, 'events.jsonl'));
    // The snapshot at seq 3 points past the first two lines (the incident's, the check-in's).
    const offset = journalBytes.indexOf(0x0a, journalBytes.indexOf(0x0a) + 1) + 1;
    const { state, directory } = fold(folded);
    const old = stateAsOldHubStoredIt(state);
    const header = { version: 2, epoch, seq: 3, offset, historyOffset: 0 };
    const table = { name: 'commands', columns: 3, rows: () => [[folded[0]?.commandId, 2, Date.now()]] };
    const formats: [string, Buffer][] = [
      [
        'format 2',
        Buffer.concat([
          ...encodeSnapshot(header, captureSnapshot(old as unknown as State, directory), [table]),
        ]),
      ],
      [
        'format 1',
        Buffer.from(JSON.stringify({ ...header, version: 1, commands: [], state: old, directory })),
      ],
    ];
    for (const [format, bytes] of formats) {
      await writeFile(path.join(dir, SNAPSHOT_FILE), bytes);
      const { messages, sink } = warnings();
      const again = journal(sink);
      const opened = await again.open();
      await again.close();
      expect(messages, format).toEqual([]);
      expect(opened.snapshot?.seq, format).toBe(3);
      expect(opened.snapshot?.state, format).toEqual(upgradedFromOldHub(state));
      expect(opened.events.map((e) => e.seq)).toEqual(extra.map((e) => e.seq));
      const checkinId = Object.keys(state.checkins)[0] ?? '';
      const snapshotState = opened.snapshot?.state ?? initialState();
      // The region outside Nacka gets the summary, not a crash.
      expect(
        projectState(snapshotState, { kind: 'actor', actorId: 'polisen' }).checkins[checkinId],
      ).toMatchObject({ note: '', regionSummary: true });
    }
  });
});
