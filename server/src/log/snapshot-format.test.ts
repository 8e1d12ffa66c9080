import { mkdtemp, open as openFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyInPlace, initialDirectory, newestFirst, type State, type StoredEvent } from '@lagesbild/shared';
import { buildEvent, buildLogEntry } from '@lagesbild/shared/test-factories';
import { decodeRecord, encodeRecord } from './journal/journal-format.js';
import { readLineBatches } from './journal/journal-io.js';
import {
  SnapshotDataError,
  captureSnapshot,
  decodeSnapshotBuffer,
  encodeSnapshot,
} from './snapshot-codec.js';
import { fold, history, stateAsOldHubStoredIt } from './testing/snapshot-fixtures.js';
import { testTime } from './testing/test-events.js';

function encode(events: StoredEvent[], header: Record<string, unknown> = { seq: events.length }): Buffer {
  const { state, directory } = fold(events);
  return Buffer.concat([...encodeSnapshot(header, captureSnapshot(state, directory))]);
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

  it('reads log entries of a hub before items kept their place in the log as first, before all logged since', () => {
    const events = history(6);
    const { state, directory } = fold(events);
    const old = stateAsOldHubStoredIt(state) as unknown as State;
    const bytes = Buffer.concat([
      ...encodeSnapshot({ seq: 6 }, captureSnapshot({ ...old, fieldReports: {} }, directory)),
    ]);
    const decoded = decodeSnapshotBuffer(bytes).state;
    expect(Object.values(decoded.logEntries).map((e) => e.seq)).toEqual([0, 0, 0, 0]);
    const { seq: _seq, ...entry } = buildLogEntry({ text: 'efter' });
    const later = buildEvent(
      {
        type: 'logEntry.added',
        payload: { entry: { ...entry, at: testTime(-60) } },
      },
      { seq: 7, at: testTime(-60) },
    );
    applyInPlace(decoded, [later]);
    // Logged after the snapshot, though stamped earlier: newest first all the same.
    expect(Object.values(decoded.logEntries).sort(newestFirst)[0]?.text).toBe('efter');
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
