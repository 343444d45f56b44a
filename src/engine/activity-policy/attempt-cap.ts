// How long one attempt of an activity can run, and whether it is retried at all, as the server
// applies a proxy's options: what a crash mid-attempt costs when nothing heartbeats.

import type { ProxyReview } from './proxy-review.js';

/**
 * The longest one attempt can run: the effective startToClose, or scheduleToClose when that is
 * shorter or startToClose cannot be read (an attempt never outlives the whole activity).
 * Undefined when neither is known.
 */
export function attemptCapMs(review: ProxyReview): number | undefined {
  const known = [review.timeouts.startToClose, review.timeouts.scheduleToClose].filter((timeout) => timeout.known).map((timeout) => (timeout as { ms: number }).ms);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/** The longest attempt among `reviews`, when every one of them is capped; undefined otherwise. */
export function longestAttemptCapMs(reviews: ProxyReview[]): number | undefined {
  if (reviews.length === 0) return undefined;
  const caps = reviews.map(attemptCapMs);
  return caps.every((cap): cap is number => cap !== undefined && Number.isFinite(cap)) ? Math.max(...caps) : undefined;
}

/** True when the effective retry policy of every review allows a single attempt (maximumAttempts 1). */
export function neverRetried(reviews: ProxyReview[]): boolean {
  return reviews.length > 0 && reviews.every((review) => review.retry.known && review.retry.policy.maximumAttempts === 1);
}
