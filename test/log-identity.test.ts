import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStoredEvent, type CommandAck, type HubStatus } from '@lagesbild/shared';
import { signIn } from './support/api-client.js';
import { activate, logEntry } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

/** The bound: both hubs not ready, and their clients told, within this of the loss. */
const NOTICE_WITHIN_MS = 3000;
/** The exit code of a hub whose log is lost (server/src/hub/log-lost.ts). */
const LOG_LOST_EXIT_CODE = 75;
const EVENTS_KEY = 'lagesbild:stockholm:events';
const META_KEY = 'lagesbild:stockholm:meta';

/** A socket client that also keeps every `hub.status` it is sent. */
function watchingClient(
  url: string,
  cookie: string,
  options: ConstructorParameters<typeof FoldingClient>[2] = {},
) {
  const client = new FoldingClient(url, cookie, options);
  const statuses: HubStatus[] = [];
  client.socket.on('hub.status', (status) => statuses.push(status));
  const lostReason = () => {
    const picture = statuses.findLast((s) => s.picture?.state === 'lost')?.picture;
    return picture?.state === 'lost' ? picture.reason : null;
  };
  return { client, statuses, lostReason };
}

/** Polls until `condition` holds, failing with `what` after `timeoutMs`. */
async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `/readyz`'s status and what it says. */
async function readiness(hub: HubProcess): Promise<{ status: number; text: string }> {
  const res = await fetch(`${hub.url}/readyz`).catch(() => null);
  return res ? { status: res.status, text: await res.text() } : { status: 0, text: 'no answer' };
}

/** Resolves with the hub's exit code once it has exited. */
function exitCode(hub: HubProcess): Promise<number | null> {
  const { child } = hub;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The command ids of every event in the Redis stream, and the stored epoch. */
async function streamContents(
  url: string,
): Promise<{ commandIds: Set<string>; seqs: number[]; epoch: string | null }> {
  const client = await createClient({ url }).connect();
  try {
    const entries = (await client.xRange(EVENTS_KEY, '-', '+')) ?? [];
    const events = entries.map((entry) => parseStoredEvent(JSON.parse(entry.message.e ?? 'null')));
    return {
      commandIds: new Set(events.map((e) => e.commandId)),
      seqs: events.map((e) => e.seq),
      epoch: (await client.hGet(META_KEY, 'epoch')) ?? null,
    };
  } finally {
    client.destroy();
  }
}

/** Sends commands over a socket until the hub is gone; the ids sent and every answer. */
function sendUntilGone(client: FoldingClient, hub: HubProcess) {
  const sent: string[] = [];
  const answers: CommandAck[] = [];
  let running = true;
  const done = (async () => {
    while (running && hub.child.exitCode === null && hub.child.signalCode === null) {
      const command = logEntry(`Från en hubb vars logg är borta ${sent.length}`);
      sent.push(command.id);
      const ack = await client.send(command, 2000).catch(() => null);
      if (ack) answers.push(ack);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    sent,
    answers,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('a hub whose log is lost', () => {
  const hubs: HubProcess[] = [];
  const clients: FoldingClient[] = [];
  let redis: RedisServer | null = null;

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(hubs.splice(0).map((hub) => hub.stop()));
    await redis?.stop();
    redis = null;
  });

  /**
   * Two hubs on one Redis, each with a watching client and the picture it holds; then
   * `loseData` makes Redis lose everything. Both hubs must stop serving within the bound,
   * tell their clients why, answer `log_unavailable`, append nothing into the new log, and
   * exit; a hub started on the empty Redis begins a new log that a client of the old
   * picture gets whole, not merged.
   */
  async function lostUnderTwoHubs(loseData: (redis: RedisServer) => Promise<void>) {
    redis = await startRedis({ appendfsync: 'always' });
    const env = { REDIS_URL: redis.url };
    const [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
    hubs.push(hubA, hubB);
    const lead = await signIn(hubA.url, 'tib.lansstyrelsen');
    const nacka = await signIn(hubB.url, 'tib.nacka');
    const a = watchingClient(hubA.url, lead.cookie);
    const b = watchingClient(hubB.url, nacka.cookie);
    clients.push(a.client, b.client);
    await Promise.all([a.client.connected(), b.client.connected()]);

    const incident = activate();
    expect((await lead.command(incident)).body.ok).toBe(true);
    expect((await lead.command(logEntry('Före förlusten'))).body.ok).toBe(true);
    const before = await lead.stateHash();
    await Promise.all([a.client.waitForSeq(before.seq), b.client.waitForSeq(before.seq)]);
    const held = { epoch: a.client.epoch, lastSeq: a.client.lastSeq, state: a.client.state };
    const exits = [exitCode(hubA), exitCode(hubB)];

    await loseData(redis);
    const lostAt = Date.now();
    const senders = [sendUntilGone(a.client, hubA), sendUntilGone(b.client, hubB)];

    await waitUntil(
      async () => (await readiness(hubA)).status === 503 && (await readiness(hubB)).status === 503,
      NOTICE_WITHIN_MS - (Date.now() - lostAt),
      'both hubs not ready',
    );
    await waitUntil(
      () => a.lostReason() !== null && b.lostReason() !== null,
      NOTICE_WITHIN_MS - (Date.now() - lostAt),
      'both hubs tell their clients the log is lost',
    );
    // A fixed reason: the log's own (epochs, files) stays in the hub's log.
    expect(a.lostReason()).toBe('log_lost');
    expect((await readiness(hubB)).text).toMatch(/lost/);

    // A new hub begins a new log on the empty Redis, as a supervisor or another site would
    // start one, while the old hubs are still up and keep being sent commands. Started only
    // once the bound above was checked: starting a hub loads both cores, and the bound is
    // the old hubs' to keep, not the new one's.
    const startingC = startHub({ env: { ...env, HUB_ID: 'hub-c' } }).then((hub) => {
      hubs.push(hub);
      return hub;
    });
    startingC.catch(() => undefined);

    // Every command the old hubs answered, from the first after the loss, was refused as
    // unavailable (never `conflict`), and they exit for their supervisor.
    expect(await Promise.all(exits)).toEqual([LOG_LOST_EXIT_CODE, LOG_LOST_EXIT_CODE]);
    for (const sender of senders) await sender.stop();
    const refusals = senders.flatMap((s) => s.answers).map((ack) => (ack.ok ? 'ok' : ack.error.code));
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(['log_unavailable']));
    const hubC = await startingC;

    const leadC = await signIn(hubC.url, 'tib.lansstyrelsen');
    expect((await leadC.command(logEntry('I den nya loggen'))).body.ok).toBe(true);
    const stream = await streamContents(redis.url);
    for (const id of senders.flatMap((s) => s.sent)) expect(stream.commandIds.has(id)).toBe(false);
    expect(stream.commandIds.has(incident.id)).toBe(false);
    expect(stream.seqs).toEqual(stream.seqs.map((_, i) => i + 1));
    expect(stream.epoch).not.toBe(held.epoch);

    // The client that held the old picture gets the new log's picture whole: a reset.
    const returning = watchingClient(hubC.url, leadC.cookie, held);
    clients.push(returning.client);
    const now = await leadC.stateHash();
    await returning.client.waitFor(
      () => returning.client.snapshots === 1,
      10_000,
      () => 'a snapshot',
    );
    await returning.client.waitForSeq(now.seq);
    expect(returning.client.epoch).toBe(stream.epoch);
    expect(returning.client.hash).toBe((await leadC.stateHash()).hash);
    expect(JSON.stringify(returning.client.state)).not.toContain(incident.payload.incidentId);
  }

  it('stops both hubs of a flushed Redis, appends nothing into the new log, and resets clients', async () => {
    await lostUnderTwoHubs(async (server) => {
      const client = await createClient({ url: server.url }).connect();
      try {
        await client.flushAll();
      } finally {
        client.destroy();
      }
    });
  }, 90_000);

  it('does the same when Redis is replaced by an empty instance on the same port', async () => {
    await lostUnderTwoHubs(async (server) => {
      await server.kill('SIGKILL');
      // Started afresh without its AOF, as a failover to an empty replica would be.
      await rm(path.join(server.dir, 'appendonlydir'), { recursive: true, force: true });
      await server.restart();
    });
  }, 90_000);

  it('stops an embedded hub whose journal was replaced under it', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const lead = await signIn(hub.url, 'tib.lansstyrelsen');
    const watcher = watchingClient(hub.url, lead.cookie);
    clients.push(watcher.client);
    await watcher.client.connected();
    expect((await lead.command(logEntry('Före bytet'))).body.ok).toBe(true);
    const exited = exitCode(hub);

    // Another log's files where this hub's were, as a restore into a running hub would leave.
    await rm(path.join(hub.dataDir, 'events.jsonl'));
    await writeFile(
      path.join(hub.dataDir, 'meta.json'),
      JSON.stringify({ version: 1, epoch: randomUUID(), createdAt: new Date().toISOString() }),
    );
    const lostAt = Date.now();
    const ack = await watcher.client.send(logEntry('In i fel journal'));
    expect(ack).toMatchObject({ ok: false, error: { code: 'log_unavailable' } });
    await waitUntil(() => watcher.lostReason() !== null, NOTICE_WITHIN_MS - (Date.now() - lostAt), 'lost');
    expect(watcher.lostReason()).toBe('log_lost');
    expect((await readiness(hub)).status).toBe(503);
    expect(await exited).toBe(LOG_LOST_EXIT_CODE);
  }, 60_000);
});
