// A seeded discrete-event simulation of an M/M/c FCFS queue, to check the Erlang C formulas
// against something that does not share their algebra.

import { seededRandom } from '../../src/simulate/seeded-random.js';

export interface SimulatedWaits {
  probabilityOfWaiting: number;
  /** The p-th percentile (0-100) of the waits, read from a fine histogram, in seconds. */
  percentile(p: number): number;
}

export interface SimulationOptions {
  slots: number;
  ratePerSecond: number;
  meanServiceSeconds: number;
  tasks: number;
  seed: number;
  /** Waits above this land in the last histogram bin; pick a few times the expected p99. */
  histogramMaxSeconds: number;
}

const BINS = 200_000;

export function simulateMmc(options: SimulationOptions): SimulatedWaits {
  const random = seededRandom(options.seed);
  const meanGap = 1 / options.ratePerSecond;
  const meanService = options.meanServiceSeconds;
  // Min-heap of the times each slot becomes free; FCFS means each task takes the earliest one.
  const free = new Float64Array(options.slots);
  const n = free.length;
  const warmup = Math.floor(options.tasks / 20);
  const histogram = new Uint32Array(BINS + 1);
  const binsPerSecond = BINS / options.histogramMaxSeconds;
  let now = 0;
  let waited = 0;
  let measured = 0;
  for (let i = 0; i < options.tasks; i++) {
    now -= Math.log(1 - random()) * meanGap;
    const start = free[0]! > now ? free[0]! : now;
    if (i >= warmup) {
      measured++;
      const wait = start - now;
      if (wait > 0) {
        waited++;
        histogram[Math.min(BINS, Math.floor(wait * binsPerSecond) + 1)]!++;
      } else histogram[0]!++;
    }
    // Replace the root and sift it down.
    const value = start - Math.log(1 - random()) * meanService;
    let j = 0;
    for (;;) {
      const left = 2 * j + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && free[right]! < free[left]! ? right : left;
      if (free[child]! >= value) break;
      free[j] = free[child]!;
      j = child;
    }
    free[j] = value;
  }
  return {
    probabilityOfWaiting: waited / measured,
    percentile(p: number): number {
      const rank = Math.ceil((p / 100) * measured);
      let seen = 0;
      for (let bin = 0; bin <= BINS; bin++) {
        seen += histogram[bin]!;
        if (seen >= rank) return bin === 0 ? 0 : (bin - 0.5) / binsPerSecond;
      }
      return options.histogramMaxSeconds;
    },
  };
}
