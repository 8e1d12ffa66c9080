import { z } from 'zod';

/**
 * The RPC between the bench orchestrator (run.ts) and a load-generator process, over the
 * Node IPC channel. Every message is parsed on arrival, in both directions.
 */

const Mode = z.enum(['socketio', 'raw']);

/** Latency figures in milliseconds, plus the whole histogram (µs) for merging. */
export const LatencySummary = z.strictObject({
  count: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  /** `encodeIntoCompressedBase64` of an HdrHistogram in microseconds. */
  histogram: z.string(),
});
export type LatencySummary = z.infer<typeof LatencySummary>;

export const EldSummary = z.strictObject({ p50: z.number(), p99: z.number(), max: z.number() });
export type EldSummary = z.infer<typeof EldSummary>;

const ConnectParams = z.strictObject({
  group: z.string(),
  /** Client i connects to baseUrls[i % n] with cookies[i % m]. */
  baseUrls: z.array(z.string()).min(1),
  cookies: z.array(z.string()),
  mode: Mode,
  count: z.number().int().nonnegative(),
  /** Source addresses in 127.0.0.0/8, used in turn, so no address runs out of ports. */
  localAddresses: z.array(z.string()),
  concurrency: z.number().int().positive(),
  /** Reconnect like socket.io-client (1 s doubling to 5 s, jitter) after a drop. */
  reconnect: z.boolean(),
  timeoutMs: z.number().int().positive(),
});
const ConnectResult = z.strictObject({
  connected: z.number(),
  failed: z.number(),
  ms: z.number(),
  errors: z.array(z.string()),
});

const FanoutParams = z.strictObject({
  publisherGroup: z.string(),
  receiverGroups: z.array(z.string()),
  /** `hub`: an incident.activate command; `raw`/`sio`: a broadcast of `frameTemplate`. */
  system: z.enum(['hub', 'raw', 'sio']),
  /** A `sync.events` payload with `__COMMAND_ID__` in it (raw and sio systems). */
  frameTemplate: z.string(),
  /**
   * `hub` only: the command each round sends, as JSON with its id (C1's `conference.step`s,
   * whose `fromStep` must follow the previous round's). An `incident.activate` per round
   * when absent.
   */
  hubCommands: z.array(z.strictObject({ id: z.string(), json: z.string() })).optional(),
  rounds: z.number().int().positive(),
  gapMs: z.number().int().nonnegative(),
  timeoutMs: z.number().int().positive(),
});
const FanoutRound = z.strictObject({
  expected: z.number(),
  received: z.number(),
  lost: z.number(),
  p50: z.number(),
  p99: z.number(),
  last: z.number(),
  ackMs: z.number().nullable(),
  /** The hub's answer when it refused the round's command (the round ends at once). */
  refusal: z.string().optional(),
});
const FanoutResult = z.strictObject({
  rounds: z.array(FanoutRound),
  all: LatencySummary,
  generatorEld: EldSummary,
});
export type FanoutResult = z.infer<typeof FanoutResult>;

const LoadParams = z.strictObject({
  publisherGroup: z.string(),
  rate: z.number().positive(),
  durationMs: z.number().int().positive(),
  ackTimeoutMs: z.number().int().positive(),
});
const LoadResult = z.strictObject({
  sent: z.number(),
  ok: z.number(),
  failed: z.number(),
  timedOut: z.number(),
  achievedRate: z.number(),
  latency: LatencySummary,
  errors: z.array(z.string()),
  generatorEld: EldSummary,
});
export type LoadResult = z.infer<typeof LoadResult>;

const WatchParams = z.strictObject({
  group: z.string(),
  /** Clients count as back once they are caught up after a (re)connect later than this. */
  sinceMs: z.number(),
  timeoutMs: z.number().int().positive(),
});
const WatchResult = z.strictObject({
  clients: z.number(),
  /** Wall-clock ms when 99 % and 100 % were back, or null when never within the timeout. */
  at99: z.number().nullable(),
  at100: z.number().nullable(),
  back: z.number(),
  /** Per client that came back: from the start of its successful attempt to caught up (ms). */
  attemptToCaughtUp: LatencySummary,
  /** Clients that came back on their 1st, 2nd, … attempt after the drop. */
  backOnAttempt: z.array(z.number()),
  /** Clients caught up in each second after `sinceMs`. */
  backPerSecond: z.array(z.number()),
  /** The generator's event-loop delay from the last load's start to the end of the watch. */
  generatorEld: EldSummary,
});

const StatusParams = z.strictObject({ group: z.string(), atSeq: z.number().int().nullable() });
const StatusResult = z.strictObject({
  clients: z.number(),
  ready: z.number(),
  caughtUp: z.number(),
  minLastSeq: z.number(),
  maxLastSeq: z.number(),
  /** Clients whose lastSeq equals `atSeq`. */
  atSeq: z.number(),
  missedEvents: z.number(),
  snapshots: z.number(),
  reconnects: z.number(),
  errors: z.array(z.string()),
});
export type GroupStatus = z.infer<typeof StatusResult>;

const CloseParams = z.strictObject({ group: z.string() });
const Empty = z.strictObject({});

/** Every method: what it takes and what it answers. */
export const methods = {
  connect: { params: ConnectParams, result: ConnectResult },
  fanout: { params: FanoutParams, result: FanoutResult },
  load: { params: LoadParams, result: LoadResult },
  watch: { params: WatchParams, result: WatchResult },
  status: { params: StatusParams, result: StatusResult },
  close: { params: CloseParams, result: Empty },
} as const;
export type Method = keyof typeof methods;
export type Params<M extends Method> = z.input<(typeof methods)[M]['params']>;
export type Result<M extends Method> = z.output<(typeof methods)[M]['result']>;

export const Request = z.strictObject({
  id: z.number(),
  method: z.enum(Object.keys(methods) as [Method, ...Method[]]),
  params: z.unknown(),
});
export type Request = z.infer<typeof Request>;

export const Response = z.union([
  z.strictObject({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: z.number(), ok: z.literal(false), error: z.string() }),
]);
export type Response = z.infer<typeof Response>;
