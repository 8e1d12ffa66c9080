import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { parseStoredEvent, type StoredEvent } from '@lagesbild/shared';

/**
 * One journal line is one appended command:
 *
 *     <crc32 of the JSON, 8 hex digits> <space> {"seq":…,"n":…,"commandId":…,"t":…,"events":[…]} \n
 *
 * The checksum tells a line that a crash cut short (or filled with zeros) from a whole
 * one, so replay can drop a torn tail instead of misreading it. `seq` and `n` (the first
 * seq and the number of events) lead the JSON so that indexing history needs no JSON
 * parse. `t` is the hub's clock when the command was appended, in ms, which the
 * idempotency window is measured from.
 */
export type JournalRecord = { commandId: string; t: number; events: StoredEvent[] };

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CRC_HEX = 8;

const RecordShape = z.strictObject({
  seq: z.number().int().positive(),
  n: z.number().int().positive(),
  commandId: z.string().min(1),
  t: z.number().finite(),
  events: z.array(z.unknown()).min(1),
});
const HEADER = /^\{"seq":(\d{1,15}),"n":(\d{1,9}),/;

/** Encodes a record as one line, newline included. */
export function encodeRecord(record: JournalRecord): Buffer {
  const first = record.events[0]?.seq ?? 0;
  const ordered = { seq: first, n: record.events.length, ...record };
  const json = Buffer.from(JSON.stringify(ordered), 'utf8');
  const crc = crc32(json).toString(16).padStart(CRC_HEX, '0');
  return Buffer.concat([Buffer.from(`${crc} `, 'latin1'), json, Buffer.from('\n', 'latin1')]);
}

/** Why a line could not be read; the caller decides whether that is a torn tail or corruption. */
export class BadLineError extends Error {
  override readonly name = 'BadLineError';
}

/** Checks the checksum and returns the JSON bytes of one line (without its newline). */
function checkedBytes(line: Buffer): Buffer {
  if (line.length < CRC_HEX + 2 || line[CRC_HEX] !== SPACE) throw new BadLineError('not a journal line');
  const expected = Number.parseInt(line.subarray(0, CRC_HEX).toString('latin1'), 16);
  const json = line.subarray(CRC_HEX + 1);
  if (!Number.isFinite(expected) || crc32(json) !== expected) throw new BadLineError('checksum mismatch');
  return json;
}

/** Decodes and fully validates a line: every event goes through the shared schema. */
export function decodeRecord(line: Buffer): JournalRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(checkedBytes(line).toString('utf8'));
  } catch (error) {
    if (error instanceof BadLineError) throw error;
    throw new BadLineError('checksum matches but the JSON does not parse');
  }
  const shape = RecordShape.safeParse(raw);
  if (!shape.success) throw new BadLineError(`not a journal record: ${shape.error.message}`);
  const events = shape.data.events.map((event, i) => {
    try {
      return parseStoredEvent(event);
    } catch (error) {
      throw new BadLineError(`event ${i} is invalid: ${(error as Error).message}`);
    }
  });
  if (events[0]?.seq !== shape.data.seq || events.length !== shape.data.n) {
    throw new BadLineError('the header does not match the events');
  }
  checkContiguous(
    shape.data.commandId,
    events.map((e) => e.seq),
    events.map((e) => e.commandId),
  );
  return { commandId: shape.data.commandId, t: shape.data.t, events };
}

/**
 * Reads only what the read index needs (first seq and count) from the head of a line whose
 * checksum holds. Used for history before the snapshot, which start-up does not fold;
 * those events are fully validated when they are read.
 */
export function decodeRecordHeader(line: Buffer): { firstSeq: number; count: number } {
  const json = checkedBytes(line);
  const match = HEADER.exec(json.subarray(0, 40).toString('latin1'));
  if (!match) throw new BadLineError('the record has no header');
  return { firstSeq: Number(match[1]), count: Number(match[2]) };
}

function checkContiguous(commandId: string, seqs: number[], commandIds: string[]): void {
  for (let i = 0; i < seqs.length; i++) {
    if (commandIds[i] !== commandId) throw new BadLineError(`event ${i} belongs to another command`);
    const first = seqs[0] ?? 0;
    if (seqs[i] !== first + i) throw new BadLineError(`event ${i} breaks the sequence`);
  }
}

/** One line found by `splitLines`: its byte offset, bytes (no newline), and whether it ended. */
export type RawLine = { offset: number; bytes: Buffer; terminated: boolean };

/**
 * Splits a buffer that starts at file offset `base` into lines. Splitting on the newline
 * byte is safe for UTF-8: 0x0a never occurs inside a multi-byte character.
 */
export function splitLines(buffer: Buffer, base: number): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < buffer.length) {
    const end = buffer.indexOf(NEWLINE, start);
    if (end === -1) {
      lines.push({ offset: base + start, bytes: buffer.subarray(start), terminated: false });
      break;
    }
    lines.push({ offset: base + start, bytes: buffer.subarray(start, end), terminated: true });
    start = end + 1;
  }
  return lines;
}
