// How much longer than the retry policy says the real gap between two failing attempts was: the
// failure travels to the server, the retry timer fires, the task is dispatched to a poller. The
// model's "attempt duration" (TEMPORAL-FACTS.md §3: gap = attempt duration + backoff) has to
// include it to predict attempt counts, so the drill measures it and tells the simulation.

import type { InjectedFailure } from '../fault-injector.js';
import { effectiveRetryPolicy, retryDelay, type RetryPolicyInput } from '../../simulate/retry-policy.js';

export interface AttemptOverhead {
  /** Mean extra milliseconds per retry, over every pair of consecutive failed attempts seen. */
  meanMs: number;
  /** Pairs of consecutive attempts measured. */
  samples: number;
}

export function measureAttemptOverhead(failures: InjectedFailure[], policyOf: (activityType: string) => RetryPolicyInput | undefined, attemptDurationMs: number): AttemptOverhead {
  const byActivity = new Map<string, InjectedFailure[]>();
  for (const failure of failures) {
    const key = `${failure.workflowId}\u0000${failure.activityId}`;
    byActivity.set(key, [...(byActivity.get(key) ?? []), failure]);
  }
  let total = 0;
  let samples = 0;
  for (const attempts of byActivity.values()) {
    const policyInput = policyOf(attempts[0]!.activityType);
    if (!policyInput) continue;
    const policy = effectiveRetryPolicy(policyInput);
    attempts.sort((a, b) => a.attempt - b.attempt);
    for (let i = 1; i < attempts.length; i++) {
      const previous = attempts[i - 1]!;
      const current = attempts[i]!;
      if (current.attempt !== previous.attempt + 1) continue;
      total += current.attemptScheduledMs - previous.attemptScheduledMs - attemptDurationMs - retryDelay(policy, previous.attempt);
      samples += 1;
    }
  }
  return { meanMs: samples ? Math.max(0, Math.round(total / samples)) : 0, samples };
}
