import { stockholmRegion } from '@lagesbild/shared/test-factories';
import { signIn } from '../../support/api-client.js';
import { startRedis, type RedisServer } from '../../support/redis-server.js';
import { findPid } from '../support/processes.js';
import type { ScenarioReport } from '../support/report.js';

/** Settings every scenario gets from run.ts. */
export type BenchContext = {
  /** The 2-minute smoke version: fewer clients, rounds and seconds. */
  quick: boolean;
  /** Demo accounts the simulated clients are spread over, e.g. `tib.nacka`. */
  accounts: string[];
  /** Core for hubs and baseline servers. */
  serverCore: number;
  /** Core for the load generator, Redis and the orchestrator. */
  generatorCore: number;
  progress: (message: string) => void;
  /**
   * Whether the scenario has used up its share of the run's time. Scenarios check it
   * between levels, steps and repetitions and skip the rest (saying so in their notes), so
   * a busy machine makes a run less complete rather than endless.
   */
  overBudget?: () => boolean;
  /** Seconds left of the scenario's budget (Infinity when it has none). */
  secondsLeft?: () => number;
};

/** Whether the scenario should stop starting new work (see `BenchContext.overBudget`). */
export const overBudget = (context: BenchContext): boolean => context.overBudget?.() ?? false;

/** Seconds left of the scenario's budget. */
export const secondsLeft = (context: BenchContext): number =>
  context.secondsLeft?.() ?? Number.POSITIVE_INFINITY;

/** A scenario of `npm run bench`. */
export type Scenario = {
  id: string;
  title: string;
  /** Seconds this scenario may take, for `--quick` and for the full run (default 2 and 5 min). */
  budgetSeconds?: { quick: number; full: number };
  run: (context: BenchContext) => Promise<ScenarioReport>;
};

/** Duty officers of the region's actors (`tib.<actorId>`), the first `count` of them. */
export function demoAccounts(count: number): string[] {
  return stockholmRegion()
    .actors.slice(0, Math.max(1, count))
    .map((actor) => `tib.${actor.id}`);
}

/** The account that may activate incidents. */
export const LEAD_ACCOUNT = `tib.${stockholmRegion().leadActorId}`;

/**
 * Signs every account in once, on one hub, and returns the session cookies. With Redis the
 * sessions are shared, so the same cookies work on every hub of the cluster.
 */
export async function signInAll(baseUrl: string, usernames: readonly string[]): Promise<string[]> {
  const cookies: string[] = [];
  for (const username of usernames) cookies.push((await signIn(baseUrl, username)).cookie);
  return cookies;
}

/**
 * Source addresses for generator process `worker`: four of 127.0.0.0/8 each, distinct per
 * process. Every address has its own ~28k ephemeral ports, so no process runs out.
 */
export const sourceAddresses = (worker: number): string[] =>
  [0, 1, 2, 3].map((k) => `127.0.0.${10 + worker * 4 + k}`);

/** A private Redis for one scenario (never the system one on 6379). */
export const benchRedis = (appendfsync: 'always' | 'everysec' = 'always'): Promise<RedisServer> =>
  startRedis({ appendfsync });

/** Runs `body` and then `cleanup`, keeping body's error if both fail. */
export async function withCleanup<T>(body: () => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  try {
    return await body();
  } finally {
    await cleanup().catch(() => undefined);
  }
}

/** The pid of our redis-server on `port` (it renames itself to `redis-server 127.0.0.1:port`). */
export const redisPid = (port: number): number =>
  findPid((c) => c.includes('redis-server') && (c.includes(`:${port}`) || c.includes(`--port ${port} `))) ??
  -1;
