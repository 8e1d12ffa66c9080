import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import type { LatencySummary } from '../loadgen/protocol.js';

/** Ten minutes in µs: anything slower is recorded as this. */
const HIGHEST_US = 600_000_000;

/** An HdrHistogram of latencies in microseconds, 3 significant digits. */
export const newHistogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });

/** Records a latency given in milliseconds. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

const ms = (us: number) => Math.round(us) / 1000;

/** Percentiles in ms, plus the encoded histogram so that another process can merge it. */
export function summarise(histogram: Histogram): LatencySummary {
  const empty = histogram.totalCount === 0;
  return {
    count: histogram.totalCount,
    p50: empty ? 0 : ms(histogram.getValueAtPercentile(50)),
    p90: empty ? 0 : ms(histogram.getValueAtPercentile(90)),
    p99: empty ? 0 : ms(histogram.getValueAtPercentile(99)),
    max: empty ? 0 : ms(histogram.maxValue),
    histogram: encodeIntoCompressedBase64(histogram),
  };
}

/** One summary of several (e.g. the same scenario on several generator processes). */
export function mergeSummaries(summaries: readonly LatencySummary[]): LatencySummary {
  const merged = newHistogram();
  for (const summary of summaries) merged.add(decodeFromCompressedBase64(summary.histogram));
  return summarise(merged);
}

/** The median of some numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/** Nearest-rank percentile (0 for none): with 50 values, p99 is the largest. */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
