// A dependency outage under load, played three ways: with the team's retry policy, with the
// server default a missing policy gets (TEMPORAL-FACTS.md §3), and with a recommended policy that
// keeps retrying until the deadline with the fewest attempts. Attempts are Actions (§10).

import { actionsCostUsd } from './actions-cost.js';
import { type Jitter } from './jitter.js';
import { runScenario, type OutageLoad, type ScenarioRun } from './outage-cohorts.js';
import { recommendPolicy } from './outage-recommendation.js';
import { outageCostSentence } from './outage-cost-sentence.js';
import { effectiveRetryPolicy, validateRetryPolicy, type EffectiveRetryPolicy, type RetryPolicyInput } from './retry-policy.js';

export interface OutageInput {
  /** The policy under review, durations in ms; scheduleToCloseMs is the activity's timeout. */
  policy?: RetryPolicyInput;
  /** How long a failing attempt takes (a fast refusal, or a startToClose timeout). Default 0. */
  attemptDurationMs?: number;
  workflowsInFlight: number;
  /** New activities per second while the dependency is down. Default 0. */
  ratePerSecond?: number;
  outageMs: number;
  /** Attempts per second the dependency serves once back; unlimited by default. */
  recoveryCapacityPerSecond?: number;
  /** How long to simulate from the start of the outage. Default: outage + max(outage, 1 h). */
  horizonMs?: number;
  /** A what-if for the given policy; Temporal itself never jitters (§3). Default 'none'. */
  jitter?: Jitter;
  seed?: number;
  /** The error type the outage raises; the outage is non-retryable when the policy lists it. */
  failureType?: string;
  /** The business deadline for the recommendation; default the policy's scheduleToClose. */
  deadlineMs?: number;
}

export type ScenarioName = 'given' | 'server-default' | 'recommended';

export interface OutageScenario {
  name: ScenarioName;
  policy: EffectiveRetryPolicy;
  jitter: Jitter;
  totalAttempts: number;
  /** Every attempt is one Action (§10). */
  actions: number;
  costUsd: number;
  peakAttemptsPerSecond: number;
  recoveryPeakAttemptsPerSecond: number;
  completed: number;
  failed: number;
  pending: number;
  drainSeconds: number | null;
  /** [seconds from the outage start, mean attempts per second over the step]. */
  series: [number, number][];
  explanation?: string;
}

export interface OutageSimulation {
  outageMs: number;
  horizonMs: number;
  workflowsInFlight: number;
  ratePerSecond: number;
  /** The given policy in one sentence: attempts per activity, Actions and their cost. */
  summary: string;
  scenarios: OutageScenario[];
}

const DEFAULT_SEED = 1;
const MAX_SERIES_POINTS = 240;
const MAX_HORIZON_MS = 30 * 86_400_000;

export function simulateOutage(input: OutageInput): OutageSimulation {
  const problems = validateRetryPolicy(input.policy ?? {});
  if (problems.length > 0) throw new RangeError(`${problems[0]!.message} (${problems[0]!.explanation})`);
  const given = effectiveRetryPolicy(input.policy ?? {});
  const load = outageLoad(input, given);
  const serverDefault = effectiveRetryPolicy({ scheduleToCloseMs: given.scheduleToCloseMs });
  const nonRetryableFor = (policy: EffectiveRetryPolicy): OutageLoad => ({
    ...load,
    nonRetryable: input.failureType !== undefined && policy.nonRetryableErrorTypes.includes(input.failureType),
  });

  const jitter = input.jitter ?? 'none';
  const scenarios: OutageScenario[] = [
    scenario('given', given, jitter, runScenario(given, jitter, nonRetryableFor(given)), load),
    scenario('server-default', serverDefault, 'none', runScenario(serverDefault, 'none', nonRetryableFor(serverDefault)), load),
  ];
  const recommendation = recommendPolicy({
    given,
    load: nonRetryableFor(given),
    deadlineMs: input.deadlineMs,
    givenAttempts: scenarios[0]!.totalAttempts,
  });
  scenarios.push({
    ...scenario('recommended', recommendation.policy, 'none', recommendation.run, load),
    explanation: recommendation.explanation,
  });

  return {
    outageMs: load.outageMs,
    horizonMs: load.horizonMs,
    workflowsInFlight: load.workflowsInFlight,
    ratePerSecond: load.ratePerSecond,
    summary: outageCostSentence({
      policy: given,
      outageMs: load.outageMs,
      workflowsInFlight: load.workflowsInFlight,
      attemptDurationMs: load.attemptDurationMs,
    }),
    scenarios,
  };
}

function outageLoad(input: OutageInput, given: EffectiveRetryPolicy): OutageLoad {
  const require = (ok: boolean, message: string): void => {
    if (!ok) throw new RangeError(message);
  };
  const outageMs = input.outageMs;
  require(Number.isFinite(outageMs) && outageMs >= 0, 'the outage must be a duration of 0 or more');
  require(Number.isInteger(input.workflowsInFlight) && input.workflowsInFlight >= 0, 'workflows in flight must be a whole number of 0 or more');
  const ratePerSecond = input.ratePerSecond ?? 0;
  require(Number.isFinite(ratePerSecond) && ratePerSecond >= 0, 'the rate must be 0 or more per second');
  const attemptDurationMs = input.attemptDurationMs ?? 0;
  require(Number.isFinite(attemptDurationMs) && attemptDurationMs >= 0, 'the attempt duration must be 0 or more');
  const capacity = input.recoveryCapacityPerSecond;
  require(capacity === undefined || capacity > 0, 'the recovery capacity must be more than 0 per second');
  const horizonMs = input.horizonMs ?? outageMs + Math.max(outageMs, 3_600_000);
  require(horizonMs >= outageMs, 'the horizon must be at least as long as the outage');
  require(horizonMs <= MAX_HORIZON_MS, 'the horizon must be 30 days or less');
  require(input.deadlineMs === undefined || input.deadlineMs > 0, 'the deadline must be more than 0');
  require(given.initialIntervalMs > 0, 'the initial interval must be more than 0');
  return {
    attemptDurationMs,
    workflowsInFlight: input.workflowsInFlight,
    ratePerSecond,
    outageMs,
    recoveryCapacityPerSecond: capacity,
    horizonMs,
    seed: input.seed ?? DEFAULT_SEED,
    nonRetryable: false,
  };
}

function scenario(name: ScenarioName, policy: EffectiveRetryPolicy, jitter: Jitter, run: ScenarioRun, load: OutageLoad): OutageScenario {
  return {
    name,
    policy,
    jitter,
    totalAttempts: run.totalAttempts,
    actions: run.totalAttempts,
    costUsd: actionsCostUsd(run.totalAttempts),
    peakAttemptsPerSecond: run.peakAttemptsPerSecond,
    recoveryPeakAttemptsPerSecond: run.recoveryPeakAttemptsPerSecond,
    completed: run.completed,
    failed: run.failed,
    pending: run.pending,
    drainSeconds: run.drainSeconds,
    series: downsample(run.attemptsBySecond, load.horizonMs),
  };
}

/** At most MAX_SERIES_POINTS steps of whole seconds, each the mean rate over its step. */
function downsample(bySecond: Float64Array, horizonMs: number): [number, number][] {
  const seconds = Math.min(bySecond.length, Math.floor(horizonMs / 1000) + 1);
  const step = Math.max(1, Math.ceil(seconds / MAX_SERIES_POINTS));
  const series: [number, number][] = [];
  for (let start = 0; start < seconds; start += step) {
    let sum = 0;
    const end = Math.min(seconds, start + step);
    for (let s = start; s < end; s++) sum += bySecond[s]!;
    series.push([start, Math.round((sum / (end - start)) * 1000) / 1000]);
  }
  return series;
}
