// Summary statistics for sizes and latencies: nearest-rank percentiles, so every reported value
// is one that was actually observed and the output is deterministic.

import type { SizeStats } from './types.js';

/** Nearest-rank percentile of ascending-sorted values (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export function sizeStats(values: readonly number[]): SizeStats {
  const sorted = sortedCopy(values);
  let total = 0;
  for (const value of sorted) total += value;
  return {
    mean: sorted.length ? Math.round(total / sorted.length) : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}
