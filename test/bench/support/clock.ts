/**
 * Milliseconds since the Unix epoch with sub-millisecond resolution. Every bench process
 * on this machine uses it, so a send time taken in one process and a receive time taken
 * in another can be subtracted.
 */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/** Resolves after `ms`; only for pacing load, never for waiting on a condition. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; resolves with
 * whether it held. Used where the condition lives in another process's counters.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await pause(everyMs);
  }
}
