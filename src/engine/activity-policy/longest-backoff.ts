// The longest wait between two attempts that a retry policy can produce before maximumInterval
// caps it (TEMPORAL-FACTS.md section 3): the wait after attempt n is initial x coefficient^(n-1),
// and the last wait comes after attempt maximumAttempts - 1. It decides whether a cap, default
// or written, can ever apply.

import type { RetryFields } from './read-options.js';
import { DEFAULT_BACKOFF_COEFFICIENT } from '../../simulate/retry-policy.js';

export type LongestBackoff =
  /** One attempt only: the policy never waits. */
  | { kind: 'no-retry' }
  /** The largest uncapped wait, in ms. */
  | { kind: 'bounded'; ms: number }
  /** Unlimited attempts, or a field we cannot read: the wait grows until the cap. */
  | { kind: 'unbounded' };

/** The largest wait `retry` produces without a cap, from initialIntervalMs (written or default). */
export function longestUncappedBackoff(retry: RetryFields, initialIntervalMs: number): LongestBackoff {
  const attempts = retry.maximumAttempts;
  // 0 and unset mean unlimited; a non-integer or negative count is activity-retry-policy-invalid's.
  if (attempts.state !== 'set' || !Number.isInteger(attempts.value) || attempts.value <= 0) return { kind: 'unbounded' };
  if (attempts.value === 1) return { kind: 'no-retry' };
  const coefficient = retry.backoffCoefficient;
  let factor: number;
  if (coefficient.state === 'absent') factor = DEFAULT_BACKOFF_COEFFICIENT;
  // 0 counts as unset on the server, like the proto default.
  else if (coefficient.state === 'set') factor = coefficient.value === 0 ? DEFAULT_BACKOFF_COEFFICIENT : coefficient.value;
  else return { kind: 'unbounded' };
  if (factor < 1) return { kind: 'unbounded' };
  const ms = initialIntervalMs * Math.pow(factor, attempts.value - 2);
  return Number.isFinite(ms) ? { kind: 'bounded', ms } : { kind: 'unbounded' };
}
