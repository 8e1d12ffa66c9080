import { logEntry } from '../../support/commands.js';
import { newHistogram, recordMs, summarise } from '../support/latency.js';
import { until, wallMs } from '../support/clock.js';
import type { EldMonitor } from '../support/eld-monitor.js';
import { ackOk } from './frames.js';
import type { Groups } from './groups.js';
import type { LoadResult, Params } from './protocol.js';

/** How often the open-loop scheduler wakes to send what is due. */
const TICK_MS = 2;

/**
 * Sends region-wide log entries at a fixed rate over the publisher sockets in turn and
 * times each durable ack. Open loop: command n is due at start + n/rate, and its latency
 * counts from then, so a hub that falls behind cannot hide it by slowing the generator.
 */
export async function runLoad(groups: Groups, params: Params<'load'>, eld: EldMonitor): Promise<LoadResult> {
  const publishers = groups.get(params.publisherGroup).filter((c) => c.isReady);
  if (publishers.length === 0) throw new Error(`no ready publisher in ${params.publisherGroup}`);
  const total = Math.max(1, Math.round((params.rate * params.durationMs) / 1000));
  const histogram = newHistogram();
  const errors = new Set<string>();
  let sent = 0;
  let ok = 0;
  let failed = 0;
  eld.reset();
  const start = wallMs() + TICK_MS;

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((wallMs() - start) * params.rate) / 1000) + 1);
      while (sent < due) {
        const scheduled = start + (sent * 1000) / params.rate;
        const publisher = publishers[sent % publishers.length];
        sent++;
        if (!publisher?.isReady) {
          failed++;
          errors.add('publisher not connected');
          continue;
        }
        groups.emitWithAck(
          publisher,
          'command.send',
          JSON.stringify(logEntry('Bench')),
          (frame, from, at) => {
            if (ackOk(frame, from)) {
              ok++;
              recordMs(histogram, at - scheduled);
            } else {
              failed++;
              if (errors.size < 5)
                errors.add(frame.toString('utf8', from, Math.min(frame.length, from + 200)));
            }
          },
        );
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const sendEnd = wallMs();
  await until(() => ok + failed >= sent, params.ackTimeoutMs);
  for (const p of publishers) groups.dropPendingAcks(p);
  const timedOut = sent - ok - failed;
  return {
    sent,
    ok,
    failed,
    timedOut,
    achievedRate: Math.round((ok / Math.max(1, sendEnd - start)) * 1000 * 10) / 10,
    latency: summarise(histogram),
    errors: [...errors],
    generatorEld: eld.summary(),
  };
}
