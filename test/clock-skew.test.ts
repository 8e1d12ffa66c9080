import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import { durationBetween, latestReports, reportsForIncident, type State } from '@lagesbild/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onHub, signIn, type ApiClient } from './support/api-client.js';
import { activate, report } from './support/commands.js';
import { startHub, type HubProcess } from './support/hub-process.js';
import { startRedis, type RedisServer } from './support/redis-server.js';

const TEN_MINUTES_MS = 600_000;
/** How far apart two readings of "now" on this machine may be in these tests. */
const SLACK_MS = 5000;

/**
 * Debian's libfaketime, which the `faketime` command preloads: setting the same two
 * variables on the hub's process is what `faketime -f '+10m' node …` does, without
 * changing how the test support spawns hubs.
 */
function fakeTimeEnv(offset: string): Record<string, string> {
  const lib = readdirSync('/usr/lib')
    .map((dir) => path.join('/usr/lib', dir, 'faketime', 'libfaketime.so.1'))
    .find((file) => existsSync(file));
  if (!lib) throw new Error("libfaketime is missing: install Debian's faketime package");
  return { LD_PRELOAD: lib, FAKETIME: offset };
}

/** The `time` (ms) of the hub's "hub ready" log line: what the hub's own clock said. */
function readyLineTime(hub: HubProcess): number {
  const line = hub
    .output()
    .split('\n')
    .find((l) => l.includes('"msg":"hub ready"'));
  const time = line ? (JSON.parse(line) as { time?: unknown }).time : undefined;
  if (typeof time !== 'number') throw new Error(`no "hub ready" line with a time:\n${hub.output()}`);
  return time;
}

const readyz = async (hub: HubProcess) => {
  const res = await fetch(`${hub.url}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; data?: { clockSkewMs?: unknown } },
  };
};

const stateOn = async (client: ApiClient): Promise<State> => (await client.state()).state;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('one hub ten minutes fast (faketime +10m) and one on time, on one Redis', () => {
  let redis: RedisServer;
  let onTime: HubProcess;
  let fast: HubProcess;
  let leadOnTime: ApiClient;
  let leadFast: ApiClient;
  let nackaFast: ApiClient;
  let nackaOnTime: ApiClient;

  beforeAll(async () => {
    redis = await startRedis();
    // Sessions live six minutes: a hub that timed them by its own clock, ten minutes fast,
    // would take every session opened on the other hub for expired.
    const env = { REDIS_URL: redis.url, SESSION_TTL_HOURS: '0.1', SESSION_IDLE_MINUTES: '6' };
    [onTime, fast] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'on-time' } }),
      startHub({ env: { ...env, HUB_ID: 'fast', ...fakeTimeEnv('+10m') } }),
    ]);
    leadOnTime = await signIn(onTime.url, 'tib.lansstyrelsen');
    leadFast = onHub(leadOnTime, fast.url);
    nackaFast = await signIn(fast.url, 'tib.nacka');
    nackaOnTime = onHub(nackaFast, onTime.url);
  });
  afterAll(async () => {
    await Promise.all([onTime?.kill(), fast?.kill()]);
    await redis?.stop();
  });

  it("runs the fast hub's Node ten minutes ahead (libfaketime reaches Date)", () => {
    expect(readyLineTime(fast) - readyLineTime(onTime)).toBeGreaterThan(TEN_MINUTES_MS - 60_000);
    expect(Math.abs(readyLineTime(onTime) - Date.now())).toBeLessThan(60_000);
  });

  it("shows Nacka's all clear, sent 3 s after its severe report through the other hub, as its latest on both hubs", async () => {
    const incident = activate();
    expect((await leadOnTime.command(incident)).body).toMatchObject({ ok: true });
    const incidentId = incident.payload.incidentId;

    const severe = report(incidentId, { status: 'severe', happened: 'Water over the road' });
    expect((await nackaFast.command(severe)).body).toMatchObject({ ok: true });
    await sleep(3000);
    const allClear = report(incidentId, {
      status: 'normal',
      happened: 'All clear',
      supersedes: severe.payload.reportId,
    });
    expect((await nackaOnTime.command(allClear)).body).toMatchObject({ ok: true });

    for (const client of [nackaOnTime, nackaFast, leadOnTime, leadFast]) {
      const state = await stateOn(client);
      expect(latestReports(state, incidentId).get('nacka')?.id).toBe(allClear.payload.reportId);
      expect(reportsForIncident(state, incidentId).map((r) => r.happened)).toEqual([
        'All clear',
        'Water over the road',
      ]);
      // Both times come from the log's clock: the all clear 3 s after the severe report, and
      // neither ten minutes in the future.
      const severeAt = state.reports[severe.payload.reportId]?.at ?? '';
      const clearAt = state.reports[allClear.payload.reportId]?.at ?? '';
      expect(durationBetween(severeAt, clearAt)).toBeGreaterThanOrEqual(2900);
      expect(durationBetween(severeAt, clearAt)).toBeLessThan(3000 + SLACK_MS);
      expect(Math.abs(Date.parse(severeAt) - Date.now())).toBeLessThan(60_000);
    }
  });

  it('times an acknowledgement on the other hub from the activation by one clock', async () => {
    const incident = activate();
    expect((await leadFast.command(incident)).body).toMatchObject({ ok: true });
    await sleep(2000);
    const acknowledge = {
      id: randomUUID(),
      type: 'activation.acknowledge',
      payload: { incidentId: incident.payload.incidentId },
    };
    expect((await nackaOnTime.command(acknowledge)).body).toMatchObject({ ok: true });

    for (const client of [leadOnTime, leadFast]) {
      const activated = (await stateOn(client)).incidents[incident.payload.incidentId];
      const acknowledgement = activated?.acknowledgements.nacka;
      // Not −598 s (shown as 0): about the 2 s the test waited.
      const ms = durationBetween(activated?.activatedAt ?? '', acknowledgement?.at ?? '');
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(ms).toBeLessThan(2000 + SLACK_MS);
      expect(acknowledgement?.seq).toBeGreaterThan(activated?.activatedSeq ?? Infinity);
    }
  });

  it('keeps sessions alive on the fast hub for their lifetime, as on the other', async () => {
    // Opened on the hub on time, used on the fast one, and the other way round.
    const opened = [await signIn(onTime.url, 'tib.solna'), await signIn(fast.url, 'tib.botkyrka')];
    for (const client of opened) {
      expect(await client.signedIn()).toBe(true);
      expect(await onHub(client, fast.url).signedIn()).toBe(true);
      expect(await onHub(client, onTime.url).signedIn()).toBe(true);
    }
    // The fast hub opened its session at the log's time, so it lasts its six minutes everywhere.
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const [seconds] = (await client.sendCommand(['TIME'])) as [string, string];
      const keys = (await client.sendCommand(['KEYS', '*session:*'])) as string[];
      const created = await Promise.all(
        keys.map(
          async (key) => (JSON.parse(String(await client.get(key))) as { createdAt: number }).createdAt,
        ),
      );
      expect(created.length).toBeGreaterThanOrEqual(opened.length);
      for (const at of created) expect(Math.abs(at - Number(seconds) * 1000)).toBeLessThan(120_000);
    } finally {
      await client.close();
    }
  });

  it('warns about the skew on the fast hub only: /readyz details and a log line', async () => {
    const [fastReady, onTimeReady] = await Promise.all([readyz(fast), readyz(onTime)]);
    expect(fastReady.status).toBe(200);
    const skew = fastReady.body.data?.clockSkewMs;
    expect(typeof skew).toBe('number');
    expect(Math.abs(Number(skew) - TEN_MINUTES_MS)).toBeLessThan(SLACK_MS);
    expect(Math.abs(Number(onTimeReady.body.data?.clockSkewMs))).toBeLessThan(2000);

    const warning = fast
      .output()
      .split('\n')
      .find((line) => line.includes('"clockSkewMs"') && line.includes('"level":40'));
    expect(warning, fast.output()).toBeDefined();
    expect(onTime.output()).not.toMatch(/"level":40[^\n]*"clockSkewMs"/);
  });
});
