// Retry arithmetic exactly as the Temporal server applies it to activities (TEMPORAL-FACTS.md §3):
// server defaults, the SDK's and the server's own rejections, the backoff interval, and the
// schedule of attempts of an activity that keeps failing. Pure functions, all durations in ms.

/** A retry policy as written in code, durations already converted to milliseconds. */
export interface RetryPolicyInput {
  initialIntervalMs?: number;
  backoffCoefficient?: number;
  maximumIntervalMs?: number;
  /** 0, undefined or Infinity = unlimited (the proto treats 0 as unlimited, the SDK drops Infinity). */
  maximumAttempts?: number;
  nonRetryableErrorTypes?: readonly string[];
  /** The activity's scheduleToCloseTimeout: bounds retrying in time. */
  scheduleToCloseMs?: number;
}

/** The policy the server actually runs, every field filled. */
export interface EffectiveRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** 0 = unlimited. */
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
  scheduleToCloseMs?: number;
}

// §3: no retry policy means initial 1 s, coefficient 2.0, maximum 100 x initial, unlimited attempts.
export const DEFAULT_INITIAL_INTERVAL_MS = 1000;
export const DEFAULT_BACKOFF_COEFFICIENT = 2;
export const DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT = 100;

/** Fills unset fields the way the server's EnsureDefaults does (0 counts as unset, like the proto). */
export function effectiveRetryPolicy(partial: RetryPolicyInput = {}): EffectiveRetryPolicy {
  const initialIntervalMs = partial.initialIntervalMs || DEFAULT_INITIAL_INTERVAL_MS;
  const policy: EffectiveRetryPolicy = {
    initialIntervalMs,
    backoffCoefficient: partial.backoffCoefficient || DEFAULT_BACKOFF_COEFFICIENT,
    maximumIntervalMs: partial.maximumIntervalMs || DEFAULT_MAXIMUM_INTERVAL_COEFFICIENT * initialIntervalMs,
    maximumAttempts: isUnlimited(partial.maximumAttempts) ? 0 : (partial.maximumAttempts as number),
    nonRetryableErrorTypes: [...(partial.nonRetryableErrorTypes ?? [])],
  };
  if (partial.scheduleToCloseMs !== undefined && partial.scheduleToCloseMs > 0) {
    policy.scheduleToCloseMs = partial.scheduleToCloseMs;
  }
  return policy;
}

function isUnlimited(attempts: number | undefined): boolean {
  return attempts === undefined || attempts === 0 || attempts === Number.POSITIVE_INFINITY;
}

export interface RetryPolicyProblem {
  field: 'initialInterval' | 'backoffCoefficient' | 'maximumInterval' | 'maximumAttempts' | 'nonRetryableErrorTypes';
  /** Who rejects it: the TypeScript SDK when the workflow schedules the activity, or the server. */
  rejectedBy: 'sdk' | 'server';
  /** The rejecting code's own message, verbatim. */
  message: string;
  /** What that means for a running workflow. */
  explanation: string;
}

const SDK_EXPLANATION =
  'the TypeScript SDK throws this ValueError when the workflow schedules the activity, so the workflow task fails and is retried forever: the workflow is stuck';
const SERVER_EXPLANATION =
  'the server rejects the ScheduleActivityTask command (BAD_SCHEDULE_ACTIVITY_ATTRIBUTES), so the workflow task fails and is retried forever: the workflow is stuck';

// Names the server's TimeoutTypeFromString accepts after "TemporalTimeout:" (§3).
const TIMEOUT_TYPES = new Set([
  'StartToClose', 'ScheduleToStart', 'ScheduleToClose', 'Heartbeat',
  'TIMEOUT_TYPE_START_TO_CLOSE', 'TIMEOUT_TYPE_SCHEDULE_TO_START', 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE', 'TIMEOUT_TYPE_HEARTBEAT',
]);
const TIMEOUT_PREFIX = 'TemporalTimeout:';

/**
 * Every rejection of this policy, in the order they would be hit: first the SDK's
 * (`compileRetryPolicy` in @temporalio/common 1.24), then the server's (`retrypolicy.Validate`).
 * Empty when the policy is accepted.
 */
export function validateRetryPolicy(p: RetryPolicyInput): RetryPolicyProblem[] {
  const sdk = sdkProblems(p);
  if (sdk.length > 0) return sdk;
  return serverProblems(p);
}

function sdkProblems(p: RetryPolicyInput): RetryPolicyProblem[] {
  const problems: RetryPolicyProblem[] = [];
  const add = (field: RetryPolicyProblem['field'], message: string): void => {
    problems.push({ field, rejectedBy: 'sdk', message, explanation: SDK_EXPLANATION });
  };
  if (p.backoffCoefficient != null && p.backoffCoefficient <= 0) {
    add('backoffCoefficient', 'RetryPolicy.backoffCoefficient must be greater than 0');
  }
  const attempts = p.maximumAttempts;
  if (attempts != null && attempts !== Number.POSITIVE_INFINITY) {
    if (attempts <= 0) add('maximumAttempts', 'RetryPolicy.maximumAttempts must be a positive integer');
    else if (!Number.isInteger(attempts)) add('maximumAttempts', 'RetryPolicy.maximumAttempts must be an integer');
  }
  const initial = p.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS;
  if (p.maximumIntervalMs === 0) add('maximumInterval', 'RetryPolicy.maximumInterval cannot be 0');
  if (initial === 0) add('initialInterval', 'RetryPolicy.initialInterval cannot be 0');
  if (p.maximumIntervalMs != null && p.maximumIntervalMs < initial) {
    add('maximumInterval', 'RetryPolicy.maximumInterval cannot be less than its initialInterval');
  }
  return problems;
}

function serverProblems(p: RetryPolicyInput): RetryPolicyProblem[] {
  // The server skips validation entirely when only one attempt is allowed.
  if (p.maximumAttempts === 1) return [];
  const problems: RetryPolicyProblem[] = [];
  const add = (field: RetryPolicyProblem['field'], message: string): void => {
    problems.push({ field, rejectedBy: 'server', message, explanation: SERVER_EXPLANATION });
  };
  const initial = p.initialIntervalMs ?? 0;
  const maximum = p.maximumIntervalMs ?? 0;
  // The server sees the policy before EnsureDefaults, so an unset coefficient arrives as 0 and
  // is filled in later; only an explicit value below 1 is rejected here.
  if (initial < 0) add('initialInterval', 'invalid InitialInterval set on retry policy: negative duration');
  if (p.backoffCoefficient != null && p.backoffCoefficient < 1) {
    add('backoffCoefficient', 'BackoffCoefficient cannot be less than 1 on retry policy.');
  }
  if (maximum < 0) add('maximumInterval', 'invalid MaximumInterval set on retry policy: negative duration');
  if (maximum > 0 && maximum < initial) {
    add('maximumInterval', 'MaximumInterval cannot be less than InitialInterval on retry policy.');
  }
  if ((p.maximumAttempts ?? 0) < 0) add('maximumAttempts', 'MaximumAttempts cannot be negative on retry policy.');
  for (const type of p.nonRetryableErrorTypes ?? []) {
    if (!type.startsWith(TIMEOUT_PREFIX)) continue;
    const value = type.slice(TIMEOUT_PREFIX.length);
    if (!TIMEOUT_TYPES.has(value)) add('nonRetryableErrorTypes', `Invalid timeout type value: ${value}.`);
  }
  return problems;
}

/**
 * The backoff before the next attempt after `attemptsMade` attempts have failed (§3):
 * initial x coefficient^(attemptsMade - 1), capped at the maximum interval.
 */
export function retryDelay(policy: EffectiveRetryPolicy, attemptsMade: number): number {
  const exponent = Math.max(attemptsMade, 1) - 1;
  const raw = policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, exponent);
  return Number.isFinite(raw) ? Math.min(raw, policy.maximumIntervalMs) : policy.maximumIntervalMs;
}

/** Why a failing activity stopped retrying: the server's RetryState names. */
export type RetryState = 'IN_PROGRESS' | 'MAXIMUM_ATTEMPTS_REACHED' | 'TIMEOUT';

export interface AttemptScheduleOptions {
  /** How long each failing attempt takes before its failure is recorded. Default 0. */
  attemptDurationMs?: number;
  /** List attempts that start at or before this time. Default: until retrying stops. */
  untilMs?: number;
  /** Overrides the policy's scheduleToCloseMs. */
  scheduleToCloseMs?: number;
}

export interface AttemptSchedule {
  /** Start time of each attempt, ms after the activity was scheduled. */
  starts: number[];
  /** IN_PROGRESS when the listing stopped at untilMs while the activity would still retry. */
  state: RetryState;
}

/**
 * Attempt start times of an activity that fails every attempt. The server starts the backoff
 * timer when a failure is recorded, so the gap between starts is attempt duration + backoff; it
 * stops at maximumAttempts, or (state TIMEOUT) when now + interval would pass
 * scheduled + scheduleToClose (§3).
 */
export function attemptSchedule(policy: EffectiveRetryPolicy, options: AttemptScheduleOptions = {}): AttemptSchedule {
  const duration = options.attemptDurationMs ?? 0;
  const until = options.untilMs ?? Number.POSITIVE_INFINITY;
  const deadline = options.scheduleToCloseMs ?? policy.scheduleToCloseMs ?? Number.POSITIVE_INFINITY;
  if (!Number.isFinite(until) && !Number.isFinite(deadline) && policy.maximumAttempts === 0) {
    throw new RangeError('attemptSchedule: an unlimited policy needs untilMs or scheduleToCloseMs');
  }
  const starts: number[] = [];
  let start = 0;
  for (;;) {
    if (start > until) return { starts, state: 'IN_PROGRESS' };
    starts.push(start);
    const next = nextAttemptStart(policy, starts.length, start, duration, deadline);
    if (typeof next === 'string') return { starts, state: next };
    start = next;
  }
}

/**
 * When the attempt after attempt number `attemptsMade` (which started at `start`) begins, or the
 * state that ends retrying. A failing attempt that runs into the deadline is cut off by the
 * ScheduleToClose timeout, which is never retried.
 */
export function nextAttemptStart(
  policy: EffectiveRetryPolicy,
  attemptsMade: number,
  start: number,
  attemptDurationMs: number,
  deadlineMs: number,
): number | Exclude<RetryState, 'IN_PROGRESS'> {
  if (policy.maximumAttempts > 0 && attemptsMade >= policy.maximumAttempts) return 'MAXIMUM_ATTEMPTS_REACHED';
  const failedAt = start + attemptDurationMs;
  if (failedAt >= deadlineMs) return 'TIMEOUT';
  const interval = retryDelay(policy, attemptsMade);
  if (failedAt + interval > deadlineMs) return 'TIMEOUT';
  return failedAt + interval;
}

export interface OutageAttempts {
  /** Attempts the activity makes, counting the one that succeeds after recovery. */
  attempts: number;
  /** succeeded after recovery, or gave up during the outage. */
  outcome: 'succeeded' | 'MAXIMUM_ATTEMPTS_REACHED' | 'TIMEOUT';
  /** When the last attempt started, ms after the activity was scheduled. */
  lastAttemptStartMs: number;
}

/**
 * Attempts one activity makes when its dependency is down for `outageMs` from the moment it is
 * scheduled. An attempt fails when it starts before the outage ends and succeeds otherwise.
 * Default policy, instant failures: 7 / 10 / 13 / 25 / 43 attempts for 1 / 5 / 10 / 30 / 60
 * minutes (§3).
 */
export function attemptsDuringOutage(policy: EffectiveRetryPolicy, outageMs: number, attemptDurationMs = 0): OutageAttempts {
  const deadline = policy.scheduleToCloseMs ?? Number.POSITIVE_INFINITY;
  let attempts = 1;
  let start = 0;
  while (start < outageMs) {
    // Once the interval is capped the gaps are constant: jump over the remaining failures.
    const capped = retryDelay(policy, attempts) >= policy.maximumIntervalMs;
    if (capped && policy.maximumAttempts === 0 && !Number.isFinite(deadline)) {
      const gap = attemptDurationMs + policy.maximumIntervalMs;
      const more = Math.ceil((outageMs - start) / gap) - 1;
      if (more > 0) {
        attempts += more;
        start += more * gap;
      }
    }
    const next = nextAttemptStart(policy, attempts, start, attemptDurationMs, deadline);
    if (typeof next === 'string') return { attempts, outcome: next, lastAttemptStartMs: start };
    start = next;
    attempts++;
  }
  return { attempts, outcome: 'succeeded', lastAttemptStartMs: start };
}

/** Shorter than a database failover or a dependency's restart: the retries end inside the outage. */
export const SHORT_RETRY_WINDOW_MS = 60_000;

/** Time from the first attempt's failure to the last attempt's start, when every attempt fails at once. */
export function retryWindowMs(initialMs: number, coefficient: number, maximumMs: number, attempts: number): number {
  let total = 0;
  let interval = initialMs;
  for (let retry = 1; retry < attempts; retry++) {
    total += Math.min(interval, maximumMs);
    interval *= coefficient;
  }
  return total;
}
