import { z } from 'zod';
import { parseStoredEvent, type StoredEvent } from '@lagesbild/shared';

/** The one field of a stream entry; its value is the event as JSON. */
export const EVENT_FIELD = 'e';

/** Stream entry ids are the seq itself: `<seq>-0`. */
export const entryId = (seq: number): string => `${seq}-0`;

const Entry = z.tuple([z.string(), z.array(z.string())]);
const Entries = z.array(Entry);
/** XREAD answers a map (RESP3) or a list of [key, entries] (RESP2), or null on timeout. */
const XReadReply = z.union([
  z.null(),
  z.record(z.string(), Entries),
  z.array(z.tuple([z.string(), Entries])),
]);

/** Raised when Redis holds something that is not a valid event of this log. */
export class StreamDataError extends Error {
  override readonly name = 'StreamDataError';
}

/** Parses an XRANGE reply into events, checking each against the shared schema. */
export function parseXRange(reply: unknown): StoredEvent[] {
  const entries = Entries.safeParse(reply);
  if (!entries.success) throw new StreamDataError(`unexpected XRANGE reply: ${entries.error.message}`);
  return entries.data.map(([id, fields]) => parseEntry(id, fields));
}

/** Parses an XREAD reply for one stream into events (empty on a timeout). */
export function parseXRead(reply: unknown): StoredEvent[] {
  const parsed = XReadReply.safeParse(reply);
  if (!parsed.success) throw new StreamDataError(`unexpected XREAD reply: ${parsed.error.message}`);
  const data = parsed.data;
  if (data === null) return [];
  const streams = Array.isArray(data) ? data.map(([, entries]) => entries) : Object.values(data);
  return streams.flat().map(([id, fields]) => parseEntry(id, fields));
}

function parseEntry(id: string, fields: string[]): StoredEvent {
  const at = fields.indexOf(EVENT_FIELD);
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) throw new StreamDataError(`stream entry ${id} has no '${EVENT_FIELD}' field`);
  let event: StoredEvent;
  try {
    event = parseStoredEvent(JSON.parse(json));
  } catch (error) {
    throw new StreamDataError(
      `stream entry ${id} is not a valid event: ${(error as Error).message.slice(0, 300)}`,
    );
  }
  if (entryId(event.seq) !== id) throw new StreamDataError(`stream entry ${id} holds event seq ${event.seq}`);
  return event;
}
