import { crc32 } from 'node:zlib';
import { EVENT_TYPES, type StoredEvent, withEventDefaults } from '@lagesbild/shared';

/**
 * One journal line is one appended command:
 *
 *     <crc32 of the JSON, 8 hex digits> <space> {"seq":…,"n":…,"commandId":…,"t":…,"events":[…]} \n
 *
 * The checksum tells a line that a crash cut short (or filled with zeros) from a whole
 * one, so replay can drop a torn tail instead of misreading it. `seq` and `n` (the first
 * seq and the number of events) lead the JSON so that indexing history needs no JSON
 * parse. `t` is the hub's clock when the command was appended, in ms, which the
 * idempotency window is measured from. `h` is the command's payload hash (see
 * payload-hash.ts); lines written before it was stored, and system changes, have none.
 * The sender the idempotency check compares is the events' `by.userId`.
 */
export type JournalRecord = { commandId: string; t: number; h?: string; events: StoredEvent[] };

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CRC_HEX = 8;

const EVENT_TYPE_NAMES = new Set<string>(EVENT_TYPES);
/** The head of every record's JSON: `{"seq":<digits>,"n":<digits>,`. */
const SEQ_FIELD = Buffer.from('{"seq":', 'latin1');
const COUNT_FIELD = Buffer.from(',"n":', 'latin1');
const COMMA = 0x2c;

/** A journal line's record; the payload hash only when there is one (see JournalRecord). */
export function journalRecord(
  commandId: string,
  t: number,
  payloadHash: string | null,
  events: StoredEvent[],
): JournalRecord {
  return payloadHash === null ? { commandId, t, events } : { commandId, t, h: payloadHash, events };
}

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
  const expected = readHex(line, CRC_HEX);
  const json = line.subarray(CRC_HEX + 1);
  if (expected < 0 || crc32(json) !== expected) throw new BadLineError('checksum mismatch');
  return json;
}

/** The number written in the first `digits` bytes in hex, or -1 if one is not a hex digit. */
function readHex(bytes: Buffer, digits: number): number {
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const c = bytes[i] ?? 0;
    const digit =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Reads `<prefix><1 to maxDigits decimal digits>` at `at`; returns the number and where
 * it ends, or null. Byte by byte, as start-up reads the header of every retained line.
 */
function readField(
  json: Buffer,
  at: number,
  prefix: Buffer,
  maxDigits: number,
): { value: number; end: number } | null {
  if (
    json.length < at + prefix.length ||
    json.compare(prefix, 0, prefix.length, at, at + prefix.length) !== 0
  ) {
    return null;
  }
  let i = at + prefix.length;
  let value = 0;
  while (i < json.length && i - at - prefix.length < maxDigits) {
    const c = json[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
    i++;
  }
  return i > at + prefix.length ? { value, end: i } : null;
}

/**
 * Decodes a line and checks its structure: the record's fields, and for every event its
 * seq (contiguous from the header's), command id, a known type, and the kinds of its
 * other fields. The events are not run through the shared schema again: the checksum
 * proves the line holds exactly the bytes that were written, and `append` validated every
 * event with that schema before writing it. So a damaged line is still refused (by the
 * checksum), at a fraction of the cost of a full parse, which dominated replay.
 */
export function decodeRecord(line: Buffer): JournalRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(checkedBytes(line).toString('utf8'));
  } catch (error) {
    if (error instanceof BadLineError) throw error;
    throw new BadLineError('checksum matches but the JSON does not parse');
  }
  if (
    !isRecord(raw) ||
    !isPositiveInteger(raw.seq) ||
    !isPositiveInteger(raw.n) ||
    typeof raw.commandId !== 'string' ||
    raw.commandId.length === 0 ||
    typeof raw.t !== 'number' ||
    !Number.isFinite(raw.t) ||
    !Array.isArray(raw.events) ||
    raw.events.length !== raw.n ||
    (raw.h !== undefined && typeof raw.h !== 'string')
  ) {
    throw new BadLineError('not a journal record, or the header does not match the events');
  }
  const { seq, commandId } = raw;
  const events = raw.events as unknown[];
  for (let i = 0; i < events.length; i++) {
    checkEvent(events[i], seq + i, commandId, i);
    // Lines written by older hubs lack what the schema has since added with a default.
    events[i] = withEventDefaults(events[i] as StoredEvent);
  }
  // Checked field by field above; the shared schema vouched for the rest when it was written.
  const record: JournalRecord = { commandId, t: raw.t, events: events as StoredEvent[] };
  if (typeof raw.h === 'string') record.h = raw.h;
  return record;
}

function checkEvent(event: unknown, seq: number, commandId: string, i: number): void {
  if (!isRecord(event)) throw new BadLineError(`event ${i} is not an object`);
  if (event.seq !== seq) throw new BadLineError(`event ${i} breaks the sequence`);
  if (event.commandId !== commandId) throw new BadLineError(`event ${i} belongs to another command`);
  if (typeof event.type !== 'string' || !EVENT_TYPE_NAMES.has(event.type)) {
    throw new BadLineError(`event ${i} has an unknown type`);
  }
  if (typeof event.at !== 'string' || !isRecord(event.by) || !isRecord(event.payload)) {
    throw new BadLineError(`event ${i} is invalid: at, by or payload missing`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/**
 * Reads only what the read index needs (first seq and count) from the head of a line whose
 * checksum holds. Used for history before the snapshot, which start-up does not fold;
 * those events are fully validated when they are read.
 */
export function decodeRecordHeader(line: Buffer): { firstSeq: number; count: number } {
  const json = checkedBytes(line);
  const seq = readField(json, 0, SEQ_FIELD, 15);
  const n = seq && readField(json, seq.end, COUNT_FIELD, 9);
  if (!seq || !n || json[n.end] !== COMMA) throw new BadLineError('the record has no header');
  return { firstSeq: seq.value, count: n.value };
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
