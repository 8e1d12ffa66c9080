import type { Command } from '@lagesbild/shared';
import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { allEvents, onHub, signIn, type ApiClient } from '../support/api-client.js';
import { activate } from '../support/commands.js';
import { startHub, type HubProcess } from '../support/hub-process.js';
import { freePort } from '../support/ports.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { DutyOfficer, type DutyOfficerOptions } from './duty-officer.js';
import { countFaults, type FaultCounts, type FaultCulprits } from './ledger.js';

// What every scenario of the fault battery shares: hubs on one test-owned Redis at fixed
// ports (so a killed hub comes back where the load balancer and clients expect it), duty
// officers that report continuously, and the final count.

/** Hubs on one Redis; `hubs[i]` is replaced when hub i is restarted. */
export type Cluster = {
  redis: RedisServer;
  hubs: HubProcess[];
  ports: number[];
  /** SIGKILLs hub i (if it runs). */
  kill: (index: number) => Promise<void>;
  /** Starts hub i again on its port and data directory. */
  restart: (index: number) => Promise<void>;
  isUp: (index: number) => boolean;
  stop: () => Promise<void>;
};

export async function startCluster(hubCount: number, env: Record<string, string> = {}): Promise<Cluster> {
  const redis = await startRedis({ appendfsync: 'always' });
  const ports = await Promise.all(Array.from({ length: hubCount }, () => freePort()));
  const hubEnv = (i: number) => ({
    REDIS_URL: redis.url,
    HUB_ID: `hub-${i + 1}`,
    // The load balancer (test/support/nginx.ts) reaches the hubs from loopback; trusting it
    // gives each duty officer its own address, as in a deployment.
    TRUSTED_PROXIES: '127.0.0.1',
    ...env,
  });
  const hubs = await Promise.all(ports.map((port, i) => startHub({ port, env: hubEnv(i) })));
  const up = hubs.map(() => true);
  return {
    redis,
    hubs,
    ports,
    isUp: (i) => up[i] === true,
    kill: async (i) => {
      const hub = hubs[i];
      if (!hub || !up[i]) return;
      up[i] = false;
      await hub.kill('SIGKILL');
    },
    restart: async (i) => {
      const hub = hubs[i];
      if (!hub || up[i]) return;
      hubs[i] = await hub.restart();
      up[i] = true;
    },
    stop: async () => {
      await Promise.all(hubs.map((hub) => hub.kill('SIGTERM')));
      await redis.stop();
    },
  };
}

/** A signed-in duty officer: `api` is replaced when the person has to sign in again. */
export type SignedInOfficer = { api: ApiClient; officer: DutyOfficer };

/** How long an officer whose session is gone keeps trying to sign in again. */
const SIGN_IN_AGAIN_MS = 60_000;

/**
 * Duty officers of the region's actors (not the lead), each from its own address. Their
 * sockets go to `socketUrl`, or to the URL it gives for officer i. When a hub no longer
 * knows an officer's session (Redis lost its data), the officer signs in again where its
 * socket goes, as the app's sign-in page does on its own origin.
 */
export async function signInOfficers(
  signInUrl: string,
  socketUrl: string | ((index: number) => string),
  count: number,
  options: Omit<DutyOfficerOptions, 'url' | 'cookie' | 'userId' | 'localAddress' | 'signInAgain'>,
): Promise<SignedInOfficer[]> {
  const region = stockholmRegion();
  const actors = region.actors.filter((a) => a.id !== region.leadActorId).slice(0, count);
  const officers: SignedInOfficer[] = [];
  for (const [i, actor] of actors.entries()) {
    const login = `tib.${actor.id}`;
    const url = typeof socketUrl === 'string' ? socketUrl : socketUrl(i);
    const api = await signIn(signInUrl, login);
    const signInAgain = async (): Promise<string> => {
      const entry = officers[i];
      if (!entry) throw new Error(`${login} signed in again before its first sign-in finished`);
      entry.api = await retrying(() => signIn(url, login), SIGN_IN_AGAIN_MS, `sign in again as ${login}`);
      return entry.api.cookie;
    };
    const officer = await DutyOfficer.start({
      ...options,
      url,
      cookie: api.cookie,
      userId: login,
      // Distinct source addresses, so `hash $remote_addr` spreads them over the hubs.
      localAddress: `127.0.0.${10 + i}`,
      signInAgain,
    });
    officers.push({ api, officer });
  }
  await Promise.all(officers.map(({ officer }) => officer.client.connected(30_000)));
  return officers;
}

/** Calls `attempt` until it resolves (a hub still starting refuses the connection), or gives up after `timeoutMs`. */
export async function retrying<T>(attempt: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`could not ${what} within ${timeoutMs} ms: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await sleep(250);
    }
  }
}

/** Activates an incident for the officers to report on, retrying through faults. */
export async function activateIncident(lead: ApiClient, title = 'Storm Ylva'): Promise<string> {
  const command = activate({ title });
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await lead.command(command).catch(() => null);
    if (answer?.body.ok) return command.payload.incidentId;
    await sleep(200);
  }
  throw new Error('could not activate the incident');
}

/**
 * Every officer sends one command after another (waiting for each to be answered, as a
 * person at a form would) until `running()` turns false.
 */
export async function keepSending(
  officers: readonly { officer: DutyOfficer }[],
  next: () => Command,
  running: () => boolean,
  pauseMs = 20,
): Promise<void> {
  await Promise.all(
    officers.map(async ({ officer }) => {
      while (running()) {
        await officer.enqueue(next());
        await sleep(pauseMs);
      }
    }),
  );
}

/** The outcome of one run of a fault scenario. */
export type FaultReport = {
  scenario: string;
  /** What was done to the system, e.g. "7 hub SIGKILLs". */
  faults: string;
  durationMs: number;
  clients: number;
  counts: FaultCounts;
  /** The commands behind the counts, for failure messages. */
  culprits: FaultCulprits;
  /** Whether every hub and every client ended with the same state for each viewer. */
  hashesEqual: boolean;
  /** Which officer's state differed from which hub's view of it, when they differed. */
  stateMismatches: string[];
  /** The seed of the run's random fault draws; null for a scenario that draws none. */
  seed: number | null;
  /** Hubs that exited on their own (not killed by the scenario). */
  hubExits: number;
  notes: string[];
  /** What else the scenario checked, by name. */
  checks?: Record<string, string | number | boolean>;
  /**
   * The scenario's own guarantees that the run broke (beyond those every run keeps, which
   * `brokenGuarantees` reads from the counts): empty or absent when it kept them.
   */
  broken?: string[];
};

/**
 * Waits until every hub and every officer has folded the log's head, then counts. Each
 * officer's state must equal the state each hub shows that officer's session.
 */
export async function settleAndCount(
  cluster: Pick<Cluster, 'hubs'>,
  lead: ApiClient,
  officers: readonly SignedInOfficer[],
): Promise<{
  counts: FaultCounts;
  culprits: FaultCulprits;
  hashesEqual: boolean;
  stateMismatches: string[];
}> {
  await Promise.all(officers.map(({ officer }) => officer.settled(90_000)));
  const heads = async () =>
    Promise.all(cluster.hubs.map(async (hub) => (await onHub(lead, hub.url).state()).seq));
  await waitUntil(async () => new Set(await heads()).size === 1, 30_000, 'hubs reach the same head');
  const [head = 0] = await heads();
  const stateMismatches: string[] = [];
  for (const { api, officer } of officers) {
    await officer.client.waitForSeq(head, 30_000);
    for (const [i, hub] of cluster.hubs.entries()) {
      const view = await onHub(api, hub.url).stateHash();
      if (view.hash !== officer.client.hash || view.seq !== head) {
        stateMismatches.push(
          `${officer.userId} at seq ${officer.client.lastSeq} (${officer.client.hash.slice(0, 12)}) ` +
            `vs hub ${i + 1} at seq ${view.seq} (${view.hash.slice(0, 12)}), head ${head}`,
        );
      }
    }
  }
  const events = await allEvents(lead);
  const { counts, culprits } = countFaults({
    sent: officers.flatMap(({ officer }) => [...officer.sent.values()]),
    log: events,
    clients: officers.map(({ officer }) => officer.client.foldedPerCommand),
  });
  return { counts, culprits, hashesEqual: stateMismatches.length === 0, stateMismatches };
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(condition)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
