/**
 * Lazy readers for Engine.IO v4 / socket.io v4 text frames, e.g. `42["sync.events",{…}]`.
 * A load generator holding tens of thousands of sockets cannot afford JSON.parse on every
 * broadcast, so it reads only the few fields it needs straight from the frame's bytes.
 * Everything here relies on the hub's key names, not on key order, except where noted.
 */

const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACKET = 0x5b;

/** Engine.IO packet types (first byte of a frame). */
export const EIO = { open: 0x30, close: 0x31, ping: 0x32, pong: 0x33, message: 0x34, noop: 0x36 } as const;
/** socket.io packet types (second byte of an Engine.IO message). */
export const SIO = { connect: 0x30, disconnect: 0x31, event: 0x32, ack: 0x33, connectError: 0x34 } as const;

const SEQ_KEY = Buffer.from('"seq":');
const HEAD_SEQ_KEY = Buffer.from('"headSeq":');
const COMMAND_ID_KEY = Buffer.from('"commandId":"');
const EPOCH_KEY = Buffer.from('"epoch":"');

/** Reads the non-negative integer starting at `at`, or null when there is none. */
export function readInt(frame: Buffer, at: number): number | null {
  let value = 0;
  let i = at;
  for (; i < frame.length; i++) {
    const c = frame[i];
    if (c === undefined || c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
  }
  return i === at ? null : value;
}

/** The integer after the first occurrence of `key` at or after `from`. */
export function intAfter(frame: Buffer, key: Buffer, from = 0): number | null {
  const at = frame.indexOf(key, from);
  return at < 0 ? null : readInt(frame, at + key.length);
}

/** The integer after the last occurrence of `key`. */
export function lastIntAfter(frame: Buffer, key: Buffer): number | null {
  const at = frame.lastIndexOf(key);
  return at < 0 ? null : readInt(frame, at + key.length);
}

/** The string value after the first occurrence of `key` (which ends with the opening quote). */
export function stringAfter(frame: Buffer, key: Buffer, from = 0): string | null {
  const at = frame.indexOf(key, from);
  if (at < 0) return null;
  const start = at + key.length;
  const end = frame.indexOf(QUOTE, start);
  return end < 0 ? null : frame.toString('latin1', start, end);
}

/** A socket.io EVENT or ACK packet: its ack id (if any) and where its JSON array starts. */
export type Packet = { ackId: number | null; arrayStart: number };

/** Reads the header of a `42…`/`43…` frame: optional ack id digits, then the JSON array. */
export function packetHeader(frame: Buffer): Packet | null {
  const arrayStart = frame.indexOf(OPEN_BRACKET, 2);
  if (arrayStart < 0) return null;
  // The root namespace is implicit; ours never uses another, so digits follow directly.
  return { ackId: arrayStart > 2 ? readInt(frame, 2) : null, arrayStart };
}

/** The event name of an EVENT packet whose array starts at `arrayStart` (`["name",…`). */
export function eventName(frame: Buffer, arrayStart: number): string | null {
  if (frame[arrayStart + 1] !== QUOTE) return null;
  const end = frame.indexOf(QUOTE, arrayStart + 2);
  return end < 0 ? null : frame.toString('latin1', arrayStart + 2, end);
}

/** What a client needs from one `sync.events` batch. */
export type BatchSummary = {
  headSeq: number | null;
  firstSeq: number | null;
  lastSeq: number | null;
  count: number;
};

/**
 * The seqs of the events in a `sync.events` batch and its headSeq. Every event carries a
 * top-level `"seq":`; no event payload has a key named `seq`, and `"headSeq":` does not
 * contain `"seq":`, so counting occurrences finds exactly the events.
 */
export function summariseBatch(frame: Buffer, from: number): BatchSummary {
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let count = 0;
  let at = frame.indexOf(SEQ_KEY, from);
  while (at >= 0) {
    const seq = readInt(frame, at + SEQ_KEY.length);
    if (seq !== null) {
      firstSeq ??= seq;
      lastSeq = seq;
      count++;
    }
    at = frame.indexOf(SEQ_KEY, at + SEQ_KEY.length);
  }
  return { headSeq: lastIntAfter(frame, HEAD_SEQ_KEY), firstSeq, lastSeq, count };
}

/** Calls `onId` with every event's commandId in a batch (how receivers match publishes). */
export function forEachCommandId(frame: Buffer, from: number, onId: (id: string) => void): void {
  let at = frame.indexOf(COMMAND_ID_KEY, from);
  while (at >= 0) {
    const start = at + COMMAND_ID_KEY.length;
    const end = frame.indexOf(QUOTE, start);
    if (end < 0) return;
    onId(frame.toString('latin1', start, end));
    at = frame.indexOf(COMMAND_ID_KEY, end);
  }
}

/** A `sync.snapshot`'s seq: the snapshot object is `{epoch, seq, state}`, seq before the state. */
export const snapshotSeq = (frame: Buffer, from: number): number | null => intAfter(frame, SEQ_KEY, from);

/** The epoch named in a sync frame. */
export const frameEpoch = (frame: Buffer, from: number): string | null => stringAfter(frame, EPOCH_KEY, from);

/** Whether an ACK packet's answer is `{ "ok": true, … }`. */
export const ackOk = (frame: Buffer, arrayStart: number): boolean =>
  frame.indexOf('"ok":true', arrayStart) >= 0;

/** The `data.seq` of a successful command ack. */
export const ackSeq = (frame: Buffer, arrayStart: number): number | null =>
  intAfter(frame, SEQ_KEY, arrayStart);
