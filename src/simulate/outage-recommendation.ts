// Picks the retry policy to recommend for an outage: one that keeps retrying until the deadline
// and notices recovery quickly, with the fewest attempts (Actions, TEMPORAL-FACTS.md §10) and then
// the lowest burst at recovery.

import { actionsCostUsd, formatUsd } from './actions-cost.js';
import { runScenario, type OutageLoad, type ScenarioRun } from './outage-cohorts.js';
import { effectiveRetryPolicy, type EffectiveRetryPolicy } from './retry-policy.js';
import { formatDuration } from '../engine/duration.js';

/**
 * The recommended policy notices a recovery within this fraction of the deadline: the largest
 * gap between attempts (attempt duration + maximum interval) stays below it, so an outage that
 * ends before the last tenth of the deadline never fails an activity.
 */
export const RECOVERY_NOTICE_FRACTION = 0.1;
const CANDIDATE_BACKOFFS = [2, 3, 4];
const CANDIDATE_MAX_INTERVAL_FRACTIONS = [RECOVERY_NOTICE_FRACTION, RECOVERY_NOTICE_FRACTION / 2];
const MINIMUM_ASSUMED_DEADLINE_MS = 600_000;

export interface RecommendationInput {
  given: EffectiveRetryPolicy;
  load: OutageLoad;
  deadlineMs?: number;
  givenAttempts: number;
}

export interface Recommendation {
  policy: EffectiveRetryPolicy;
  run: ScenarioRun;
  explanation: string;
}

export function recommendPolicy(input: RecommendationInput): Recommendation {
  const { given, load } = input;
  const stated = input.deadlineMs ?? given.scheduleToCloseMs;
  // Without a deadline there is nothing to meet; assume one that outlives the outage.
  const deadlineMs = stated ?? Math.max(2 * load.outageMs, MINIMUM_ASSUMED_DEADLINE_MS);
  const initialIntervalMs = given.initialIntervalMs;

  let best: { policy: EffectiveRetryPolicy; run: ScenarioRun } | undefined;
  for (const policy of candidates(initialIntervalMs, deadlineMs, load.attemptDurationMs, given.nonRetryableErrorTypes)) {
    const run = runScenario(policy, 'none', load);
    if (!best || better(run, best.run)) best = { policy, run };
  }
  const chosen = best!;
  return { ...chosen, explanation: explain(chosen, input, deadlineMs, stated === undefined) };
}

function candidates(initialIntervalMs: number, deadlineMs: number, attemptDurationMs: number, nonRetryable: string[]): EffectiveRetryPolicy[] {
  const policies: EffectiveRetryPolicy[] = [];
  const seen = new Set<string>();
  for (const fraction of CANDIDATE_MAX_INTERVAL_FRACTIONS) {
    // Whole seconds read better in code; never below the initial interval (the server rejects it).
    const room = deadlineMs * fraction - attemptDurationMs;
    const maximumIntervalMs = Math.max(initialIntervalMs, room >= 1000 ? Math.floor(room / 1000) * 1000 : room);
    for (const backoffCoefficient of CANDIDATE_BACKOFFS) {
      const key = `${maximumIntervalMs}:${backoffCoefficient}`;
      if (seen.has(key)) continue;
      seen.add(key);
      policies.push(
        effectiveRetryPolicy({
          initialIntervalMs,
          backoffCoefficient,
          maximumIntervalMs,
          scheduleToCloseMs: deadlineMs,
          nonRetryableErrorTypes: nonRetryable,
        }),
      );
    }
  }
  return policies;
}

function better(a: ScenarioRun, b: ScenarioRun): boolean {
  if (a.failed !== b.failed) return a.failed < b.failed;
  if (a.totalAttempts !== b.totalAttempts) return a.totalAttempts < b.totalAttempts;
  return a.recoveryPeakAttemptsPerSecond < b.recoveryPeakAttemptsPerSecond;
}

function explain(chosen: { policy: EffectiveRetryPolicy; run: ScenarioRun }, input: RecommendationInput, deadlineMs: number, assumed: boolean): string {
  const { policy, run } = chosen;
  const parts: string[] = [];
  parts.push(
    `initial interval ${formatDuration(policy.initialIntervalMs)}, backoff ${policy.backoffCoefficient}, ` +
      `maximum interval ${formatDuration(policy.maximumIntervalMs)} and scheduleToClose ${formatDuration(deadlineMs)}` +
      (assumed ? ` (no deadline was given; assumed ${formatDuration(deadlineMs)})` : '') +
      `: activities keep retrying until the deadline and notice recovery within ` +
      `${formatDuration(input.load.attemptDurationMs + policy.maximumIntervalMs)}`,
  );
  const saved = input.givenAttempts - run.totalAttempts;
  parts.push(
    saved > 0
      ? `${run.totalAttempts.toLocaleString('en-US')} attempts (${formatUsd(actionsCostUsd(run.totalAttempts))}) instead of ${input.givenAttempts.toLocaleString('en-US')} with the given policy`
      : `${run.totalAttempts.toLocaleString('en-US')} attempts (${formatUsd(actionsCostUsd(run.totalAttempts))}); the given policy makes ${input.givenAttempts.toLocaleString('en-US')}`,
  );
  const capacity = input.load.recoveryCapacityPerSecond;
  if (capacity !== undefined && run.recoveryPeakAttemptsPerSecond > capacity) {
    parts.push(
      `Temporal adds no jitter, so the activities that failed together retry together: ` +
        `${run.recoveryPeakAttemptsPerSecond.toLocaleString('en-US')} attempts/s at recovery against a capacity of ` +
        `${capacity.toLocaleString('en-US')}/s; spread them with ApplicationFailure nextRetryDelay or rate-limit the workers ` +
        `(maxTaskQueueActivitiesPerSecond)`,
    );
  }
  return `${parts.join('; ')}.`;
}
