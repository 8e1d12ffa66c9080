import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, onHub, signIn, type ApiClient } from './support/api-client.js';
import { activate, logEntry } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { RELAXED_LIMITS } from './support/hub-process.js';
import { FoldingClient } from './support/socket-client.js';

describe('two hubs on one Redis', () => {
  let redis: RedisServer;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let leadA: ApiClient;
  let leadB: ApiClient;
  let nackaB: ApiClient;

  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
    // This test floods on purpose; the per-user limits are tested in test/security.
    const env = { REDIS_URL: redis.url, ...RELAXED_LIMITS };
    [hubA, hubB] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...env, HUB_ID: 'hub-b' } }),
    ]);
    leadA = await signIn(hubA.url, 'tib.lansstyrelsen');
    // Sessions are shared through Redis: the same cookie works on the other hub.
    leadB = onHub(leadA, hubB.url);
    nackaB = await signIn(hubB.url, 'tib.nacka');
  });
  afterAll(async () => {
    await Promise.all([hubA?.kill(), hubB?.kill()]);
    await redis?.stop();
  });

  it('orders hundreds of concurrent commands through both hubs into one gap-free log, each once', async () => {
    const clientA = new FoldingClient(hubA.url, leadA.cookie);
    const clientB = new FoldingClient(hubB.url, nackaB.cookie);
    await Promise.all([clientA.connected(), clientB.connected()]);

    const incident = activate();
    expect((await leadA.command(incident)).body.ok).toBe(true);
    const commands = Array.from({ length: 400 }, (_, i) => logEntry(`Observation ${i}`));
    // Like the outbox, a client sends again with the same id when the hub could not confirm
    // in time; exactly-once must hold through those retries too.
    const acks = await Promise.all(
      commands.map((command, i) => sendUntilAnswered([leadA, leadB, nackaB][i % 3] ?? leadA, command)),
    );
    const refusals = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(refusals).toEqual([]);

    const events = await allEvents(leadA);
    await expectGapFreeAndFolded(redis.url, [leadA, nackaB]);
    const perCommand = new Map<string, number>();
    for (const e of events) perCommand.set(e.commandId, (perCommand.get(e.commandId) ?? 0) + 1);
    for (const command of commands) expect(perCommand.get(command.id)).toBe(1);

    const [viewA, viewB] = await Promise.all([leadA.stateHash(), nackaB.stateHash()]);
    await Promise.all([clientA.waitForSeq(viewA.seq), clientB.waitForSeq(viewB.seq)]);
    expect(clientA.hash).toBe(viewA.hash);
    expect(clientB.hash).toBe(viewB.hash);
    expect((await leadB.stateHash()).hash).toBe(viewA.hash);
    clientA.close();
    clientB.close();
  });

  it('applies a command sent to both hubs at once exactly once, with the same answer', async () => {
    const command = logEntry('Sent twice, to two hubs');
    const [a, b] = await Promise.all([leadA.command(command), leadB.command(command)]);
    expect(a.body.ok).toBe(true);
    expect(b.body).toEqual(a.body);
    const events = await allEvents(leadA);
    expect(events.filter((e) => e.commandId === command.id)).toHaveLength(1);
  });

  it('keeps every acked event through a Redis SIGKILL, refuses honestly while it is down, and recovers', async () => {
    const watcher = new FoldingClient(hubB.url, nackaB.cookie);
    await watcher.connected();
    const acked: string[] = [];
    const sent: string[] = [];
    let running = true;
    const sender = (async () => {
      while (running) {
        const command = logEntry(`Under fire ${sent.length}`);
        sent.push(command.id);
        const res = await leadA.command(command).catch(() => null);
        if (res?.body.ok) acked.push(command.id);
      }
    })();
    await waitUntil(() => acked.length >= 50);
    await redis.kill('SIGKILL');
    const killedAt = acked.length;

    // While Redis is down: a clear refusal, never a false ack, and both hubs stay up.
    const whileDown = await leadA.command(logEntry('While Redis is down'));
    expect(whileDown.body.ok).toBe(false);
    expect(whileDown.status).toBe(503);
    const downSocket = await watcher.send({
      id: randomUUID(),
      type: 'logEntry.add',
      payload: logEntry('x').payload,
    });
    expect(downSocket.ok).toBe(false);
    expect((await fetch(`${hubA.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${hubB.url}/readyz`)).status).toBe(503);
    running = false;
    await sender;
    expect(acked.length - killedAt).toBeLessThanOrEqual(1);

    await redis.restart();
    for (const hub of [hubA, hubB])
      await waitUntil(async () => (await fetch(`${hub.url}/readyz`)).status === 200);
    const after = await allEvents(leadA);
    const stored = new Set(after.map((e) => e.commandId));
    for (const id of acked) expect(stored.has(id)).toBe(true);
    await expectGapFreeAndFolded(redis.url, [leadA, leadB]);

    // Writes work again through both hubs, and clients converge.
    expect((await leadB.command(logEntry('After the restart'))).body.ok).toBe(true);
    const view = await nackaB.stateHash();
    await watcher.waitForSeq(view.seq);
    expect(watcher.hash).toBe(view.hash);
    expect(hubA.child.exitCode).toBeNull();
    expect(hubB.child.exitCode).toBeNull();
    watcher.close();
  });
});

/** Sends a command until the hub gives a final answer (not a timeout). */
async function sendUntilAnswered(client: ApiClient, command: unknown) {
  for (;;) {
    const { body } = await client.command(command);
    if (body.ok || body.error.code !== 'timeout') return body;
  }
}

/**
 * The Redis stream itself — including events no client sees — holds 1…N without a gap,
 * and every hub has folded up to N. A command cut off by a Redis crash may be in the stream
 * without having been acked; the hubs still fold it, in order.
 */
async function expectGapFreeAndFolded(url: string, clients: ApiClient[]) {
  const seqs = await streamSeqs(url);
  expect(seqs).toEqual(range(1, seqs.length));
  for (const client of clients) await waitUntil(async () => (await client.state()).seq === seqs.length);
}

/** The sequence numbers in the Redis stream itself, including events no client sees. */
async function streamSeqs(url: string): Promise<number[]> {
  const client = createClient({ url });
  await client.connect();
  const entries = await client.xRange('lagesbild:stockholm:events', '-', '+');
  await client.close();
  return (entries ?? []).map((entry) => Number(entry.id.split('-')[0]));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
