import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  geometryProblem,
  parseCommand,
  SafeActorId,
  type Geometry,
  type Position,
  type RegionConfig,
} from '@lagesbild/shared';
import {
  buildAcknowledgeCommand,
  buildCheckinCommand,
  buildCheckoutCommand,
  buildCloseCommand,
  buildMapFeature,
  buildReadinessCommand,
  buildRequestCommand,
  buildUpdateCommand,
} from '@lagesbild/shared/test-factories';
import { call } from '../support/admin.js';
import { signIn, type ApiClient } from '../support/api-client.js';
import { activate, logEntry, report } from '../support/commands.js';
import { removeDataDir, startHub, type HubProcess } from '../support/hub-process.js';
import { FoldingClient } from '../support/socket-client.js';
import { Tally, inParallel } from './support.js';

/**
 * Malformed commands against `POST /api/commands` and the socket's `command.send`: the hub
 * must refuse every one with a 4xx / an error ack, never crash or answer 5xx, and its state
 * must not change. Only payloads the shared parser rejects are sent, so "unchanged" is
 * the exact expectation. FUZZ_SEED replays a run; FUZZ_RUNS changes its size.
 */
// FUZZ_SEED replays a failure (fast-check prints the seed in it); CI runs the fixed seed so a
// red run repeats, and local runs draw a fresh one to explore other inputs.
const CI_FUZZ_SEED = 20_261_207;
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const SEED = Number(process.env.FUZZ_SEED ?? (inCi ? CI_FUZZ_SEED : Date.now() % 2 ** 31));
const RUNS_PER_PATH = Number(process.env.FUZZ_RUNS ?? 6000);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One valid command of every type: the material mutations start from. */
const templates = (): Json[] => {
  const incidentId = randomUUID();
  const commands = [
    buildRequestCommand({ commandId: randomUUID(), incidentId }),
    activate(),
    buildUpdateCommand({ commandId: randomUUID(), incidentId }),
    buildCloseCommand({ commandId: randomUUID(), incidentId }),
    buildReadinessCommand({ commandId: randomUUID() }),
    buildAcknowledgeCommand({ commandId: randomUUID(), incidentId }),
    report(incidentId, { features: [buildMapFeature({ id: randomUUID() })] }),
    buildCheckinCommand({ commandId: randomUUID(), position: { lat: 59.3, lng: 18.1 } }),
    buildCheckoutCommand({ commandId: randomUUID() }),
    logEntry('Line', { sharing: { scope: 'actors', actorIds: ['nacka'] } }),
  ];
  return JSON.parse(JSON.stringify(commands)) as Json[];
};

/** Every path to a node of a JSON value, root included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return here;
}

/** A copy of `value` with the node at `path` replaced by `replace(node)` (undefined removes it). */
function mutateAt(
  value: Json,
  path: (string | number)[],
  replace: (node: Json) => Json | undefined,
): Json | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return replace(value);
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = [...value];
    const next = mutateAt(copy[head] ?? null, rest, replace);
    if (next === undefined) copy.splice(head, 1);
    else copy[head] = next;
    return copy;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof head === 'string') {
    const next = mutateAt(value[head] ?? null, rest, replace);
    const entries = Object.entries(value).filter(([key]) => key !== head);
    return Object.fromEntries(next === undefined ? entries : [...entries, [head, next]]) as Json;
  }
  return value;
}

/** A copy of an object with one more own key; defineProperty, so `__proto__` is a key, not the prototype. */
function withKey(object: { [key: string]: Json }, key: string, value: Json): Json {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    '\udfff',
    '\u202e',
    '\u200b'.repeat(50),
    '💥'.repeat(500),
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '${7*7}',
    '{{7*7}}',
  ),
);
/** Strings past every text limit, built by repetition so generating them stays fast. */
const hugeString = fc
  .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.integer({ min: 4_001, max: 90_000 }))
  .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
const dangerousKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
);
const deepNesting = fc
  .tuple(fc.integer({ min: 20, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** A replacement of another JSON type than the node has (wrong types, numbers as strings, arrays for objects). */
const replacementFor = (node: Json): fc.Arbitrary<Json | undefined> =>
  fc.oneof(
    fc.jsonValue().filter((v) => typeOf(v as Json) !== typeOf(node)) as fc.Arbitrary<Json>,
    fc.constant<Json>(
      typeof node === 'number'
        ? String(node)
        : typeof node === 'string' && node !== '' && !Number.isNaN(Number(node))
          ? Number(node)
          : [node],
    ),
    fc.constant<Json>(
      Array.isArray(node) || (node !== null && typeof node === 'object') ? [node, node] : { value: node },
    ),
    fc.constant(undefined),
    nastyString,
    hugeString,
    deepNesting.map((raw) => JSON.parse(raw) as Json),
  );

/** A valid command with one node broken. */
const mutatedCommand = fc.tuple(fc.constantFrom(...templates()), fc.nat()).chain(([template, pick]) => {
  const all = paths(template);
  const path = all[pick % all.length] ?? [];
  let node: Json = template;
  for (const step of path) node = (node as Record<string | number, Json>)[step] ?? null;
  return fc.oneof(
    replacementFor(node).map((r) => mutateAt(template, path, () => r) ?? null),
    // An extra key — often a dangerous one — in an object along the path.
    fc
      .tuple(fc.oneof(dangerousKey, fc.string({ maxLength: 10 })), fc.jsonValue())
      .map(
        ([key, extra]) =>
          mutateAt(template, path, (n) => (isObject(n) ? withKey(n, key, extra as Json) : n)) ?? null,
      ),
  );
});

/** `__proto__` / `constructor` as own keys at the top or in the payload, the way JSON.parse makes them. */
const prototypePollution = fc
  .tuple(dangerousKey, fc.constantFrom(...templates()), fc.boolean(), fc.jsonValue())
  .map(([key, template, inPayload, value]) => {
    if (!isObject(template)) return template;
    const payload = template.payload;
    if (inPayload && isObject(payload)) return { ...template, payload: withKey(payload, key, value as Json) };
    return withKey(template, key, value as Json);
  });

/** Any JSON value at all, and raw bodies that are not JSON. */
const garbage = fc.oneof(
  fc.jsonValue().map((v) => v as Json),
  deepNesting.map((raw) => JSON.parse(raw) as Json),
);
const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"id":', '[1,2', 'null', '""', '{"__proto__":', '\u0000', '{}}'),
  deepNesting.map((raw) => raw.slice(0, -1)),
);

const command = fc.oneof(
  { weight: 6, arbitrary: mutatedCommand },
  { weight: 2, arbitrary: prototypePollution },
  { weight: 2, arbitrary: garbage },
);

/** Whether the shared parser — the hub's — would refuse this body. Valid ones are not sent. */
const refusedByParser = (body: string) => {
  try {
    return !parseCommand(JSON.parse(body)).ok;
  } catch {
    return true;
  }
};

describe('fuzzing the command endpoint and the socket', () => {
  let hub: HubProcess;
  let lead: ApiClient;
  let httpBodies: string[] = [];
  let socketBodies: (Json | string)[] = [];

  beforeAll(async () => {
    // Generated first: connections left idle while generating would meet the hub's keep-alive timeout.
    const bodies = fc
      .sample(
        fc.oneof(
          { weight: 9, arbitrary: command.map((c) => JSON.stringify(c) ?? 'null') },
          { weight: 1, arbitrary: rawBody },
        ),
        {
          numRuns: RUNS_PER_PATH * 3,
          seed: SEED,
        },
      )
      .filter(refusedByParser);
    httpBodies = bodies.slice(0, RUNS_PER_PATH);
    // The socket's frame limit (64 KB) drops the connection instead of answering; that is
    // tested on its own (edge.test.ts), so here only frames below it.
    socketBodies = bodies
      .slice(RUNS_PER_PATH)
      .filter((b) => Buffer.byteLength(b) < 60_000)
      .slice(0, RUNS_PER_PATH)
      .map((b) => {
        try {
          return JSON.parse(b) as Json;
        } catch {
          return b; // Not JSON: sent as a string payload.
        }
      });

    // Relaxed limits (the default of these helpers): the fuzzer floods on purpose.
    hub = await startHub();
    lead = await signIn(hub.url, 'tib.lansstyrelsen');
    // Something to lose: an active incident, a report, a log line.
    const incident = activate();
    expect((await lead.command(incident)).body.ok).toBe(true);
    expect((await lead.command(report(incident.payload.incidentId))).body.ok).toBe(true);
    expect((await lead.command(logEntry('Before the fuzzing'))).body.ok).toBe(true);
  });
  afterAll(async () => {
    await hub.kill();
    removeDataDir(hub);
  });

  it(`refuses ${2 * RUNS_PER_PATH} malformed commands without a crash, a 5xx or a change`, async () => {
    const before = await lead.stateHash();
    expect(httpBodies.length).toBe(RUNS_PER_PATH);
    expect(socketBodies.length).toBe(RUNS_PER_PATH);

    const http = new Tally();
    const failures: string[] = [];
    const started = performance.now();
    await inParallel(httpBodies, 16, async (body) => {
      const res = await lead
        .raw('/api/commands', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        })
        .catch((error: Error) => {
          throw new Error(
            `${error.message} sending ${body.slice(0, 200)}; hub exit code ${hub.child.exitCode}`,
          );
        });
      const answer = (await res.json()) as { ok: boolean; error?: { code: string } };
      http.add(`${res.status} ${answer.error?.code ?? 'ok'}`);
      if (res.status >= 500 || res.status < 400) failures.push(`HTTP ${res.status}: ${body.slice(0, 300)}`);
    });
    const httpMs = performance.now() - started;

    const socket = new Tally();
    const clients = Array.from({ length: 4 }, () => new FoldingClient(hub.url, lead.cookie));
    await Promise.all(clients.map((c) => c.connected()));
    let disconnects = 0;
    // A malformed payload must be refused in its ack, never end the connection.
    for (const c of clients) {
      c.socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') disconnects++;
      });
    }
    let turn = 0;
    await inParallel(socketBodies, 32, async (payload) => {
      const client = clients[turn++ % clients.length];
      if (!client) return;
      const ack = await client.send(payload);
      socket.add(ack.ok ? 'ok' : ack.error.code);
      if (ack.ok || ack.error.code === 'internal')
        failures.push(`socket ${JSON.stringify(ack)}: ${JSON.stringify(payload).slice(0, 300)}`);
    });
    for (const c of clients) c.close();
    const totalMs = performance.now() - started;

    const errorLines = hub
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
    const after = await lead.stateHash();
    const fiveXX = [...http.counts].filter(([k]) => k.startsWith('5')).reduce((n, [, v]) => n + v, 0);
    console.log(
      JSON.stringify(
        {
          fuzz: {
            seed: SEED,
            sent: http.total() + socket.total(),
            http: { sent: http.total(), byStatusAndCode: http.toJSON(), ms: Math.round(httpMs) },
            socket: { sent: socket.total(), byAckCode: socket.toJSON(), disconnects },
            fiveXX,
            hubErrorLogLines: errorLines.length,
            crashes: hub.child.exitCode === null ? 0 : 1,
            stateUnchanged: after.hash === before.hash && after.seq === before.seq,
            totalMs: Math.round(totalMs),
          },
        },
        null,
        1,
      ),
    );

    expect(failures.slice(0, 5)).toEqual([]);
    expect(fiveXX).toBe(0);
    expect(disconnects).toBe(0);
    expect(errorLines.slice(0, 3)).toEqual([]);
    expect(hub.child.exitCode).toBeNull();
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
    expect(after).toEqual(before);
    // And the hub still does its job.
    expect((await lead.command(logEntry('After the fuzzing'))).body.ok).toBe(true);
  });

  it('places map geometry only in the region and only valid areas, naming what it refuses', async () => {
    const region: RegionConfig = lead.session.region;
    const { bounds } = region;
    const incident = activate();
    expect((await lead.command(incident)).body.ok).toBe(true);
    const anywhere = fc.tuple(
      fc.double({ min: -180, max: 180, noNaN: true }),
      fc.double({ min: -90, max: 90, noNaN: true }),
    );
    const nearby = fc.tuple(
      fc.double({ min: bounds.west - 1, max: bounds.east + 1, noNaN: true }),
      fc.double({ min: bounds.south - 1, max: bounds.north + 1, noNaN: true }),
    );
    const inside = fc.tuple(
      fc.double({ min: bounds.west, max: bounds.east, noNaN: true }),
      fc.double({ min: bounds.south, max: bounds.north, noNaN: true }),
    );
    const place = fc.oneof(
      { weight: 3, arbitrary: inside },
      { weight: 1, arbitrary: anywhere },
      { weight: 2, arbitrary: nearby },
      { weight: 1, arbitrary: fc.constant<[number, number]>([0, 0]) },
    );
    // Small rings of random corners: many cross themselves, some do not.
    const ring = fc
      .tuple(
        nearby,
        fc.array(
          fc.tuple(
            fc.double({ min: -0.05, max: 0.05, noNaN: true }),
            fc.double({ min: -0.05, max: 0.05, noNaN: true }),
          ),
          { minLength: 3, maxLength: 7 },
        ),
      )
      .map(([[x, y], offsets]): Position[] => {
        const corners = offsets.map(([dx, dy]): Position => [x + dx, y + dy]);
        return [...corners, corners[0] ?? [x, y]];
      });
    const geometry: fc.Arbitrary<Geometry> = fc.oneof(
      place.map((coordinates): Geometry => ({ type: 'Point', coordinates })),
      fc
        .array(place, { minLength: 2, maxLength: 4 })
        .map((coordinates): Geometry => ({ type: 'LineString', coordinates })),
      ring.map((r): Geometry => ({ type: 'Polygon', coordinates: [r] })),
    );
    const samples = fc.sample(fc.tuple(geometry, fc.boolean()), { numRuns: 400, seed: SEED });
    const outcomes = new Tally();
    const failures: string[] = [];
    await inParallel(samples, 8, async ([shape, asCheckin]) => {
      const expected = geometryProblem(shape, bounds);
      const command =
        asCheckin && shape.type === 'Point'
          ? buildCheckinCommand({
              commandId: randomUUID(),
              checkinId: randomUUID(),
              position: { lat: shape.coordinates[1], lng: shape.coordinates[0] },
            })
          : report(incident.payload.incidentId, {
              features: [buildMapFeature({ id: randomUUID(), label: 'Fuzz', geometry: shape })],
            });
      const { status, body } = await lead.command(command);
      outcomes.add(`${status} ${expected === null ? 'valid' : 'invalid'}`);
      const [lng, lat] = shape.type === 'Point' ? shape.coordinates : [18, 59.3];
      const farOutside =
        lat < bounds.south - 1 || lat > bounds.north + 1 || lng < bounds.west - 1 || lng > bounds.east + 1;
      const message = body.ok ? '' : body.error.message;
      if (status >= 500) failures.push(`5xx for ${JSON.stringify(shape)}`);
      else if (expected === null && !body.ok)
        failures.push(`refused a valid place: ${message} ${JSON.stringify(shape)}`);
      else if (expected !== null && (body.ok || status !== 400 || !message.includes(expected)))
        failures.push(`not refused as "${expected}": ${status} ${message} ${JSON.stringify(shape)}`);
      else if (farOutside && body.ok) failures.push(`accepted a place far outside: ${JSON.stringify(shape)}`);
      else if (
        !body.ok &&
        !/^(Map feature 1 \((point|line|polygon) "Fuzz"\)|The check-in's position): /.test(message)
      )
        failures.push(`a refusal that does not name the feature: ${message}`);
    });
    console.log(JSON.stringify({ geometryFuzz: { seed: SEED, outcomes: outcomes.toJSON() } }));
    expect(failures.slice(0, 5)).toEqual([]);
    // The battery reached both sides of the rule.
    expect([...outcomes.counts.keys()]).toEqual(expect.arrayContaining(['200 valid', '400 invalid']));
  });

  it('answers the admin API for any id, names on every JavaScript object included, never with 5xx', async () => {
    const admin = await signIn(hub.url, 'admin.lansstyrelsen');
    const id = fc.oneof(
      dangerousKey,
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      nastyString.filter((s) => s.length > 0),
    );
    // `.` and `..` are path segments that the URL itself resolves, before any route sees them.
    const samples = fc.sample(
      id.filter((value) => !/^\.+$/.test(value)),
      { numRuns: 200, seed: SEED },
    );
    const failures: string[] = [];
    const actor = { name: 'Fuzz', shortName: 'F', kind: 'other', home: { lat: 59.3, lng: 18 } };
    await inParallel(samples, 8, async (value) => {
      // A lone surrogate cannot be put in a URL at all; such ids go only into bodies.
      const path = /[\ud800-\udfff]/.test(value) ? null : encodeURIComponent(value);
      const byPath =
        path === null
          ? []
          : [
              await call(admin, 'PATCH', `/api/admin/accounts/${path}`, { name: 'Fuzz' }),
              await call(admin, 'PATCH', `/api/admin/actors/${path}`, { shortName: 'F' }),
              await call(admin, 'DELETE', `/api/admin/devices/${path}`),
            ];
      const created = await call(admin, 'POST', '/api/admin/actors', { ...actor, id: value });
      const answers = [
        ...byPath,
        created,
        await call(admin, 'POST', '/api/admin/accounts', {
          username: value,
          name: 'Fuzz',
          actorId: 'nacka',
          functionIds: [],
          password: 'Kaffe och bullar klockan tre',
        }),
      ];
      for (const answer of answers) {
        if (answer.status >= 500) failures.push(`${answer.status} for ${JSON.stringify(value)}`);
      }
      if (created.status === 200 && !SafeActorId.safeParse(value).success) {
        failures.push(`created an actor with an unsafe id ${JSON.stringify(value)}`);
      }
    });
    expect(failures.slice(0, 5)).toEqual([]);
    expect(hub.child.exitCode).toBeNull();
  });
});
