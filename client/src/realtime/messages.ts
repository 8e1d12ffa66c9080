import {
  State,
  StoredEventSchema,
  type HubStatus,
  type StoredEvent,
  type SyncEvents,
  type SyncHello,
  type SyncSnapshot,
} from '@lagesbild/shared';
import { z } from 'zod';

// The hub's messages are parsed before anything trusts them. The envelopes strip unknown
// fields rather than reject them (a tolerant reader: an added field is not a breaking
// change; breaking changes bump PROTOCOL_VERSION). Events and states use the shared strict
// schemas, the same ones the hub writes with.

const Viewer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('actor'), actorId: z.string() }),
  z.object({ kind: z.literal('device') }),
]);

const SyncHelloSchema = z.object({
  protocolVersion: z.number().int(),
  hubId: z.string(),
  epoch: z.string(),
  headSeq: z.number().int().nonnegative(),
  viewer: Viewer,
});

const SyncEventsSchema = z.object({
  epoch: z.string(),
  events: z.array(StoredEventSchema),
  headSeq: z.number().int().nonnegative(),
});

const SyncSnapshotSchema = z.object({
  epoch: z.string(),
  seq: z.number().int().nonnegative(),
  state: State,
});

const HubStatusSchema = z.object({ canStore: z.boolean() });

/** A parsed message, or why it was refused (for the connection's problem report). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const explain = (name: string, error: z.ZodError): { ok: false; message: string } => ({
  ok: false,
  message: `${name}: ${z.prettifyError(error)}`,
});

/** Parses `sync.hello`. */
export function parseHello(input: unknown): Parsed<SyncHello> {
  const result = SyncHelloSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : explain('sync.hello', result.error);
}

/** Parses `sync.events`, every event with the shared event schema. */
export function parseEvents(input: unknown): Parsed<SyncEvents> {
  const result = SyncEventsSchema.safeParse(input);
  if (!result.success) return explain('sync.events', result.error);
  // Each event's payload was checked by the schema its `type` selects, so the pairs match.
  const events = result.data.events as StoredEvent[];
  return { ok: true, value: { ...result.data, events } };
}

/** Parses `sync.snapshot`, the state with the shared state schema. */
export function parseSnapshot(input: unknown): Parsed<SyncSnapshot> {
  const result = SyncSnapshotSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : explain('sync.snapshot', result.error);
}

/** Parses `hub.status`. */
export function parseHubStatus(input: unknown): Parsed<HubStatus> {
  const result = HubStatusSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : explain('hub.status', result.error);
}
