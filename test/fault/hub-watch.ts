import { z } from 'zod';
import type { HubProcess } from '../support/hub-process.js';
import type { HeardStatus } from './duty-officer.js';

// What F4–F6 read from outside a hub: its readiness, its exit, the commands it says it
// handled, and the warnings it logged.

/** `/readyz` as a load balancer reads it: the status (0 when nothing answered) and the body. */
export async function readiness(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
  return res ? { status: res.status, text: await res.text() } : { status: 0, text: 'no answer' };
}

/** Resolves with how the hub's process ended (its code, or the signal that ended it). */
export function exitOf(hub: HubProcess): Promise<{ code: number | null; signal: string | null }> {
  const { child } = hub;
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A hub's log line for each command it answered (command-service.ts). */
const CommandLine = z.object({ msg: z.literal('command'), commandId: z.string(), ok: z.boolean() });

/** The ids of the commands a hub process answered with an ack, from its own log. */
export function ackedByHub(output: string): string[] {
  const ids: string[] = [];
  for (const entry of jsonLines(output)) {
    const line = CommandLine.safeParse(entry);
    if (line.success && line.data.ok) ids.push(line.data.commandId);
  }
  return ids;
}

/** A warning (pino level 40) about the hub's clock, as log-clock.ts writes it. */
const SkewWarning = z.object({ level: z.literal(40), clockSkewMs: z.number() });

/** The clock-skew warnings a hub logged, with the skew each one named. */
export function skewWarnings(output: string): number[] {
  return jsonLines(output).flatMap((entry) => {
    const line = SkewWarning.safeParse(entry);
    return line.success ? [line.data.clockSkewMs] : [];
  });
}

function jsonLines(output: string): unknown[] {
  const entries: unknown[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      // A line cut short by the process's end.
    }
  }
  return entries;
}

/** The first status at or after `since` whose picture is in `state`; null when none came. */
export function firstHeard(
  statuses: readonly HeardStatus[],
  since: number,
  state: 'lost' | 'stale' | 'live',
): HeardStatus | null {
  // Live means all well: a hub that can read its log but not store says `canStore: false`.
  const matches = (s: HeardStatus) =>
    (s.status.picture?.state ?? 'live') === state && (state !== 'live' || s.status.canStore);
  return statuses.find((s) => s.at >= since && matches(s)) ?? null;
}

/** The largest of some figures, or null when there are none or any is missing. */
export function slowest(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return Math.max(...(values as number[]));
}

/** Milliseconds as a person reads them in a note: "1.2 s", or "never" for null. */
export const seconds = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
