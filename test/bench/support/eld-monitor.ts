import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EldSummary } from '../loadgen/protocol.js';

const RESOLUTION_MS = 10;

/**
 * The event-loop delay of this process over a stretch of work: the delay beyond the
 * sampling interval, in ms (see eld-preload.ts for server processes).
 */
export class EldMonitor {
  readonly #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor() {
    this.#histogram.enable();
  }

  /** Starts a new stretch. */
  reset(): void {
    this.#histogram.reset();
  }

  summary(): EldSummary {
    const h = this.#histogram;
    const delay = (ns: number) => Math.round(Math.max(0, ns / 1e6 - RESOLUTION_MS) * 100) / 100;
    if (h.count === 0) return { p50: 0, p99: 0, max: 0 };
    return { p50: delay(h.percentile(50)), p99: delay(h.percentile(99)), max: delay(h.max) };
  }
}
