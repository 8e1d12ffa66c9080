import { signIn } from '../support/api-client.js';
import { activate, logEntry, report } from '../support/commands.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startHub, type HubProcess } from '../support/hub-process.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import {
  keepSending,
  settleAndCount,
  signInOfficers,
  sleep,
  waitUntil,
  type FaultReport,
  type SignedInOfficer,
} from './cluster.js';
import { describeCommand } from './ledger.js';
import { firstHeard, readiness, seconds, slowest } from './hub-watch.js';
import { naming } from './seed.js';
import { closeOpenOfficers } from './duty-officer.js';

export type F5Options = {
  /** Load before each cut, and after the last one has healed. */
  loadMs: number;
  /** How long hub A is cut off from Redis each time. */
  cutMs: number;
  /** How often it is cut off. */
  cycles: number;
  officers: number;
  /** Each officer's pause between commands (default 20 ms: as fast as the hub answers). */
  pauseMs?: number;
  log?: (line: string) => void;
};

/** The bound: the cut-off hub's clients hear "may be stale" within this of the cut. */
export const STALE_WITHIN_MS = 3000;
/** An ack this soon after the cut can be for an append Redis made before it. */
const ACK_IN_FLIGHT_GRACE_MS = 250;
/** How long the cut-off hub may take to be ready again after the cut heals. */
const BACK_WITHIN_MS = 60_000;

/** What one cut did, as seen from outside. */
type Cut = {
  at: number;
  healedAt: number;
  /** ms until every client of hub A had heard `hub.status` stale; null if one never did. */
  staleMs: number | null;
  /** Readiness probes of A after STALE_WITHIN_MS, and how many said 503; of B, how many said 200. */
  probesA: number;
  notReadyA: number;
  probesB: number;
  readyB: number;
  /** ms from healing until A was ready, and until every client of A heard its picture is live. */
  readyAfterMs: number;
  liveAfterMs: number | null;
  /** ms from healing until every client of A had folded what B had stored by then. */
  caughtUpMs: number;
};

/**
 * F5: a partition. Two hubs on one Redis; hub A reaches it through a proxy that turns into
 * a blackhole (connections stay open, nothing answers) for a while every cycle, while duty
 * officers send situation reports and log entries through both hubs. A's clients must hear
 * within seconds that its picture may be stale, A must say 503 to a load balancer, nothing
 * may be acked through A while it is cut off, B goes on working, and after healing every
 * acked command is in the log once and every hub and client ends with the same state.
 */
export async function runF5(options: F5Options): Promise<FaultReport> {
  // F5 draws nothing at random: the cuts come at fixed times.
  return naming('F5', () => f5(options));
}

async function f5(options: F5Options): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  let redis: RedisServer | null = null;
  let proxy: FaultProxy | null = null;
  const hubs: HubProcess[] = [];
  try {
    redis = await startRedis({ appendfsync: 'always' });
    // Only A goes through the proxy: a partition between one hub and Redis, not an outage.
    proxy = await startFaultProxy({ targetPort: redis.port });
    const redisUrls = [`redis://127.0.0.1:${proxy.port}`, redis.url];
    hubs.push(
      ...(await Promise.all(
        redisUrls.map((url, i) => startHub({ env: { REDIS_URL: url, HUB_ID: `hub-${'ab'[i]}` } })),
      )),
    );
    const [hubA, hubB] = hubs;
    if (!hubA || !hubB) throw new Error('two hubs expected');
    const lead = await signIn(hubB.url, 'tib.lansstyrelsen');
    const incident = activate({ title: 'Storm Ylva' });
    if (!(await lead.command(incident)).body.ok) throw new Error('could not activate the incident');
    const incidentId = incident.payload.incidentId;
    // Even officers on A, odd ones on B.
    const officers = await signInOfficers(hubB.url, (i) => hubs[i % 2]?.url ?? hubB.url, options.officers, {
      ackTimeoutMs: 10_000,
    });
    const onA = officers.filter((_, i) => i % 2 === 0);

    let sentCount = 0;
    const next = () =>
      ++sentCount % 2 === 0
        ? logEntry(`Lägesanteckning ${sentCount}`)
        : report(incidentId, { happened: `Lägesrapport ${sentCount}` });
    const started = Date.now();
    let running = true;
    const sending = keepSending(officers, next, () => running, options.pauseMs);
    const cuts: Cut[] = [];
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      await sleep(options.loadMs);
      const cut = await cutOff(proxy, hubA, hubB, onA, options.cutMs, async () => (await lead.state()).seq);
      cuts.push(cut);
      log(
        `cut ${cycle}: A's clients told stale after ${seconds(cut.staleMs)}; /readyz on A 503 in ` +
          `${cut.notReadyA} of ${cut.probesA} probes; A ready ${seconds(cut.readyAfterMs)} after healing`,
      );
    }
    await sleep(options.loadMs);
    running = false;
    await sending;
    const durationMs = Date.now() - started;

    const { counts, culprits, hashesEqual, stateMismatches } = await settleAndCount({ hubs }, lead, officers);
    const hubExits = hubs.filter((hub) => hub.child.exitCode !== null).length;
    const records = (group: readonly SignedInOfficer[]) =>
      group.flatMap(({ officer }) => [...officer.sent.values()]);
    const duringCut = (at = 0) => cuts.some((c) => at > c.at + ACK_IN_FLIGHT_GRACE_MS && at < c.healedAt);
    const ackedOnA = records(onA).filter((r) => duringCut(r.ackedAt));
    const ackedOnB = records(officers.filter((_, i) => i % 2 === 1)).filter((r) => duringCut(r.ackedAt));
    const slowestStale = slowest(cuts.map((c) => c.staleMs));
    const probesA = cuts.reduce((n, c) => n + c.probesA, 0);
    const notReadyA = cuts.reduce((n, c) => n + c.notReadyA, 0);
    const probesB = cuts.reduce((n, c) => n + c.probesB, 0);
    const readyB = cuts.reduce((n, c) => n + c.readyB, 0);
    const refusedHandshakes = officers.reduce(
      (n, { officer }) => n + [...officer.refusedHandshakes.values()].reduce((a, b) => a + b, 0),
      0,
    );

    const broken: string[] = [];
    if (slowestStale === null || slowestStale > STALE_WITHIN_MS)
      broken.push(
        `A's clients were not all told "may be stale" within ${STALE_WITHIN_MS} ms (${cuts.map((c) => seconds(c.staleMs)).join(', ')})`,
      );
    if (notReadyA !== probesA)
      broken.push(`A answered /readyz 200 in ${probesA - notReadyA} probes while cut off`);
    if (readyB !== probesB) broken.push(`B was not ready in ${probesB - readyB} probes while A was cut off`);
    if (ackedOnA.length > 0)
      broken.push(
        `${ackedOnA.length} command(s) acked through A while it was cut off: ${ackedOnA.slice(0, 5).map(describeCommand).join('; ')}`,
      );
    if (cuts.some((c) => c.liveAfterMs === null))
      broken.push("A's clients were not told its picture is live again");

    await Promise.all(officers.map(({ officer }) => officer.close()));
    const stats = proxy.stats();
    return {
      scenario: 'F5',
      faults:
        `${cuts.length} blackhole(s) between hub A and Redis, ${seconds(options.cutMs)} each ` +
        `after ${seconds(options.loadMs)} of load`,
      durationMs,
      clients: officers.length,
      counts,
      culprits,
      hashesEqual,
      stateMismatches,
      hubExits,
      seed: null,
      broken,
      notes: [
        `A's clients all told "may be stale" (hub.status) after ${cuts.map((c) => seconds(c.staleMs)).join(', ')}; ` +
          `/readyz on A said 503 in ${notReadyA} of ${probesA} probes from ${seconds(STALE_WITHIN_MS)} after each cut, ` +
          `on B 200 in ${readyB} of ${probesB}`,
        `acks through A while it was cut off: ${ackedOnA.length}; through B meanwhile: ${ackedOnB.length}`,
        `after healing: A ready after ${cuts.map((c) => seconds(c.readyAfterMs)).join(', ')}, its clients told ` +
          `"live" after ${cuts.map((c) => seconds(c.liveAfterMs)).join(', ')}, and they had every event B stored during ` +
          `the cut after ${cuts.map((c) => seconds(c.caughtUpMs)).join(', ')}; at the end every hub and client ` +
          (hashesEqual ? 'held the same state' : 'did NOT hold the same state'),
        `Redis connections of A the blackhole swallowed: ${stats.drops} (${stats.blackholed} of them opened during a cut); ` +
          `socket handshakes refused: ${refusedHandshakes}`,
      ],
      checks: {
        cuts: cuts.length,
        slowestStaleMs: slowestStale ?? -1,
        probesA,
        notReadyA,
        probesB,
        readyB,
        ackedOnAWhileCut: ackedOnA.length,
        ackedOnBWhileCut: ackedOnB.length,
        slowestLiveAfterMs: slowest(cuts.map((c) => c.liveAfterMs)) ?? -1,
        slowestCaughtUpMs: Math.max(...cuts.map((c) => c.caughtUpMs)),
      },
    };
  } finally {
    await closeOpenOfficers();
    await Promise.all(hubs.map((hub) => hub.stop()));
    await proxy?.stop();
    await redis?.stop();
  }
}

/**
 * One cut: the blackhole on for `cutMs` while A and B are probed as a load balancer would,
 * then off, and wait until A is ready and its clients hear its picture is live again.
 */
async function cutOff(
  proxy: FaultProxy,
  hubA: HubProcess,
  hubB: HubProcess,
  onA: readonly SignedInOfficer[],
  cutMs: number,
  headOfB: () => Promise<number>,
): Promise<Cut> {
  const at = Date.now();
  proxy.setBlackhole(true);
  let probesA = 0;
  let notReadyA = 0;
  let probesB = 0;
  let readyB = 0;
  // A may take up to the bound to notice; from then on it must say 503 until healed.
  await sleep(Math.min(STALE_WITHIN_MS, cutMs));
  while (Date.now() - at < cutMs) {
    const [a, b] = await Promise.all([readiness(hubA.url), readiness(hubB.url)]);
    probesA++;
    probesB++;
    if (a.status === 503) notReadyA++;
    if (b.status === 200) readyB++;
    await sleep(250);
  }
  const staleMs = slowest(
    onA.map(({ officer }) => {
      const heard = firstHeard(officer.statuses, at, 'stale');
      return heard ? heard.at - at : null;
    }),
  );
  proxy.setBlackhole(false);
  const healedAt = Date.now();
  const head = await headOfB();
  await waitUntil(
    async () => (await readiness(hubA.url)).status === 200,
    BACK_WITHIN_MS,
    'hub A ready again',
  );
  const readyAfterMs = Date.now() - healedAt;
  await waitUntil(
    () => onA.every(({ officer }) => firstHeard(officer.statuses, healedAt, 'live') !== null),
    BACK_WITHIN_MS,
    "A's clients told its picture is live again",
  ).catch(() => undefined);
  await waitUntil(
    () => onA.every(({ officer }) => officer.client.lastSeq >= head),
    BACK_WITHIN_MS,
    "A's clients caught up with what B stored during the cut",
  );
  const live = onA.map(({ officer }) => {
    const heard = firstHeard(officer.statuses, healedAt, 'live');
    return heard ? heard.at - healedAt : null;
  });
  return {
    at,
    healedAt,
    staleMs,
    probesA,
    notReadyA,
    probesB,
    readyB,
    readyAfterMs,
    liveAfterMs: slowest(live),
    caughtUpMs: Date.now() - healedAt,
  };
}
