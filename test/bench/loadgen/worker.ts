import { until, wallMs } from '../support/clock.js';
import { EldMonitor } from '../support/eld-monitor.js';
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
    let at99: number | null = null;
    let at100: number | null = null;
    let back = 0;
    const need99 = Math.ceil(clients.length * 0.99);
    await until(
      () => {
        back = clients.reduce((n, c) => n + (isBack(c) ? 1 : 0), 0);
        if (at99 === null && back >= need99) at99 = wallMs();
        if (at100 === null && back >= clients.length) at100 = wallMs();
        return at100 !== null;
      },
      params.timeoutMs,
      5,
    );
    return { clients: clients.length, at99, at100, back };
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
process.send?.({ id: 0, ok: true, result: 'ready' });
