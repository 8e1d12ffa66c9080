import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { latestReports, type Command, type State, type StoredEvent } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { allEvents, onHub, signIn, type ApiClient } from '../support/api-client.js';
import { activate, report } from '../support/commands.js';
import { startHub, type HubProcess } from '../support/hub-process.js';
import { freePort } from '../support/ports.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { settleAndCount, sleep, waitUntil, type FaultReport, type SignedInOfficer } from './cluster.js';
import { DutyOfficer, closeOpenOfficers } from './duty-officer.js';
import { readiness, skewWarnings } from './hub-watch.js';
import { naming } from './seed.js';

export type F6Options = {
  /** How long the officers report in each cycle. */
  cycleMs: number;
  /**
   * The skewed hub's clock in each cycle, as libfaketime's FAKETIME offsets (`+10m`, `-10m`);
   * the hub is restarted with the next one between cycles.
   */
  skews: readonly string[];
  /** Actors whose duty officer reports from two devices, one on each hub. */
  actors: number;
  /** Each device's pause between reports. Default 100 ms. */
  pauseMs?: number;
  log?: (line: string) => void;
};

/** How far a time may be from the test's clock and still be the log's (not a skewed hub's). */
const SAME_CLOCK_MS = 60_000;

/**
 * Debian's libfaketime, which the `faketime` command preloads: setting these two variables
 * on the hub's process is what `faketime -f '+10m' node …` does (as test/clock-skew.test.ts).
 */
function fakeTimeEnv(offset: string): Record<string, string> {
  const lib = readdirSync('/usr/lib')
    .map((dir) => path.join('/usr/lib', dir, 'faketime', 'libfaketime.so.1'))
    .find((file) => existsSync(file));
  if (!lib) throw new Error("libfaketime is missing: install Debian's faketime package");
  return { LD_PRELOAD: lib, FAKETIME: offset };
}

/** A FAKETIME offset (`+10m`, `-90s`, `+1h`) in ms. */
export function offsetMs(offset: string): number {
  const match = /^([+-])(\d+)([smhd])$/.exec(offset);
  if (!match) throw new Error(`a FAKETIME offset like +10m or -30s, not "${offset}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[3] as 's' | 'm' | 'h' | 'd'];
  return (match[1] === '-' ? -1 : 1) * Number(match[2]) * unit;
}

/** One cycle's findings. */
type Cycle = {
  skew: string;
  incidentId: string;
  reports: number;
  /** (client or hub, actor) pairs whose shown latest report is not the newest in the log. */
  mismatches: string[];
  /** `clockSkewMs` in the skewed hub's `/readyz`, and in the on-time hub's. */
  readySkewMs: number | null;
  onTimeReadySkewMs: number | null;
  /** Skew warnings the skewed hub's process logged this cycle. */
  warnings: number[];
  /** Times to acknowledge (activation on one hub, acknowledgement on the other), in ms. */
  ackMs: number[];
};

/**
 * F6: clock skew between hubs. Two hubs on one Redis, one of them running under
 * libfaketime ten minutes fast (then, restarted, ten minutes slow). Each actor's duty
 * officer reports from two devices, one on each hub, alternating "severe" and "all clear",
 * each report superseding the one before. Whatever the deciding hub's clock says, every
 * client and hub must show as an actor's latest report the newest by log order, no time
 * on the picture may come from the skewed clock, no duration may be negative, and the
 * skewed hub must warn about its clock.
 */
export async function runF6(options: F6Options): Promise<FaultReport> {
  // F6 draws nothing at random: the skews are given.
  return naming('F6', () => f6(options));
}

async function f6(options: F6Options): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  const [firstSkew] = options.skews;
  if (firstSkew === undefined) throw new Error('F6 needs at least one skew');
  let redis: RedisServer | null = null;
  let onTime: HubProcess | null = null;
  let skewed: HubProcess | null = null;
  const devices: SignedInOfficer[] = [];
  try {
    redis = await startRedis({ appendfsync: 'always' });
    const env = { REDIS_URL: redis.url };
    // A fixed port, so the skewed hub comes back where its devices reconnect.
    const skewedPort = await freePort();
    const startSkewed = (skew: string, dataDir?: string) =>
      startHub({
        port: skewedPort,
        ...(dataDir ? { dataDir } : {}),
        env: { ...env, HUB_ID: 'skewed', ...fakeTimeEnv(skew) },
      });
    [onTime, skewed] = await Promise.all([
      startHub({ env: { ...env, HUB_ID: 'on-time' } }),
      startSkewed(firstSkew),
    ]);
    const urls = [onTime.url, skewed.url] as const;
    const lead = await signIn(onTime.url, 'tib.lansstyrelsen');

    // Each actor's duty officer on two devices: one outbox each, one socket to each hub.
    const region = stockholmRegion();
    const actors = region.actors.filter((a) => a.id !== region.leadActorId).slice(0, options.actors);
    for (const [i, actor] of actors.entries()) {
      const login = `tib.${actor.id}`;
      const api = await signIn(onTime.url, login);
      for (const [d, url] of urls.entries()) {
        const officer = await DutyOfficer.start({
          url,
          cookie: api.cookie,
          // The outbox's owner: the same person, a separate device (its own outbox).
          userId: `${login} on ${d === 0 ? 'the on-time hub' : 'the skewed hub'}`,
          localAddress: `127.0.0.${10 + 2 * i + d}`,
          ackTimeoutMs: 10_000,
        });
        devices.push({ api, officer });
      }
    }
    await Promise.all(devices.map(({ officer }) => officer.client.connected(30_000)));

    const started = Date.now();
    const cycles: Cycle[] = [];
    let skewedRestarts = 0;
    let skewedExits = 0;
    for (const [c, skew] of options.skews.entries()) {
      if (c > 0) {
        // The skewed hub again, with the next skew, on its port and data directory.
        const previous: HubProcess = skewed;
        if (previous.child.exitCode !== null) skewedExits++;
        await previous.kill();
        skewed = await startSkewed(skew, previous.dataDir);
        skewedRestarts++;
        await waitUntil(
          () => devices.every(({ officer }) => officer.client.socket.connected),
          60_000,
          'every device connected again',
        );
      }
      const cycle = await runCycle(
        skew,
        lead,
        [onTime, skewed],
        devices,
        actors.map((a) => a.id),
        options,
      );
      // Each cycle has its own process of the skewed hub, which warns when it first reads the log's clock.
      cycle.warnings = skewWarnings(skewed.output());
      cycles.push(cycle);
      log(
        `cycle ${c + 1} (${skew}): ${cycle.reports} reports, ${cycle.mismatches.length} latest-report mismatches, ` +
          `skewed hub's /readyz clockSkewMs ${cycle.readySkewMs}, ${cycle.warnings.length} skew warning(s) logged`,
      );
    }
    const durationMs = Date.now() - started;

    const hubs = [onTime, skewed];
    const settled = await settleAndCount({ hubs }, lead, devices);
    const events = await allEvents(lead);
    const negative = negativeDurations(events, cycles, await lead.state().then((s) => s.state));
    const offClock = timesOffTheClock(events, devices);
    const onTimeWarnings = skewWarnings(onTime.output());
    const hubExits =
      (onTime.child.exitCode !== null ? 1 : 0) + skewedExits + (skewed.child.exitCode !== null ? 1 : 0);
    const mismatches = cycles.flatMap((c) => c.mismatches);
    const skewOf = (c: Cycle) => offsetMs(c.skew);
    const warnedRight = (c: Cycle) =>
      c.warnings.some((w) => Math.abs(w - skewOf(c)) < SAME_CLOCK_MS) &&
      c.readySkewMs !== null &&
      Math.abs(c.readySkewMs - skewOf(c)) < SAME_CLOCK_MS;
    const ackMs = cycles.flatMap((c) => c.ackMs);

    const broken: string[] = [];
    if (mismatches.length > 0)
      broken.push(
        `${mismatches.length} latest report(s) shown that are not the newest in the log: ${mismatches.slice(0, 5).join('; ')}`,
      );
    if (negative.length > 0)
      broken.push(`${negative.length} negative duration(s): ${negative.slice(0, 5).join('; ')}`);
    if (offClock.length > 0)
      broken.push(
        `${offClock.length} time(s) on the picture from a skewed clock: ${offClock.slice(0, 5).join('; ')}`,
      );
    for (const c of cycles.filter((cycle) => !warnedRight(cycle)))
      broken.push(
        `the hub at ${c.skew} did not warn about its clock (warnings ${c.warnings.join(', ') || 'none'}, /readyz ${c.readySkewMs})`,
      );
    if (onTimeWarnings.length > 0)
      broken.push(`the on-time hub warned about its clock ${onTimeWarnings.length} time(s)`);

    await Promise.all(devices.map(({ officer }) => officer.close()));
    return {
      scenario: 'F6',
      faults: `one of two hubs under libfaketime at ${options.skews.join(', then ')} (restarted between)`,
      durationMs,
      clients: devices.length,
      counts: settled.counts,
      culprits: settled.culprits,
      hashesEqual: settled.hashesEqual,
      stateMismatches: settled.stateMismatches,
      hubExits,
      seed: null,
      broken,
      notes: [
        `${actors.length} duty officers, each on two devices (one per hub), alternating "severe" and "normal" ` +
          `reports, each superseding the last; ${cycles.map((c) => `${c.reports} reports at ${c.skew}`).join(', ')}`,
        `latest-report mismatches (shown latest ≠ newest by log order, on ${devices.length} clients and 2 hubs, ` +
          `after each cycle): ${mismatches.length}`,
        `negative durations (an event timed before the one before it in the log, an acknowledgement before its ` +
          `activation): ${negative.length}; times more than ${SAME_CLOCK_MS / 1000} s from the acking moment: ${offClock.length}; ` +
          `time to acknowledge across the hubs ${range(ackMs)}`,
        `skew warnings: ${cycles
          .map(
            (c) =>
              `at ${c.skew} ${c.warnings.length} logged (${c.warnings.map(minutes).join(', ')}), /readyz clockSkewMs ${minutes(c.readySkewMs)}`,
          )
          .join(
            '; ',
          )}; on the on-time hub ${onTimeWarnings.length} logged, /readyz ${cycles.map((c) => c.onTimeReadySkewMs).join(', ')} ms`,
      ],
      checks: {
        cycles: cycles.length,
        reports: cycles.reduce((n, c) => n + c.reports, 0),
        latestMismatches: mismatches.length,
        negativeDurations: negative.length,
        timesOffTheClock: offClock.length,
        skewWarningCycles: cycles.filter(warnedRight).length,
        onTimeWarnings: onTimeWarnings.length,
        skewedRestarts,
      },
    };
  } finally {
    await closeOpenOfficers();
    for (const { officer } of devices) officer.client.close();
    await Promise.all([onTime?.stop(), skewed?.stop()]);
    await redis?.stop();
  }
}

/**
 * One cycle: an incident activated through the skewed hub and acknowledged through the
 * other; then each actor reports, alternating status and hub, until the cycle ends; then
 * every client and hub is brought to one head and asked for each actor's latest report.
 */
async function runCycle(
  skew: string,
  lead: ApiClient,
  hubs: readonly [HubProcess, HubProcess],
  devices: readonly SignedInOfficer[],
  actorIds: readonly string[],
  options: F6Options,
): Promise<Cycle> {
  const [onTime, skewed] = hubs;
  const incident = activate({ title: `Storm Ylva ${skew}` });
  const incidentId = incident.payload.incidentId;
  const activated = await onHub(lead, skewed.url).command(incident);
  if (!activated.body.ok)
    throw new Error(`could not activate the incident: ${JSON.stringify(activated.body)}`);
  const deviceOf = (actor: number, hub: number) => devices[2 * actor + hub]?.officer;

  // Acknowledged from the devices on the on-time hub a moment later: a duration across the
  // two clocks, which a hub's own clock would make ten minutes too long or below zero.
  await sleep(1000);
  await Promise.all(
    actorIds.map((_, i) =>
      deviceOf(i, 0)?.enqueue({ id: randomUUID(), type: 'activation.acknowledge', payload: { incidentId } }),
    ),
  );

  const until = Date.now() + options.cycleMs;
  const newest = new Map<string, string>();
  let reports = 0;
  await Promise.all(
    actorIds.map(async (actorId, i) => {
      let previous: string | null = null;
      for (let k = 0; Date.now() < until; k++) {
        // Half the actors start on the skewed hub, so "severe then all clear" runs both ways.
        const device = deviceOf(i, (k + i) % 2);
        if (!device) throw new Error(`no device ${(k + i) % 2} for ${actorId}`);
        const severe = k % 2 === 0;
        const command: Command = report(incidentId, {
          status: severe ? 'severe' : 'normal',
          happened: severe ? `Vatten över vägen (${k})` : `Läget normalt igen (${k})`,
          supersedes: previous,
        });
        await device.enqueue(command);
        reports++;
        if (device.sent.get(command.id)?.outcome === 'acked' && command.type === 'report.submit') {
          previous = command.payload.reportId;
          newest.set(actorId, previous);
        }
        await sleep(options.pauseMs ?? 100);
      }
    }),
  );

  // Everyone at one head, then each actor's latest as every client and hub shows it.
  await Promise.all(devices.map(({ officer }) => officer.settled(60_000)));
  const heads = async () => Promise.all(hubs.map(async (hub) => (await onHub(lead, hub.url).state()).seq));
  await waitUntil(async () => new Set(await heads()).size === 1, 30_000, 'both hubs at one head');
  const [head = 0] = await heads();
  await Promise.all(devices.map(({ officer }) => officer.client.waitForSeq(head, 30_000)));
  const inLog = newestByLogOrder(await allEvents(lead), incidentId);
  const views: [string, State][] = [
    ...devices.map(({ officer }): [string, State] => [officer.userId, officer.client.state]),
    ...(await Promise.all(
      hubs.map(async (hub, h): Promise<[string, State]> => [
        h === 0 ? 'the on-time hub' : 'the skewed hub',
        (await onHub(lead, hub.url).state()).state,
      ]),
    )),
  ];
  const mismatches: string[] = [];
  for (const actorId of actorIds) {
    const expected = inLog.get(actorId);
    if (expected !== newest.get(actorId))
      mismatches.push(
        `${actorId}: the log's newest ${expected} is not the last acked ${newest.get(actorId)}`,
      );
    for (const [who, state] of views) {
      const shown = latestReports(state, incidentId).get(actorId)?.id;
      if (shown !== expected)
        mismatches.push(`${who} shows ${shown} as ${actorId}'s latest, the log ${expected}`);
    }
  }
  const state = (await lead.state()).state;
  const activatedIncident = state.incidents[incidentId];
  const ackMs = actorIds.flatMap((actorId) => {
    const at = activatedIncident?.acknowledgements[actorId]?.at;
    const activatedAt = activatedIncident?.activatedAt;
    return at && activatedAt ? [Date.parse(at) - Date.parse(activatedAt)] : [];
  });
  const [skewedReady, onTimeReady] = await Promise.all([clockSkew(skewed.url), clockSkew(onTime.url)]);
  return {
    skew,
    incidentId,
    reports,
    mismatches,
    readySkewMs: skewedReady,
    onTimeReadySkewMs: onTimeReady,
    warnings: [],
    ackMs,
  };
}

/** `clockSkewMs` from a hub's `/readyz` details, or null. */
async function clockSkew(url: string): Promise<number | null> {
  const ready = await readiness(url);
  try {
    const body = JSON.parse(ready.text) as { data?: { clockSkewMs?: unknown } };
    return typeof body.data?.clockSkewMs === 'number' ? body.data.clockSkewMs : null;
  } catch {
    return null;
  }
}

/** Each actor's newest report on the incident by log order (the last `report.submitted`). */
function newestByLogOrder(events: readonly StoredEvent[], incidentId: string): Map<string, string> {
  const newest = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'report.submitted') continue;
    const { report: submitted } = event.payload;
    if (submitted.incidentId === incidentId) newest.set(submitted.actorId, submitted.id);
  }
  return newest;
}

/**
 * Durations that would come out negative: an event timed before the one before it in the
 * log, or an acknowledgement timed before its incident's activation.
 */
function negativeDurations(events: readonly StoredEvent[], cycles: readonly Cycle[], state: State): string[] {
  const negative: string[] = [];
  for (let i = 1; i < events.length; i++) {
    const [before, after] = [events[i - 1], events[i]];
    if (before && after && Date.parse(after.at) < Date.parse(before.at))
      negative.push(`seq ${after.seq} at ${after.at} after seq ${before.seq} at ${before.at}`);
  }
  for (const { incidentId } of cycles) {
    const incident = state.incidents[incidentId];
    const activatedAt = incident?.activatedAt;
    if (!incident || !activatedAt) continue;
    for (const [actorId, ack] of Object.entries(incident.acknowledgements)) {
      if (Date.parse(ack.at) < Date.parse(activatedAt))
        negative.push(`${actorId} acknowledged ${incidentId} at ${ack.at}, activated ${activatedAt}`);
    }
  }
  return negative;
}

/**
 * Events whose time is far from when their command was acked: a time from the skewed hub's
 * clock rather than the log's (the skew is minutes; an ack follows its append by far less).
 */
function timesOffTheClock(events: readonly StoredEvent[], devices: readonly SignedInOfficer[]): string[] {
  const ackedAt = new Map<string, number>();
  for (const { officer } of devices)
    for (const record of officer.sent.values()) if (record.ackedAt) ackedAt.set(record.id, record.ackedAt);
  return events.flatMap((event) => {
    const acked = ackedAt.get(event.commandId);
    if (acked === undefined || Math.abs(Date.parse(event.at) - acked) < SAME_CLOCK_MS) return [];
    return [`${event.type} seq ${event.seq} at ${event.at}, acked at ${new Date(acked).toISOString()}`];
  });
}

const minutes = (ms: number | null) => (ms === null ? 'none' : `${(ms / 60_000).toFixed(1)} min`);

const range = (values: readonly number[]) =>
  values.length === 0
    ? 'not measured'
    : `${(Math.min(...values) / 1000).toFixed(1)}–${(Math.max(...values) / 1000).toFixed(1)} s`;
