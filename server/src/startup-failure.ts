import { statfs } from 'node:fs/promises';
import { DiskFullError, SeedingError, StartupError, isDiskFull } from './hub/open-log.js';

/**
 * Whether the file system holding `dir` has no space left for this process: none at all
 * for root, which may write into the blocks reserved for it, none outside them for others.
 */
export async function noSpaceLeft(dir: string): Promise<boolean> {
  try {
    const stats = await statfs(dir);
    return (process.getuid?.() === 0 ? stats.bfree : stats.bavail) === 0;
  } catch {
    return false;
  }
}

/**
 * What an operator reads when the hub cannot start: one line for a full disk, the reason
 * for a refused configuration, the stack otherwise. A full disk is named when a write said
 * so (ENOSPC, whichever write found it first), or when seeding the demo accounts failed,
 * which reports a full disk only as a refused command, and the file system says it is
 * full. Any other failure (a bad region file, say) is shown as itself, full disk or not.
 */
export async function startupFailure(
  error: unknown,
  config: { redis: object | null; dataDir: string },
  isFull: (dir: string) => Promise<boolean> = noSpaceLeft,
): Promise<string> {
  const embedded = !config.redis;
  if (embedded && (isDiskFull(error) || (error instanceof SeedingError && (await isFull(config.dataDir))))) {
    return `Lägesbild could not start: ${new DiskFullError(config.dataDir).message}`;
  }
  const message = error instanceof StartupError ? error.message : (error as Error).stack;
  return `\nLägesbild could not start:\n${message}\n`;
}
