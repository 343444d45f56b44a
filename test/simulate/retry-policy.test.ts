import { describe, expect, it } from 'vitest';
import {
  attemptSchedule,
  attemptsDuringOutage,
  effectiveRetryPolicy,
  retryDelay,
  validateRetryPolicy,
} from '../../src/simulate/retry-policy.js';

const MINUTE = 60_000;

describe('effectiveRetryPolicy (TEMPORAL-FACTS.md §3)', () => {
  it('fills the server defaults: 1 s, x2, 100 x initial, unlimited attempts', () => {
    expect(effectiveRetryPolicy()).toEqual({
      initialIntervalMs: 1000,
      backoffCoefficient: 2,
      maximumIntervalMs: 100_000,
      maximumAttempts: 0,
      nonRetryableErrorTypes: [],
    });
  });

  it('derives the default maximum interval from a custom initial interval', () => {
    expect(effectiveRetryPolicy({ initialIntervalMs: 3000 }).maximumIntervalMs).toBe(300_000);
  });

  it('treats 0 and Infinity attempts as unlimited and keeps scheduleToClose', () => {
    expect(effectiveRetryPolicy({ maximumAttempts: Infinity }).maximumAttempts).toBe(0);
    expect(effectiveRetryPolicy({ maximumAttempts: 0, scheduleToCloseMs: 5000 })).toMatchObject({
      maximumAttempts: 0,
      scheduleToCloseMs: 5000,
    });
    expect(effectiveRetryPolicy({ maximumAttempts: 4 }).maximumAttempts).toBe(4);
  });
});

describe('validateRetryPolicy', () => {
  it('accepts the default and a typical policy', () => {
    expect(validateRetryPolicy({})).toEqual([]);
    expect(validateRetryPolicy({ initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60_000, maximumAttempts: 5 })).toEqual([]);
    expect(validateRetryPolicy({ maximumAttempts: Infinity })).toEqual([]);
  });

  it.each([
    [{ backoffCoefficient: 0 }, 'sdk', 'RetryPolicy.backoffCoefficient must be greater than 0'],
    [{ maximumAttempts: 0 }, 'sdk', 'RetryPolicy.maximumAttempts must be a positive integer'],
    [{ maximumAttempts: -2 }, 'sdk', 'RetryPolicy.maximumAttempts must be a positive integer'],
    [{ maximumAttempts: 2.5 }, 'sdk', 'RetryPolicy.maximumAttempts must be an integer'],
    [{ initialIntervalMs: 0 }, 'sdk', 'RetryPolicy.initialInterval cannot be 0'],
    [{ maximumIntervalMs: 0 }, 'sdk', 'RetryPolicy.maximumInterval cannot be 0'],
    [{ initialIntervalMs: 10_000, maximumIntervalMs: 5000 }, 'sdk', 'RetryPolicy.maximumInterval cannot be less than its initialInterval'],
    [{ maximumIntervalMs: 500 }, 'sdk', 'RetryPolicy.maximumInterval cannot be less than its initialInterval'],
    [{ backoffCoefficient: 0.5 }, 'server', 'BackoffCoefficient cannot be less than 1 on retry policy.'],
    [{ initialIntervalMs: -5 }, 'server', 'invalid InitialInterval set on retry policy: negative duration'],
    [{ nonRetryableErrorTypes: ['TemporalTimeout:StartToClosee'] }, 'server', 'Invalid timeout type value: StartToClosee.'],
  ] as const)('rejects %j the way the %s does', (policy, rejectedBy, message) => {
    const problems = validateRetryPolicy(policy);
    expect(problems[0]).toMatchObject({ rejectedBy, message });
    expect(problems[0]!.explanation).toContain('stuck');
  });

  it('lets the server skip its checks when only one attempt is allowed', () => {
    expect(validateRetryPolicy({ maximumAttempts: 1, backoffCoefficient: 0.5 })).toEqual([]);
    expect(validateRetryPolicy({ maximumAttempts: 2, backoffCoefficient: 0.5 })).toHaveLength(1);
  });

  it('accepts valid timeout types among the non-retryable error types', () => {
    expect(validateRetryPolicy({ nonRetryableErrorTypes: ['TemporalTimeout:StartToClose', 'TemporalTimeout:Heartbeat', 'PaymentDeclined'] })).toEqual([]);
  });
});

describe('retryDelay', () => {
  const policy = effectiveRetryPolicy();
  it('grows as initial x coefficient^(attemptsMade - 1) and caps at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => retryDelay(policy, n))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 100_000, 100_000, 100_000,
    ]);
  });

  it('caps at a custom maximum and never overflows', () => {
    const custom = effectiveRetryPolicy({ initialIntervalMs: 500, backoffCoefficient: 3, maximumIntervalMs: 10_000 });
    expect([1, 2, 3, 4, 5000].map((n) => retryDelay(custom, n))).toEqual([500, 1500, 4500, 10_000, 10_000]);
  });
});

describe('attemptSchedule', () => {
  it('starts attempts at 0, 1, 3, 7, 15, 31, 63, 127, 227 s, then every 100 s with the default policy', () => {
    const { starts, state } = attemptSchedule(effectiveRetryPolicy(), { untilMs: 527_000 });
    expect(starts.map((ms) => ms / 1000)).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 227, 327, 427, 527]);
    expect(state).toBe('IN_PROGRESS');
  });

  it('adds the attempt duration to every gap because the timer starts at the failure', () => {
    const { starts } = attemptSchedule(effectiveRetryPolicy(), { attemptDurationMs: 5000, untilMs: 40_000 });
    expect(starts.map((ms) => ms / 1000)).toEqual([0, 6, 13, 22, 35]);
  });

  it('makes one attempt and no retries when maximumAttempts is 1', () => {
    expect(attemptSchedule(effectiveRetryPolicy({ maximumAttempts: 1 }))).toEqual({ starts: [0], state: 'MAXIMUM_ATTEMPTS_REACHED' });
  });

  it('counts the first attempt in maximumAttempts', () => {
    expect(attemptSchedule(effectiveRetryPolicy({ maximumAttempts: 3 }))).toEqual({ starts: [0, 1000, 3000], state: 'MAXIMUM_ATTEMPTS_REACHED' });
  });

  it('stops with TIMEOUT when now + interval would pass scheduleToClose', () => {
    const { starts, state } = attemptSchedule(effectiveRetryPolicy({ scheduleToCloseMs: 300_000 }));
    expect(starts.map((ms) => ms / 1000)).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 227]);
    expect(state).toBe('TIMEOUT');
  });

  it('still retries when now + interval lands exactly on the deadline', () => {
    const { starts } = attemptSchedule(effectiveRetryPolicy(), { scheduleToCloseMs: 7000 });
    expect(starts).toEqual([0, 1000, 3000, 7000]);
  });

  it('refuses to list an unbounded schedule', () => {
    expect(() => attemptSchedule(effectiveRetryPolicy())).toThrow(RangeError);
  });
});

describe('attemptsDuringOutage', () => {
  it.each([
    [1, 7],
    [5, 10],
    [10, 13],
    [30, 25],
    [60, 43],
  ])('makes %i-minute outage cost %i attempts per activity with the default policy', (minutes, attempts) => {
    expect(attemptsDuringOutage(effectiveRetryPolicy(), minutes * MINUTE)).toMatchObject({ attempts, outcome: 'succeeded' });
  });

  it('gives up after 9 attempts with a 300 s scheduleToClose and a 10-minute outage', () => {
    expect(attemptsDuringOutage(effectiveRetryPolicy({ scheduleToCloseMs: 300_000 }), 10 * MINUTE)).toEqual({
      attempts: 9,
      outcome: 'TIMEOUT',
      lastAttemptStartMs: 227_000,
    });
  });

  it('gives up at the attempt cap', () => {
    expect(attemptsDuringOutage(effectiveRetryPolicy({ maximumAttempts: 5 }), 10 * MINUTE)).toEqual({
      attempts: 5,
      outcome: 'MAXIMUM_ATTEMPTS_REACHED',
      lastAttemptStartMs: 15_000,
    });
    expect(attemptsDuringOutage(effectiveRetryPolicy({ maximumAttempts: 1 }), 10 * MINUTE).attempts).toBe(1);
  });

  it('succeeds on the next attempt once the cap is above what the outage needs', () => {
    expect(attemptsDuringOutage(effectiveRetryPolicy({ maximumAttempts: 7 }), MINUTE)).toMatchObject({ attempts: 7, outcome: 'succeeded' });
    expect(attemptsDuringOutage(effectiveRetryPolicy({ maximumAttempts: 6 }), MINUTE)).toMatchObject({ attempts: 6, outcome: 'MAXIMUM_ATTEMPTS_REACHED' });
  });

  it('counts slow attempts against the same outage', () => {
    // starts 0, 6, 13, 22, 35, 56 (< 60 s), then 93: 7 attempts.
    expect(attemptsDuringOutage(effectiveRetryPolicy(), MINUTE, 5000)).toMatchObject({ attempts: 7, lastAttemptStartMs: 93_000 });
  });

  it('agrees with the explicit schedule over a day-long outage', () => {
    const policy = effectiveRetryPolicy({ initialIntervalMs: 200, backoffCoefficient: 1.5, maximumIntervalMs: 7000 });
    const outage = 24 * 60 * MINUTE;
    const { starts } = attemptSchedule(policy, { attemptDurationMs: 300, untilMs: outage + 10_000 });
    const expected = starts.filter((t) => t < outage).length + 1;
    expect(attemptsDuringOutage(policy, outage, 300).attempts).toBe(expected);
  });

  it('makes one attempt when there is no outage', () => {
    expect(attemptsDuringOutage(effectiveRetryPolicy(), 0)).toMatchObject({ attempts: 1, outcome: 'succeeded' });
  });
});
