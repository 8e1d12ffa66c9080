import { randomInt } from 'node:crypto';

/**
 * The seed CI runs the battery's random fault draws with: a failure there replays exactly
 * (as far as timing allows) with `FAULT_SEED` set to it.
 */
export const CI_FAULT_SEED = 20_260_120;

const MAX_SEED = 2 ** 31 - 1;

/**
 * The seed for a run's random fault draws (which hub dies, which connection stalls):
 * `FAULT_SEED` when set, to replay a failure; the fixed CI seed when `CI` is set, so CI is
 * repeatable; a fresh one otherwise, so local runs explore other draws. Every failure
 * message prints it.
 */
export function faultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FAULT_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new Error(`FAULT_SEED must be a whole number from 0 to ${MAX_SEED}, not "${given}"`);
    }
    return seed;
  }
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return CI_FAULT_SEED;
  return randomInt(MAX_SEED);
}

/** The seed as a failure message gives it, with how to draw the same faults again. */
export const seedLabel = (seed: number): string => `seed ${seed} (FAULT_SEED=${seed} replays its draws)`;

/**
 * Runs a scenario so that anything it throws (a hub that would not start, officers that
 * never settled) says which scenario and seed it was.
 */
export async function naming<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${what}: ${message}`, { cause: error });
  }
}
