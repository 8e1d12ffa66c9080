import { until } from '../support/clock.js';
import { EldMonitor } from '../support/eld-monitor.js';
import { newHistogram, recordMs, summarise } from '../support/latency.js';
import { runLoad } from './command-load.js';
import { runFanout } from './fanout.js';
import { Groups } from './groups.js';
import { Request, methods, type Method, type Params, type Response, type Result } from './protocol.js';

/**
 * A load-generator process. The orchestrator starts it pinned to a core and drives it
 * over IPC; it holds the simulated clients and does the timing, so the orchestrator's
 * own work never lands inside a measurement.
 */
const groups = new Groups();
/** How often `watch` looks whether every client is back. */
const WATCH_POLL_MS = 100;
const eld = new EldMonitor();

const handlers: { [M in Method]: (params: Params<M>) => Promise<Result<M>> } = {
  connect: (params) => groups.connect(params),
  fanout: (params) => runFanout(groups, params, eld),
  load: (params) => runLoad(groups, params, eld),
  status: async (params) => groups.status(params.group, params.atSeq),
  close: async (params) => {
    groups.close(params.group);
    return {};
  },
  watch: async (params) => {
    const clients = groups.get(params.group);
    const isBack = (c: (typeof clients)[number]) => c.caughtUp && c.readyAt > params.sinceMs;
    // Each client stamps the moment it caught up, so a slow poll loses no precision and
    // leaves the generator's time to its clients.
    await until(() => clients.every(isBack), params.timeoutMs, WATCH_POLL_MS);
    const backAt = clients
      .filter(isBack)
      .map((c) => c.caughtUpAt)
      .sort((x, y) => x - y);
    const atCount = (n: number) => (n > 0 && backAt.length >= n ? (backAt[n - 1] ?? null) : null);
    const attemptToCaughtUp = newHistogram();
    const backOnAttempt: number[] = [];
    const backPerSecond: number[] = [];
    for (const c of clients) {
      if (!isBack(c)) continue;
      recordMs(attemptToCaughtUp, c.caughtUpAt - c.openedAt);
      backOnAttempt[c.failedAttempts] = (backOnAttempt[c.failedAttempts] ?? 0) + 1;
      const second = Math.max(0, Math.floor((c.caughtUpAt - params.sinceMs) / 1000));
      backPerSecond[second] = (backPerSecond[second] ?? 0) + 1;
    }
    return {
      clients: clients.length,
      at99: atCount(Math.ceil(clients.length * 0.99)),
      at100: atCount(clients.length),
      back: backAt.length,
      attemptToCaughtUp: summarise(attemptToCaughtUp),
      backOnAttempt: Array.from(backOnAttempt, (n) => n ?? 0),
      backPerSecond: Array.from(backPerSecond, (n) => n ?? 0),
      generatorEld: eld.summary(),
    };
  },
};

async function handle(message: unknown): Promise<Response> {
  const request = Request.safeParse(message);
  if (!request.success) return { id: -1, ok: false, error: `bad request: ${request.error.message}` };
  const { id, method } = request.data;
  try {
    const params = methods[method].params.parse(request.data.params);
    const handler = handlers[method] as (p: typeof params) => Promise<unknown>;
    return { id, ok: true, result: await handler(params) };
  } catch (error) {
    return { id, ok: false, error: (error as Error).stack ?? String(error) };
  }
}

process.on('message', (message) => {
  void handle(message).then((response) => process.send?.(response));
});
// The orchestrator going away (even by SIGKILL) closes the channel: stop with it.
process.on('disconnect', () => process.exit(0));
// An orderly exit, so that `--cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));
process.send?.({ id: 0, ok: true, result: 'ready' });
