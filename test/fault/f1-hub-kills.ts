import { readFile } from 'node:fs/promises';
import { signIn } from '../support/api-client.js';
import { report } from '../support/commands.js';
import { seededRandom } from '../support/fault-proxy.js';
import { startLoadBalancer } from '../support/nginx.js';
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

export type F1Options = {
  durationMs: number;
  /** A random running hub is SIGKILLed this often… */
  killEveryMs: number;
  /** …and started again this long after. */
  downMs: number;
  officers: number;
  /** Picks the hubs to kill; FAULT_SEED, or the CI seed, or a fresh one by default (see seed.ts). */
  seed?: number;
  log?: (line: string) => void;
};

/**
 * F1: three hubs on one Redis behind deploy/nginx.conf (Debian's nginx), duty officers
 * sending situation reports continuously through it, and a random hub SIGKILLed every few
 * seconds and restarted. Every acked report must be in the log once and on every client
 * once, and every hub and client must end with the same state.
 */
export async function runF1(options: F1Options): Promise<FaultReport> {
  const seed = options.seed ?? faultSeed();
  return naming(`F1, ${seedLabel(seed)}`, () => f1(options, seed));
}

async function f1(options: F1Options, seed: number): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  const random = seededRandom(seed);
  log(`F1 seed ${seed}`);
  const cluster = await startCluster(3);
  const lb = await startLoadBalancer(cluster.ports);
  const notes: string[] = [];
  const victims: number[] = [];
  try {
    const lead = await signIn(lb.url, 'tib.lansstyrelsen');
    const incidentId = await activateIncident(lead);
    const officers = await signInOfficers(lb.url, lb.url, options.officers, { ackTimeoutMs: 10_000 });
    const started = Date.now();
    let running = true;
    const restarts: Promise<void>[] = [];
    const sending = keepSending(
      officers,
      () => report(incidentId),
      () => running,
    );

    const killer = (async () => {
      while (Date.now() - started < options.durationMs) {
        await sleep(options.killEveryMs);
        if (Date.now() - started >= options.durationMs) break;
        const candidates = [0, 1, 2].filter((i) => cluster.isUp(i));
        const victim = candidates[Math.floor(random() * candidates.length)];
        if (victim === undefined) continue;
        log(`SIGKILL hub ${victim + 1} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await cluster.kill(victim);
        victims.push(victim + 1);
        const restart = sleep(options.downMs).then(() => cluster.restart(victim));
        // Awaited below; handled here too, so a failed restart is not reported as unhandled meanwhile.
        restart.catch(() => undefined);
        restarts.push(restart);
      }
    })();
    await killer;
    running = false;
    // Every hub back up before the final comparison; a hub that cannot start fails the run.
    await Promise.all(restarts);
    await sending;
    const durationMs = Date.now() - started;
    const hubExits = cluster.hubs.filter((hub) => hub.child.exitCode !== null).length;
    const { counts, culprits, hashesEqual, stateMismatches } = await settleAndCount(cluster, lead, officers);
    await Promise.all(officers.map(({ officer }) => officer.close()));
    const spread = await upstreamSpread(lb.dir);
    notes.push(
      `${seedLabel(seed)} chose the hubs killed, in order: ${victims.join(', ') || 'none'}`,
      `requests and websockets per hub through nginx: ${spread}`,
    );
    return {
      scenario: 'F1',
      faults: `${victims.length} hub SIGKILLs (one every ${options.killEveryMs / 1000} s, back after ${options.downMs / 1000} s)`,
      durationMs,
      clients: officers.length,
      counts,
      culprits,
      hashesEqual,
      stateMismatches,
      hubExits,
      notes,
      seed,
    };
  } finally {
    await closeOpenOfficers();
    await lb.stop();
    await cluster.stop();
  }
}

/** How nginx spread requests over the hubs, from its access log (`upstream=` field). */
async function upstreamSpread(dir: string): Promise<string> {
  const text = await readFile(`${dir}/access.log`, 'utf8').catch(() => '');
  const perUpstream = new Map<string, number>();
  // After a failover nginx lists every hub it tried ("a, b"); the last one served.
  for (const match of text.matchAll(/upstream=(.*?) upstream_status=/g)) {
    const last = match[1]?.split(', ').at(-1) ?? '-';
    // nginx names the upstream block itself when every hub was marked down at that moment
    // (passive health checks keep a failed hub out for fail_timeout): the client got a 502.
    const key = last === 'hubs' ? 'no hub marked up (502, the client tried again)' : last;
    perUpstream.set(key, (perUpstream.get(key) ?? 0) + 1);
  }
  return [...perUpstream.entries()].map(([k, n]) => `${k} ${n}`).join(', ');
}
