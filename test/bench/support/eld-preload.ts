import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Imported into every server process a benchmark starts (`--import`), so the hub's own
 * code stays untouched: once a second it prints one line to stderr with the event-loop
 * delay of that second and the process's memory. The bench reads these lines.
 */
const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
// The histogram holds whole timer intervals (resolution + delay); we report the delay.
const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
const timer = setInterval(() => {
  const memory = process.memoryUsage();
  const line = {
    bench: 'eld',
    t: Date.now(),
    p50: delayMs(histogram.percentile(50)),
    p99: delayMs(histogram.percentile(99)),
    max: delayMs(histogram.max),
    rss: memory.rss,
    heap: memory.heapUsed,
  };
  histogram.reset();
  process.stderr.write(`${JSON.stringify(line)}\n`);
}, 1000);
timer.unref();
