import { randomUUID } from 'node:crypto';
import { mkdtemp, open as openFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyDirectory,
  applyInPlace,
  initialDirectory,
  initialState,
  projectState,
  type EventDraft,
  type Incident,
  type State,
  type StoredEvent,
} from '@lagesbild/shared';
import { startRedis, type RedisServer } from '../../../test/support/redis-server.js';
import type { EventLog } from './event-log.js';
import { decodeRecord, encodeRecord } from './journal/journal-format.js';
import { readLineBatches } from './journal/journal-io.js';
import { createJournalLog, SNAPSHOT_FILE } from './journal/journal-log.js';
import type { LogSink } from './log-sink.js';
import { createRedisLog } from './redis/redis-log.js';
import {
  SnapshotDataError,
  captureSnapshot,
  decodeSnapshotBuffer,
  encodeSnapshot,
  isSnapshotV2,
} from './snapshot-codec.js';
import {
  buildAttribution,
  buildIncidentDrafts,
  buildLogEntryDraft,
  testTime,
} from './testing/test-events.js';

/** Events folded the way the hub folds them, with a directory entry among them. */
function history(count: number): StoredEvent[] {
  const drafts: EventDraft[] = [...buildIncidentDrafts()];
  for (let i = 0; drafts.length < count; i++) drafts.push(buildLogEntryDraft(`rad ${i} — åäö`));
  return drafts.map(
    (draft, i) =>
      ({ ...draft, seq: i + 1, at: testTime(i), by: buildAttribution(), commandId: `c${i}` }) as StoredEvent,
  );
}

function fold(events: StoredEvent[]) {
  const state = applyInPlace(initialState(), events);
  const directory = initialDirectory();
  for (const event of events) applyDirectory(directory, event);
  return { state, directory };
}

function encode(events: StoredEvent[], header: Record<string, unknown> = { seq: events.length }): Buffer {
  const { state, directory } = fold(events);
  return Buffer.concat([...encodeSnapshot(header, captureSnapshot(state, directory))]);
}

/** A check-in draft by Anna of Nacka, with a note only Nacka should read. */
function checkinDraft(): EventDraft {
  const checkin = {
    id: randomUUID(),
    incidentId: null,
    status: 'onSite',
    position: { lat: 59.31, lng: 18.16 },
    note: 'Vid brandstationen',
    at: testTime(),
    by: buildAttribution(),
    checkedOutAt: null,
    sharing: { scope: 'own' },
  } as const;
  return { type: 'checkin.created', payload: { checkin } };
}

/**
 * The state as a hub before field reports (commit 2004d23) stored it in a snapshot, built
 * by hand: no `fieldReports` map, incidents without `version`, check-ins without `sharing`.
 * The encoder has not changed since, so encoding this object gives that hub's bytes.
 */
function stateAsOldHubStoredIt(state: State): Record<string, unknown> {
  const strip = <T extends object>(items: Record<string, T>, field: string) =>
    Object.fromEntries(
      Object.entries(items).map(([id, item]) => [
        id,
        Object.fromEntries(Object.entries(item).filter(([name]) => name !== field)),
      ]),
    );
  return {
    incidents: strip(state.incidents, 'version'),
    reports: state.reports,
    checkins: strip(state.checkins, 'sharing'),
    logEntries: state.logEntries,
    readiness: state.readiness,
  };
}

/** What a newer hub reads from that snapshot: the same items, with the defaults filled in. */
function upgradedFromOldHub(state: State): State {
  return {
    ...state,
    incidents: Object.fromEntries(
      Object.entries(state.incidents).map(([id, incident]) => [id, { ...incident, version: 0 }]),
    ),
  };
}

describe('snapshot format 2', () => {
  it('reads back the state and directory it wrote, over many chunks, with empty maps present', () => {
    const events = history(2500);
    const bytes = encode(events);
    // Non-ASCII text is escaped, so every line reads back as a one-byte string.
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    const decoded = decodeSnapshotBuffer(bytes);
    expect(decoded.header).toEqual({ version: 2, seq: 2500 });
    expect(decoded.state).toEqual(fold(events).state);
    expect(decoded.directory).toEqual(initialDirectory());
    expect(Object.keys(decoded.state.logEntries)).toEqual(Object.keys(fold(events).state.logEntries));
  });

  it('captures the state when asked: later folds do not leak into what is written', () => {
    const events = history(50);
    const { state, directory } = fold(events.slice(0, 40));
    const lines = encodeSnapshot({ seq: 40 }, captureSnapshot(state, directory));
    applyInPlace(state, events.slice(40));
    const decoded = decodeSnapshotBuffer(Buffer.concat([...lines]));
    expect(decoded.state).toEqual(fold(events.slice(0, 40)).state);
  });

  it('writes tables by column and reads them back', () => {
    const { state, directory } = fold(history(3));
    const rows: [string, number, number][] = [
      ['a', 1, 10],
      ['b', 2, 20],
    ];
    const bytes = Buffer.concat([
      ...encodeSnapshot({}, captureSnapshot(state, directory), [
        { name: 'commands', columns: 3, rows: () => rows },
      ]),
    ]);
    expect(decodeSnapshotBuffer(bytes).tables.get('commands')).toEqual([
      ['a', 'b'],
      [1, 2],
      [10, 20],
    ]);
  });

  it('refuses a snapshot whose bytes changed, even where the JSON stays valid', () => {
    const bytes = encode(history(30));
    const at = bytes.indexOf('rad 7');
    bytes[at + 4] = '8'.charCodeAt(0);
    expect(() => decodeSnapshotBuffer(bytes)).toThrow(SnapshotDataError);
    expect(() => decodeSnapshotBuffer(bytes)).toThrow(/checksum mismatch/);
  });

  it('refuses a snapshot cut short, or with a line the format does not have', () => {
    const bytes = encode(history(30));
    const lastLine = bytes.lastIndexOf('\n', bytes.length - 2) + 1;
    expect(() => decodeSnapshotBuffer(bytes.subarray(0, lastLine))).toThrow(/before its trailer/);

    const text = bytes.toString('utf8');
    const withUnknown = text.replace('["state.incidents"', '["state.unknownThings"');
    expect(() => decodeSnapshotBuffer(Buffer.from(withUnknown))).toThrow(SnapshotDataError);
  });

  it('refuses a snapshot that lacks a map, even with a correct checksum', () => {
    const lines = encode(history(5)).toString('utf8').split('\n').slice(0, -2);
    const kept = lines.filter((line) => !line.startsWith('["state.checkins"'));
    const body = kept.map((line) => `${line}\n`).join('');
    const trailer = {
      end: 2,
      lines: kept.length,
      crc32: crc32(Buffer.from(body)).toString(16).padStart(8, '0'),
    };
    const bytes = Buffer.from(`${body}${JSON.stringify(trailer)}\n`);
    expect(() => decodeSnapshotBuffer(bytes)).toThrow(/fields missing: state.checkins/);
  });

  it('keeps a "__proto__" key as data, not as a prototype', () => {
    const { state, directory } = fold(history(2));
    Object.defineProperty(directory.passwordHashes, '__proto__', {
      value: 'hash',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const bytes = Buffer.concat([...encodeSnapshot({}, captureSnapshot(state, directory))]);
    const decoded = decodeSnapshotBuffer(bytes);
    expect(Object.getPrototypeOf(decoded.directory.passwordHashes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded.directory.passwordHashes, '__proto__')?.value).toBe(
      'hash',
    );
  });
});

describe('journal records', () => {
  const record = () => {
    const events = history(3).map((e) => ({ ...e, commandId: 'cmd' }));
    return { commandId: 'cmd', t: 1, events };
  };
  /** A line with a correct checksum over whatever JSON it is given. */
  const line = (json: string) =>
    Buffer.from(`${crc32(Buffer.from(json)).toString(16).padStart(8, '0')} ${json}`);

  it('decodes what it encoded', () => {
    const written = record();
    expect(decodeRecord(encodeRecord(written).subarray(0, -1))).toEqual(written);
  });

  it('refuses records with a checksum that holds but a structure that does not', () => {
    const good = JSON.parse(encodeRecord(record()).subarray(9, -1).toString('utf8')) as {
      events: Record<string, unknown>[];
    };
    const variants = [
      { ...good, events: good.events.map((e, i) => (i === 1 ? { ...e, seq: 7 } : e)) },
      { ...good, events: good.events.map((e, i) => (i === 1 ? { ...e, type: 'incident.exploded' } : e)) },
      { ...good, events: good.events.map((e, i) => (i === 2 ? { ...e, commandId: 'other' } : e)) },
      { ...good, events: good.events.map((e, i) => (i === 0 ? { ...e, payload: null } : e)) },
      { ...good, n: 4 },
    ];
    for (const variant of variants) expect(() => decodeRecord(line(JSON.stringify(variant)))).toThrow();
  });
});

/** Collects warnings, to check that an ignored snapshot says so. */
function warnings() {
  const messages: string[] = [];
  const sink: LogSink = {
    info: () => undefined,
    warn: (_fields, message) => messages.push(message),
    error: (_fields, message) => messages.push(message),
  };
  return { messages, sink };
}

async function appendAll(log: EventLog, count: number, from = 0): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = await log.append(
      from + i,
      randomUUID(),
      [buildLogEntryDraft(`rad ${i} — åäö`)],
      testTime(i),
      buildAttribution(),
      `payload-hash-${i}`,
    );
    if (outcome.status === 'appended') events.push(...outcome.events);
  }
  return events;
}

describe('reading lines in chunks', () => {
  it('reads lines longer than a chunk, lines cut by chunk ends, and an unterminated last line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lagesbild-lines-'));
    try {
      const file = path.join(dir, 'lines');
      const long = 'x'.repeat(20 * 1024 * 1024);
      const lines = ['first', long, ...Array.from({ length: 3000 }, (_, i) => `line ${i} ${'y'.repeat(i)}`)];
      await writeFile(file, `${lines.join('\n')}\ntorn`);
      const handle = await openFile(file, 'r');
      try {
        const { size } = await handle.stat();
        const read: { offset: number; text: string; terminated: boolean }[] = [];
        for await (const batch of readLineBatches(handle, 0, size)) {
          for (const line of batch) read.push({ ...line, text: line.bytes.toString('utf8') });
        }
        expect(read.map((line) => line.text)).toEqual([...lines, 'torn']);
        expect(read.map((line) => line.terminated)).toEqual([...lines.map(() => true), false]);
        let offset = 0;
        for (const line of read) {
          expect(line.offset).toBe(offset);
          offset += Buffer.byteLength(line.text) + 1;
        }
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

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
    const by = buildAttribution();
    const incident = await log.append(
      0,
      randomUUID(),
      buildIncidentDrafts(),
      testTime(),
      by,
      'payload-hash-0',
    );
    const events = incident.status === 'appended' ? incident.events : [];
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
    const by = buildAttribution();
    const first = await log.append(0, randomUUID(), buildIncidentDrafts(), testTime(), by, 'payload-hash-0');
    const checkedIn = await log.append(2, randomUUID(), [checkinDraft()], testTime(1), by, 'payload-hash-1');
    const extra = await appendAll(log, 2, 3);
    await log.close();
    const folded = [first, checkedIn].flatMap((o) => (o.status === 'appended' ? o.events : []));
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

describe('redis snapshots', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const open = (keyPrefix: string, logger?: LogSink) =>
    createRedisLog({
      url: redis.url,
      keyPrefix,
      idempotencyWindowMs: 3600_000,
      commandTimeoutMs: 2000,
      ...(logger ? { logger } : {}),
    });

  it('writes format 2, opens from it, and replays the stream when it is damaged', async () => {
    const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
    const log = open(keyPrefix);
    await log.open();
    const events = await appendAll(log, 8);
    await log.saveSnapshot({ seq: 6, ...fold(events.slice(0, 6)) });
    await log.close();

    const again = open(keyPrefix);
    const opened = await again.open();
    expect(opened.snapshot?.seq).toBe(6);
    expect(opened.snapshot?.state).toEqual(fold(events.slice(0, 6)).state);
    expect(opened.events.map((e) => e.seq)).toEqual([7, 8]);
    await again.close();

    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      const stored = await admin.hGet(`${keyPrefix}snapshot`, 'state');
      await admin.hSet(`${keyPrefix}snapshot`, 'state', (stored ?? '').replace('rad 2', 'rad 9'));
    } finally {
      await admin.close();
    }
    const { messages, sink } = warnings();
    const replayed = open(keyPrefix, sink);
    const fallback = await replayed.open();
    await replayed.close();
    expect(fallback.snapshot).toBeNull();
    expect(fallback.events).toEqual(events);
    expect(messages.some((m) => m.startsWith('redis.snapshotIgnored'))).toBe(true);
  });

  it('still opens from a format-1 snapshot', async () => {
    const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
    const log = open(keyPrefix);
    await log.open();
    const events = await appendAll(log, 5);
    await log.close();
    const { state, directory } = fold(events.slice(0, 3));
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      await admin.hSet(`${keyPrefix}snapshot`, {
        seq: '3',
        state: JSON.stringify(state),
        directory: JSON.stringify(directory),
      });
    } finally {
      await admin.close();
    }
    const again = open(keyPrefix);
    const opened = await again.open();
    await again.close();
    expect(opened.snapshot?.seq).toBe(3);
    expect(opened.snapshot?.state).toEqual(state);
    expect(opened.events.map((e) => e.seq)).toEqual([4, 5]);
  });
  it('opens snapshots of a hub before field reports when the stream before them is trimmed', async () => {
    for (const format of [2, 1]) {
      const keyPrefix = `snap-${randomUUID().slice(0, 8)}:`;
      const log = open(keyPrefix);
      await log.open();
      const by = buildAttribution();
      const first = await log.append(
        0,
        randomUUID(),
        buildIncidentDrafts(),
        testTime(),
        by,
        'payload-hash-0',
      );
      const checkedIn = await log.append(
        2,
        randomUUID(),
        [checkinDraft()],
        testTime(1),
        by,
        'payload-hash-1',
      );
      const extra = await appendAll(log, 2, 3);
      await log.close();
      const folded = [first, checkedIn].flatMap((o) => (o.status === 'appended' ? o.events : []));
      const { state, directory } = fold(folded);
      const old = stateAsOldHubStoredIt(state);
      const stateBytes =
        format === 2
          ? Buffer.concat([
              ...encodeSnapshot({ seq: 3 }, captureSnapshot(old as unknown as State, directory)),
            ]).toString('latin1')
          : JSON.stringify(old);
      const admin = createClient({ url: redis.url });
      await admin.connect();
      try {
        await admin.hSet(`${keyPrefix}snapshot`, {
          seq: '3',
          state: stateBytes,
          directory: JSON.stringify(directory),
        });
        // Trimmed as a hub trims its stream after a snapshot: replay is no longer possible.
        await admin.xTrim(`${keyPrefix}events`, 'MINID', '4-0');
      } finally {
        await admin.close();
      }
      const again = open(keyPrefix);
      const opened = await again.open();
      await again.close();
      expect(opened.snapshot?.seq, `format ${format}`).toBe(3);
      expect(opened.snapshot?.state, `format ${format}`).toEqual(upgradedFromOldHub(state));
      expect(opened.events.map((e) => e.seq)).toEqual(extra.map((e) => e.seq));
    }
  });
});
