import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { signIn } from '../support/api-client.js';
import { report } from '../support/commands.js';
import {
  startFaultProxy,
  type FaultMix,
  type FaultProxy,
  type FaultProxyStats,
} from '../support/fault-proxy.js';
import {
  activateIncident,
  keepSending,
  settleAndCount,
  signInOfficers,
  sleep,
  startCluster,
  type FaultReport,
} from './cluster.js';
import { faultSeed, naming, seedLabel } from './seed.js';
import { closeOpenOfficers } from './duty-officer.js';

export type F3Options = {
  durationMs: number;
  /** Duty officers, split over the two hubs. Default 8. */
  officers?: number;
  /**
   * The officers' ack timeout. Default 4 s, shorter than the app's 10 s so that stalls of a
   * few seconds make attempts time out on connections that are still alive.
   */
  ackTimeoutMs?: number;
  /**
   * Replays a run's fault choices (as far as timing allows); printed in the report and in
   * every failure. FAULT_SEED, or the CI seed, or a fresh one by default (see seed.ts).
   */
  seed?: number;
  mix?: FaultMix;
  log?: (line: string) => void;
};

/**
 * A link that is slow on half its connections, stalls now and then, and ends connections by
 * tearing a frame, by a reset or by going silent. Each connection draws every 1–3 s; most
 * draws change nothing. Each proxy deals every kind once first, so even a short run has
 * them all.
 */
export const F3_MIX: FaultMix = {
  delay: 0.5,
  delayMs: [5, 150],
  stall: 0.15,
  cut: 0.1,
  reset: 0.08,
  drop: 0.08,
  tickMs: [1000, 3000],
  // Mostly longer than the ack timeout, so the command in flight is sent again while the
  // hub may already have it; shorter than the hub's 10 s ping timeout.
  stallMs: [3000, 8000],
  firstOfEach: true,
};

/**
 * How late an attempt may end after its ack timeout, on top of the worst lag of this
 * process's event loop (a timer cannot fire while the loop is busy or the process is not
 * scheduled, as on a loaded 2-core machine).
 */
export const ATTEMPT_MARGIN_MS = 1000;

/**
 * F3: two hubs on one Redis with a fault proxy in front of each, duty officers sending
 * situation reports continuously through the proxies while the network delays, stalls, cuts
 * mid-frame, resets and silently drops their connections; then the network heals and the
 * run settles. Every attempt must end (ack or error) within the ack timeout, every command
 * must get a final answer, and every acked report must be in the log once and on every
 * client once, with every hub and client ending with the same state.
 */
export async function runF3(options: F3Options): Promise<FaultReport> {
  const seed = options.seed ?? faultSeed();
  return naming(`F3, ${seedLabel(seed)}`, () => f3(options, seed));
}

async function f3(options: F3Options, seed: number): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  const mix = options.mix ?? F3_MIX;
  const ackTimeoutMs = options.ackTimeoutMs ?? 4000;
  log(`F3 seed ${seed}`);
  const cluster = await startCluster(2);
  const proxies: FaultProxy[] = [];
  try {
    for (const [i, port] of cluster.ports.entries()) {
      proxies.push(await startFaultProxy({ targetPort: port, seed: seed + i }));
    }
    const [hubA] = cluster.hubs;
    if (!hubA) throw new Error('two hubs expected');
    const lead = await signIn(hubA.url, 'tib.lansstyrelsen');
    const incidentId = await activateIncident(lead);
    // Sign-in goes straight to a hub; every socket goes through the proxy of its hub.
    const officers = await signInOfficers(
      hubA.url,
      (i) => proxies[i % proxies.length]?.url ?? hubA.url,
      options.officers ?? 8,
      { ackTimeoutMs },
    );
    const disconnects = new Map<string, number>();
    for (const { officer } of officers) {
      officer.client.socket.on('disconnect', (reason) =>
        disconnects.set(reason, (disconnects.get(reason) ?? 0) + 1),
      );
    }

    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const started = Date.now();
    for (const proxy of proxies) proxy.setFaults(mix);
    let running = true;
    const sending = keepSending(
      officers,
      () => report(incidentId),
      () => running,
    );
    while (Date.now() - started < options.durationMs) {
      await sleep(Math.min(10_000, options.durationMs - (Date.now() - started)));
      log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${describeStats(total(proxies))}`);
    }
    for (const proxy of proxies) proxy.setFaults(null);
    const healed = Date.now();
    running = false;
    // Officers on a silently dropped connection finish only once their heartbeat notices.
    await sending;
    loopDelay.disable();
    const loopLagMs = Math.round(loopDelay.max / 1e6);
    log(`all officers answered ${((Date.now() - healed) / 1000).toFixed(1)} s after the network healed`);
    const durationMs = Date.now() - started;
    const { counts, culprits, hashesEqual, stateMismatches } = await settleAndCount(cluster, lead, officers);
    const hubExits = cluster.hubs.filter((hub) => hub.child.exitCode !== null).length;
    const stats = total(proxies);
    const reasons = [...disconnects.entries()].map(([reason, n]) => `${reason} ${n}`).join(', ');
    const disconnectCount = [...disconnects.values()].reduce((sum, n) => sum + n, 0);
    const pingTimeouts = disconnects.get('ping timeout') ?? 0;
    await Promise.all(officers.map(({ officer }) => officer.close()));
    const receivedTwice = commandsReceivedTwice(cluster.hubs.map((hub) => hub.output()));
    return {
      scenario: 'F3',
      faults: `flaky network through a fault proxy per hub (seed ${seed}): ${describeStats(stats)}`,
      durationMs,
      clients: officers.length,
      counts,
      culprits,
      hashesEqual,
      stateMismatches,
      hubExits,
      seed,
      notes: [
        `seed ${seed}: FAULT_SEED=${seed}, or runF3({ seed: ${seed}, durationMs: ${options.durationMs} }), ` +
          `draws the same faults in the same order (which connection each one strikes depends on timing)`,
        `ack timeout ${ackTimeoutMs} ms; slowest attempt ${counts.slowestAttemptMs} ms; ` +
          `the test process's event loop lagged up to ${loopLagMs} ms`,
        `${receivedTwice} commands reached a hub more than once (a retry after a lost ack or a ` +
          `timeout) and were applied once`,
        `officer disconnects by reason: ${reasons || 'none'}`,
        // Each side closes its TCP connection about 30 s after its heartbeat gave up: the
        // websocket close handshake waits that long for an answer the silence swallows.
        `silently dropped connections closed so far by the client ${stats.dropsClosedByClient}, ` +
          `by the hub ${stats.dropsClosedByHub} (slowest ${(stats.slowestDropCloseMs / 1000).toFixed(1)} s ` +
          `after the drop); ${stats.bytesDropped} bytes swallowed`,
        ...proxies.map((proxy, i) => `proxy ${i + 1} (seed ${proxy.seed}): ${describeStats(proxy.stats())}`),
      ],
      checks: {
        seed,
        ackTimeoutMs,
        loopLagMs,
        attemptLimitMs: ackTimeoutMs + ATTEMPT_MARGIN_MS + loopLagMs,
        connections: stats.connections,
        delayedChunks: stats.delayedChunks,
        stalls: stats.stalls,
        cuts: stats.cuts,
        resets: stats.resets,
        drops: stats.drops,
        receivedTwice,
        pingTimeouts,
        disconnects: disconnectCount,
      },
    };
  } finally {
    await closeOpenOfficers();
    for (const proxy of proxies) await proxy.stop();
    await cluster.stop();
  }
}

function total(proxies: readonly FaultProxy[]): FaultProxyStats {
  const sum = (key: keyof FaultProxyStats) => proxies.reduce((n, proxy) => n + proxy.stats()[key], 0);
  return {
    connections: sum('connections'),
    open: sum('open'),
    delayedChunks: sum('delayedChunks'),
    stalls: sum('stalls'),
    cuts: sum('cuts'),
    cutsTowardHub: sum('cutsTowardHub'),
    resets: sum('resets'),
    drops: sum('drops'),
    dropsClosedByClient: sum('dropsClosedByClient'),
    dropsClosedByHub: sum('dropsClosedByHub'),
    blackholed: sum('blackholed'),
    slowestDropCloseMs: Math.max(0, ...proxies.map((proxy) => proxy.stats().slowestDropCloseMs)),
    bytesDropped: sum('bytesDropped'),
  };
}

const describeStats = (s: FaultProxyStats) =>
  `${s.connections} connections, ${s.delayedChunks} delayed chunks, ${s.stalls} stalls, ` +
  `${s.cuts} cuts mid-frame (${s.cutsTowardHub} toward the hub), ${s.resets} resets, ${s.drops} silent drops`;

/** A hub's log line for each command it handled, duplicates included. */
const CommandLine = z.object({ msg: z.literal('command'), commandId: z.string() });

/** Commands that the hubs, together, were handed more than once. */
function commandsReceivedTwice(outputs: readonly string[]): number {
  const seen = new Map<string, number>();
  for (const line of outputs.flatMap((output) => output.split('\n'))) {
    if (!line.includes('"msg":"command"')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const entry = CommandLine.safeParse(parsed);
    if (entry.success) seen.set(entry.data.commandId, (seen.get(entry.data.commandId) ?? 0) + 1);
  }
  return [...seen.values()].filter((n) => n > 1).length;
}
