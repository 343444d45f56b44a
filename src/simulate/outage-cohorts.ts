// The retry storm of one retry policy through a dependency outage, simulated by cohorts: groups of
// activities that were scheduled together and retry together (TEMPORAL-FACTS.md §3: no jitter, so
// activities that fail together retry together). One event moves a whole cohort, which is why a
// million workflows through an hour-long outage costs a few hundred events, not forty million.

import { decorrelatedJitter, equalJitter, fullJitter, type Jitter } from './jitter.js';
import { nextAttemptStart, retryDelay, type EffectiveRetryPolicy } from './retry-policy.js';
import { seededRandom } from './seeded-random.js';

export interface OutageLoad {
  attemptDurationMs: number;
  /** Activities already scheduled when the outage starts (one per workflow in flight). */
  workflowsInFlight: number;
  /** New activities scheduled per second while the dependency is down. */
  ratePerSecond: number;
  outageMs: number;
  /** Attempts per second the dependency serves after recovery; the rest fail and retry. */
  recoveryCapacityPerSecond?: number;
  horizonMs: number;
  seed: number;
  /** The outage's failures are non-retryable (their type is in nonRetryableErrorTypes). */
  nonRetryable: boolean;
}

export interface ScenarioRun {
  totalAttempts: number;
  peakAttemptsPerSecond: number;
  /** The highest attempts per second from the moment the dependency recovers. */
  recoveryPeakAttemptsPerSecond: number;
  completed: number;
  failed: number;
  /** Still retrying at the horizon. */
  pending: number;
  /** From recovery until the last activity completed or failed; null if some are still pending. */
  drainSeconds: number | null;
  /** Attempts started in each whole second from the start of the outage. */
  attemptsBySecond: Float64Array;
}

interface Cohort {
  count: number;
  /** When its activities were scheduled (only kept when scheduleToClose makes it matter). */
  birth: number;
  attemptsMade: number;
  /** The previous sleep, for decorrelated jitter. */
  previousSleep: number;
}

// Splitting a jittered cohort into this many strata keeps the spread smooth and the count small.
const JITTER_STRATA = 8;

export function runScenario(policy: EffectiveRetryPolicy, jitter: Jitter, load: OutageLoad): ScenarioRun {
  const seconds = Math.ceil(load.horizonMs / 1000) + 1;
  const attemptsBySecond = new Float64Array(seconds);
  const servedBySecond = new Float64Array(seconds);
  const capacity = load.recoveryCapacityPerSecond ?? Number.POSITIVE_INFINITY;
  const stc = policy.scheduleToCloseMs ?? Number.POSITIVE_INFINITY;
  const random = seededRandom(load.seed);
  const agenda = new Agenda(Number.isFinite(stc), equivalentLevel(policy, jitter));
  const run = { totalAttempts: 0, completed: 0, failed: 0, lastFinish: 0 };

  // Only decorrelated jitter remembers the previous sleep; it starts at the base.
  const firstSleep = jitter === 'decorrelated' ? policy.initialIntervalMs : 0;
  agenda.add(0, { count: load.workflowsInFlight, birth: 0, attemptsMade: 0, previousSleep: firstSleep });
  scheduleArrivals(agenda, load, firstSleep);

  const finish = (count: number, at: number, ok: boolean): void => {
    if (ok) run.completed += count;
    else run.failed += count;
    if (at > run.lastFinish) run.lastFinish = at;
  };

  for (let time = agenda.nextTime(); time !== undefined && time <= load.horizonMs; time = agenda.nextTime()) {
    const second = Math.floor(time / 1000);
    for (const cohort of agenda.take(time)) {
      attemptsBySecond[second]! += cohort.count;
      run.totalAttempts += cohort.count;
      const failedAt = time + load.attemptDurationMs;
      let failing = cohort.count;
      if (time >= load.outageMs) {
        const served = Math.min(failing, Math.max(0, capacity - servedBySecond[second]!));
        servedBySecond[second]! += served;
        if (served > 0) finish(served, failedAt, true);
        failing -= served;
      } else if (load.nonRetryable) {
        finish(failing, failedAt, false);
        failing = 0;
      }
      if (failing > 0) retry({ ...cohort, count: failing }, time);
    }
  }

  function retry(cohort: Cohort, start: number): void {
    const attemptsMade = cohort.attemptsMade + 1;
    const deadline = cohort.birth + stc;
    const failedAt = start + load.attemptDurationMs;
    if (jitter === 'none') {
      const next = nextAttemptStart(policy, attemptsMade, start, load.attemptDurationMs, deadline);
      if (typeof next === 'string') finish(cohort.count, Math.min(failedAt, deadline), false);
      else agenda.add(next, { ...cohort, attemptsMade });
      return;
    }
    if ((policy.maximumAttempts > 0 && attemptsMade >= policy.maximumAttempts) || failedAt >= deadline) {
      finish(cohort.count, Math.min(failedAt, deadline), false);
      return;
    }
    const interval = retryDelay(policy, attemptsMade);
    const strata = Math.min(JITTER_STRATA, cohort.count);
    for (let j = 0; j < strata; j++) {
      const count = Math.floor(cohort.count / strata) + (j < cohort.count % strata ? 1 : 0);
      const u = (j + random()) / strata;
      const sleep =
        jitter === 'full' ? fullJitter(interval, u)
        : jitter === 'equal' ? equalJitter(interval, u)
        : decorrelatedJitter(cohort.previousSleep, policy.initialIntervalMs, policy.maximumIntervalMs, u);
      if (failedAt + sleep > deadline) {
        finish(count, failedAt, false);
        continue;
      }
      const spread =
        jitter === 'full' ? interval
        : jitter === 'equal' ? interval / 2
        : Math.min(policy.maximumIntervalMs, cohort.previousSleep * 3) - policy.initialIntervalMs;
      const next = Math.min(deadline, quantize(failedAt + sleep, spread));
      const previousSleep = jitter === 'decorrelated' ? roundGeometric(sleep) : 0;
      agenda.add(next, { count, birth: cohort.birth, attemptsMade, previousSleep });
    }
  }

  const pending = agenda.remaining();
  const drainSeconds = pending > 0 ? null : Math.max(0, run.lastFinish - load.outageMs) / 1000;
  const recoveryFrom = Math.floor(load.outageMs / 1000);
  return {
    totalAttempts: run.totalAttempts,
    peakAttemptsPerSecond: maxOf(attemptsBySecond, 0),
    recoveryPeakAttemptsPerSecond: maxOf(attemptsBySecond, recoveryFrom),
    completed: run.completed,
    failed: run.failed,
    pending,
    drainSeconds,
    attemptsBySecond,
  };
}

/** New activities during the outage: one cohort a second, spreading a fractional rate evenly. */
function scheduleArrivals(agenda: Agenda, load: OutageLoad, firstSleep: number): void {
  if (!(load.ratePerSecond > 0)) return;
  // Second s stands for the arrivals in [s, s + 1); those of second 0 join the cohort in flight.
  for (let s = 0; s < Math.floor(load.outageMs / 1000); s++) {
    const count = Math.floor(load.ratePerSecond * (s + 1)) - Math.floor(load.ratePerSecond * s);
    if (count > 0) agenda.add(s * 1000, { count, birth: s * 1000, attemptsMade: 0, previousSleep: firstSleep });
  }
}

/**
 * Jittered start times are rounded to a grid of about 1/8 of the jitter's spread (a power of two
 * of milliseconds, at most 1 s) so that cohorts landing together merge again instead of
 * splitting without end. Rounding to the nearest point keeps the mean delay.
 */
function quantize(time: number, spreadMs: number): number {
  const grid = Math.min(1024, 2 ** Math.max(0, Math.floor(Math.log2(Math.max(1, spreadMs / 8)))));
  return Math.round(time / grid) * grid;
}

/** Decorrelated jitter only needs the previous sleep roughly: SLEEP_STEPS steps per doubling. */
const SLEEP_STEPS = 2;
function roundGeometric(ms: number): number {
  return 2 ** (sleepIndex(ms) / SLEEP_STEPS);
}
function sleepIndex(ms: number): number {
  return ms <= 1 ? 0 : Math.round(Math.log2(ms) * SLEEP_STEPS);
}

/**
 * The attempt count from which activities behave alike and may share a cohort: with unlimited
 * attempts, every count past the one where the interval reaches its cap (and, for decorrelated
 * jitter, which ignores the count, every count at all). Merging them keeps jittered runs small.
 */
function equivalentLevel(policy: EffectiveRetryPolicy, jitter: Jitter): number {
  if (policy.maximumAttempts > 0) return Number.POSITIVE_INFINITY;
  if (jitter === 'decorrelated') return 0;
  let level = 1;
  while (retryDelay(policy, level) < policy.maximumIntervalMs && level < 10_000) level++;
  return level;
}

function maxOf(values: Float64Array, from: number): number {
  let max = 0;
  for (let i = from; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

/** Cohorts waiting for their next attempt, by start time; identical cohorts at one time merge. */
class Agenda {
  private readonly byTime = new Map<number, Map<number, Cohort>>();
  private readonly times: number[] = [];

  constructor(
    private readonly keepBirth: boolean,
    private readonly equivalentLevel: number,
  ) {}

  add(time: number, added: Cohort): void {
    const birth = this.keepBirth ? added.birth : 0;
    const attemptsMade = Math.min(added.attemptsMade, this.equivalentLevel);
    let bucket = this.byTime.get(time);
    if (!bucket) {
      bucket = new Map();
      this.byTime.set(time, bucket);
      this.pushTime(time);
    }
    // Births fall on whole seconds, levels stay below 2^20, sleep indexes below 2^7: one exact number.
    const key = (Math.round(birth / 1000) * 2 ** 20 + Math.min(attemptsMade, 2 ** 20 - 1)) * 2 ** 7 + sleepIndex(added.previousSleep);
    const existing = bucket.get(key);
    if (existing) existing.count += added.count;
    else bucket.set(key, { count: added.count, birth, attemptsMade, previousSleep: added.previousSleep });
  }

  nextTime(): number | undefined {
    return this.times[0];
  }

  take(time: number): Cohort[] {
    const bucket = this.byTime.get(time);
    this.byTime.delete(time);
    this.popTime();
    return bucket ? [...bucket.values()] : [];
  }

  remaining(): number {
    let total = 0;
    for (const bucket of this.byTime.values()) for (const cohort of bucket.values()) total += cohort.count;
    return total;
  }

  private pushTime(time: number): void {
    const heap = this.times;
    let i = heap.push(time) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= time) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = time;
  }

  private popTime(): void {
    const heap = this.times;
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
