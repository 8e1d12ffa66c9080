import type { GeneratorWorker } from '../loadgen/worker-handle.js';
import { until } from '../support/clock.js';

/** Sockets of the generator under one name, each signed in with its session cookie. */
export type SocketGroup = { group: string; cookies: string[] };

/**
 * Connects each group's sockets to the hub in the generator process and waits until every
 * socket has caught up with the log; returns the group names. A socket that cannot
 * connect, or a group that has not caught up within 30 s, ends the run.
 */
export async function connectGroups(
  worker: GeneratorWorker,
  hubUrl: string,
  groups: readonly SocketGroup[],
): Promise<string[]> {
  for (const { group, cookies } of groups) {
    const connected = await worker.call('connect', {
      group,
      baseUrls: [hubUrl],
      cookies,
      mode: 'socketio',
      count: cookies.length,
      localAddresses: [],
      concurrency: 8,
      reconnect: false,
      timeoutMs: 30_000,
    });
    if (connected.failed > 0) throw new Error(`${group}: ${connected.errors.join('; ')}`);
  }
  const caughtUp = await until(
    async () => {
      const statuses = await Promise.all(
        groups.map((g) => worker.call('status', { group: g.group, atSeq: null })),
      );
      return statuses.every((s) => s.caughtUp === s.clients);
    },
    30_000,
    100,
  );
  if (!caughtUp) throw new Error('the clients did not catch up within 30 s');
  return groups.map((g) => g.group);
}
