// Jitter strategies from Brooker, "Exponential Backoff And Jitter" (TEMPORAL-FACTS.md §11).
// Temporal itself adds no jitter to activity retries (§3); these model what-ifs, e.g. a
// retry delay the activity picks itself through ApplicationFailure.nextRetryDelay.
// Each takes a uniform variate u in [0, 1) so callers choose how to draw it (seeded, stratified).

export const JITTERS = ['none', 'full', 'equal', 'decorrelated'] as const;
export type Jitter = (typeof JITTERS)[number];

/** Full jitter: uniform(0, interval). */
export function fullJitter(intervalMs: number, u: number): number {
  return u * intervalMs;
}

/** Equal jitter: half the interval, plus uniform(0, half). */
export function equalJitter(intervalMs: number, u: number): number {
  return intervalMs / 2 + u * (intervalMs / 2);
}

/**
 * Decorrelated jitter: min(cap, uniform(base, previous x 3)). It ignores the exponential schedule
 * and grows from the previous sleep instead; the first previous sleep is the base.
 */
export function decorrelatedJitter(previousMs: number, baseMs: number, capMs: number, u: number): number {
  return Math.min(capMs, baseMs + u * (previousMs * 3 - baseMs));
}
