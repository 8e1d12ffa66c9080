import { envelope, SessionInfo, type HubStatus } from '@lagesbild/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, onHub, signIn, type ApiClient } from './support/api-client.js';
import { activate, logEntry, report } from './support/commands.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { RELAXED_LIMITS, startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { FoldingClient } from './support/socket-client.js';

/** How long hub A is cut off from Redis: what the issue asks for, long past any retry. */
const PARTITION_MS = 30_000;
/** A hub's clients must hear that its picture may be stale within this of the cut. */
const STALE_WITHIN_MS = 3000;
/** Sign-in on the cut-off hub must fail within this, with a clear error, instead of hanging. */
const SIGN_IN_FAILS_WITHIN_MS = 5000;

describe('one hub cut off from Redis by a blackhole', () => {
  let redis: RedisServer;
  let proxy: FaultProxy;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let leadA: ApiClient;
  let nackaB: ApiClient;

  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
    // Hub A reaches Redis only through the proxy, which can swallow everything while keeping
    // the connections open: a partition, not a refused connection.
    proxy = await startFaultProxy({ targetPort: redis.port });
    [hubA, hubB] = await Promise.all([
      startHub({ env: { ...RELAXED_LIMITS, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, HUB_ID: 'hub-a' } }),
      startHub({ env: { ...RELAXED_LIMITS, REDIS_URL: redis.url, HUB_ID: 'hub-b' } }),
    ]);
    leadA = await signIn(hubA.url, 'tib.lansstyrelsen');
    nackaB = await signIn(hubB.url, 'tib.nacka');
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hubA?.kill(), hubB?.kill()]);
    await proxy?.stop();
    await redis?.stop();
  });

  it('says so within seconds, refuses fast, keeps the other hub working, and converges with nothing lost', async () => {
    // The same person on both hubs, so the two pictures must end up equal.
    const onA = new FoldingClient(hubA.url, leadA.cookie);
    const onB = new FoldingClient(hubB.url, leadA.cookie);
    const statusesA: { at: number; status: HubStatus }[] = [];
    onA.socket.on('hub.status', (status) => statusesA.push({ at: Date.now(), status }));
    await Promise.all([onA.connected(), onB.connected()]);

    const incident = activate();
    const incidentId = incident.payload.incidentId;
    const acked: string[] = [];
    const before = [incident, logEntry('Before the partition')];
    for (const command of before) {
      const { body } = await leadA.command(command);
      expect(body.ok).toBe(true);
      acked.push(command.id);
    }
    const { seq: headBefore } = await onHub(leadA, hubB.url).stateHash();
    await Promise.all([onA.waitForSeq(headBefore), onB.waitForSeq(headBefore)]);

    const cutAt = Date.now();
    proxy.setBlackhole(true);

    // Hub A's clients hear that its picture may be stale, with the time of its last contact.
    await waitUntil(
      () => statusesA.some((s) => s.status.picture?.state === 'stale'),
      STALE_WITHIN_MS + 5000,
      () => `hub A's clients heard ${JSON.stringify(statusesA)}`,
    );
    const stale = statusesA.find((s) => s.status.picture?.state === 'stale');
    const staleMs = (stale?.at ?? Infinity) - cutAt;
    expect(staleMs, `clients heard "stale" ${staleMs} ms after the cut`).toBeLessThan(STALE_WITHIN_MS);
    expect(stale?.status.canStore).toBe(false);
    const picture = stale?.status.picture;
    if (picture?.state !== 'stale') throw new Error('no stale picture');
    // The last contact was at most a couple of heartbeats before the cut.
    expect(Date.parse(picture.since)).toBeGreaterThan(cutAt - 3000);
    expect(Date.parse(picture.since)).toBeLessThanOrEqual(Date.now());

    // A load balancer moves new clients away from A, and B stays ready.
    const readyA = await fetch(`${hubA.url}/readyz`);
    expect(readyA.status).toBe(503);
    expect(JSON.stringify(await readyA.json())).toContain('has not heard from its event log since');
    expect((await fetch(`${hubB.url}/readyz`)).status).toBe(200);

    // Sign-in on A fails fast with a clear error instead of hanging.
    const signInStarted = Date.now();
    const refused = await fetch(`${hubA.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tib.nacka', password: 'lagesbild-demo' }),
    });
    const signInMs = Date.now() - signInStarted;
    expect(signInMs, `sign-in on the cut-off hub failed after ${signInMs} ms`).toBeLessThan(
      SIGN_IN_FAILS_WITHIN_MS,
    );
    expect(refused.status).toBe(503);
    const refusal = envelope(SessionInfo).parse(await refused.json());
    expect(refusal.ok ? null : refusal.error.code).toBe('log_unavailable');
    // So do reads that need the session, and new socket handshakes.
    const readStarted = Date.now();
    expect((await leadA.raw('/api/state')).status).toBe(503);
    const readMs = Date.now() - readStarted;
    expect(readMs, `the read on the cut-off hub was refused after ${readMs} ms`).toBeLessThan(
      SIGN_IN_FAILS_WITHIN_MS,
    );
    const handshake = await refusedHandshake(hubA.url, leadA.cookie);
    expect(handshake.code).toBe('log_unavailable');
    expect(handshake.ms, `the handshake was refused after ${handshake.ms} ms`).toBeLessThan(
      SIGN_IN_FAILS_WITHIN_MS,
    );

    // Meanwhile hub B works: it takes reports for the whole partition, and its clients get them.
    const duringB: string[] = [];
    while (Date.now() - cutAt < PARTITION_MS) {
      const command =
        duringB.length % 2 === 0
          ? report(incidentId, { happened: `During the partition ${duringB.length}` })
          : logEntry(`During the partition ${duringB.length}`);
      const { body } = await nackaB.command(command);
      expect(body.ok, JSON.stringify(body)).toBe(true);
      duringB.push(command.id);
      acked.push(command.id);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const { seq: headDuring } = await onHub(leadA, hubB.url).stateHash();
    await onB.waitForSeq(headDuring);
    // Still cut off after 30 s: A says so, and its clients have not silently moved on.
    expect((await fetch(`${hubA.url}/readyz`)).status).toBe(503);
    expect(onA.lastSeq).toBeLessThan(headDuring);

    proxy.setBlackhole(false);
    const healedAt = Date.now();

    // Contact returns: A's clients hear the picture is live again, A is ready, and it catches up.
    await waitUntil(
      () => statusesA.at(-1)?.status.picture?.state === 'live' && statusesA.at(-1)?.status.canStore === true,
      30_000,
      () => `hub A's clients heard ${JSON.stringify(statusesA.slice(-3))}`,
    );
    await waitUntil(async () => (await fetch(`${hubA.url}/readyz`)).status === 200, 30_000);
    await onA.waitForSeq(headDuring, 30_000);
    const after = logEntry('After the partition, through A');
    expect((await leadA.command(after)).body.ok).toBe(true);
    acked.push(after.id);
    const { seq: headAfter, hash } = await onHub(leadA, hubB.url).stateHash();
    await Promise.all([onA.waitForSeq(headAfter), onB.waitForSeq(headAfter)]);
    expect(onA.hash).toBe(hash);
    expect(onB.hash).toBe(hash);
    expect(await leadA.stateHash()).toEqual({ seq: headAfter, hash });
    // Nothing acked is lost, and nothing is there twice.
    for (const via of [leadA, onHub(leadA, hubB.url)]) {
      const events = await allEvents(via);
      const ids = new Set(events.map((e) => e.commandId));
      for (const id of acked) expect(ids.has(id), `${id} via ${via.baseUrl}`).toBe(true);
      // In log order, each once (this viewer's projection skips what it may not see).
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
      expect(seqs.at(-1)).toBe(headAfter);
    }
    console.info(
      `partition: stale after ${(stale?.at ?? 0) - cutAt} ms, sign-in refused in ${signInMs} ms ` +
        `(a handshake in ${handshake.ms} ms), ` +
        `${duringB.length} reports on B meanwhile, converged ${Date.now() - healedAt} ms after healing`,
    );
    onA.close();
    onB.close();
  }, 120_000);
});

/** Opens a socket with the cookie and waits for the hub to refuse it: the code and how long that took. */
async function refusedHandshake(url: string, cookie: string): Promise<{ code: string; ms: number }> {
  const started = Date.now();
  const client = new FoldingClient(url, cookie, { reconnectionDelay: 60_000 });
  try {
    const error = await new Promise<{ message: string; data?: unknown }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the handshake was neither refused nor accepted')),
        15_000,
      );
      client.socket.once('connect_error', (err) => {
        clearTimeout(timer);
        resolve(err as { message: string; data?: unknown });
      });
      client.socket.once('connect', () => {
        clearTimeout(timer);
        reject(new Error('the cut-off hub accepted a handshake it could not check'));
      });
    });
    const data = error.data as { code?: unknown } | undefined;
    return { code: typeof data?.code === 'string' ? data.code : error.message, ms: Date.now() - started };
  } finally {
    client.close();
  }
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  describe = () => 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
