import { describe, expect, it } from 'vitest';
import { simulateOutage, type OutageScenario } from '../../src/simulate/outage.js';
import { attemptsDuringOutage, effectiveRetryPolicy } from '../../src/simulate/retry-policy.js';

const MINUTE = 60_000;
const byName = (scenarios: OutageScenario[], name: string): OutageScenario => scenarios.find((s) => s.name === name)!;

describe('simulateOutage: one activity, default policy (TEMPORAL-FACTS.md §3)', () => {
  it.each([
    [1, 7],
    [5, 10],
    [10, 13],
    [30, 25],
    [60, 43],
  ])('makes a %i-minute outage cost %i attempts', (minutes, attempts) => {
    const result = simulateOutage({ workflowsInFlight: 1, outageMs: minutes * MINUTE });
    const given = byName(result.scenarios, 'given');
    expect(given).toMatchObject({ totalAttempts: attempts, actions: attempts, completed: 1, failed: 0, pending: 0 });
    expect(byName(result.scenarios, 'server-default').totalAttempts).toBe(attempts);
  });

  it('fails after 9 attempts with a 300 s scheduleToClose and a 10-minute outage', () => {
    const result = simulateOutage({ workflowsInFlight: 1, outageMs: 10 * MINUTE, policy: { scheduleToCloseMs: 300_000 } });
    expect(byName(result.scenarios, 'given')).toMatchObject({ totalAttempts: 9, completed: 0, failed: 1, pending: 0, drainSeconds: 0 });
  });

  it('makes one attempt per activity when maximumAttempts is 1', () => {
    const result = simulateOutage({ workflowsInFlight: 10, outageMs: 10 * MINUTE, policy: { maximumAttempts: 1 } });
    expect(byName(result.scenarios, 'given')).toMatchObject({ totalAttempts: 10, failed: 10, completed: 0 });
  });

  it('stops at once when the outage raises a non-retryable error type', () => {
    const result = simulateOutage({
      workflowsInFlight: 100,
      outageMs: 10 * MINUTE,
      policy: { nonRetryableErrorTypes: ['ConnectionRefused'] },
      failureType: 'ConnectionRefused',
    });
    expect(byName(result.scenarios, 'given')).toMatchObject({ totalAttempts: 100, failed: 100 });
    // The server default lists no non-retryable types, so it keeps retrying.
    expect(byName(result.scenarios, 'server-default')).toMatchObject({ totalAttempts: 1300, completed: 100 });
  });
});

describe('simulateOutage under load', () => {
  it('multiplies attempts by the workflows in flight and prices them as Actions (§10)', () => {
    const result = simulateOutage({ workflowsInFlight: 10_000, outageMs: 30 * MINUTE });
    expect(byName(result.scenarios, 'given')).toMatchObject({ totalAttempts: 250_000, costUsd: 12.5, completed: 10_000 });
    expect(result.summary).toBe(
      'an outage of 30 minutes makes 25 attempts per activity; at 10,000 workflows in flight that is 250,000 Actions (about $12.50)',
    );
  });

  it('fires every retry of a synchronized cohort in the same second', () => {
    const given = byName(simulateOutage({ workflowsInFlight: 10_000, outageMs: 2 * MINUTE, horizonMs: 3 * MINUTE }).scenarios, 'given');
    expect(given.peakAttemptsPerSecond).toBe(10_000);
    expect(given.recoveryPeakAttemptsPerSecond).toBe(10_000);
    // Attempts at 0, 1, 3, 7 s: the series starts with the bursts.
    expect(given.series.slice(0, 8)).toEqual([[0, 10_000], [1, 10_000], [2, 0], [3, 10_000], [4, 0], [5, 0], [6, 0], [7, 10_000]]);
  });

  it('adds the activities started during the outage', () => {
    const result = simulateOutage({ workflowsInFlight: 0, ratePerSecond: 2, outageMs: MINUTE });
    const given = byName(result.scenarios, 'given');
    expect(given.completed).toBe(120);
    expect(given.failed).toBe(0);
  });

  it('agrees with the per-activity arithmetic for every arrival, scheduleToClose included', () => {
    const policy = { scheduleToCloseMs: 300_000, initialIntervalMs: 2000, backoffCoefficient: 1.5 };
    const result = simulateOutage({ workflowsInFlight: 3, ratePerSecond: 1, outageMs: 10 * MINUTE, attemptDurationMs: 700, policy });
    let attempts = 0;
    let failed = 0;
    // 3 in flight plus the arrival at second 0, then one arrival a second; each sees the rest of the outage.
    for (let s = 0; s < 600; s++) {
      const one = attemptsDuringOutage(effectiveRetryPolicy(policy), (600 - s) * 1000, 700);
      const count = s === 0 ? 4 : 1;
      attempts += one.attempts * count;
      if (one.outcome !== 'succeeded') failed += count;
    }
    expect(byName(result.scenarios, 'given')).toMatchObject({ totalAttempts: attempts, failed, completed: 603 - failed });
  });

  it('retries attempts above the recovery capacity and takes longer to drain', () => {
    const unlimited = byName(simulateOutage({ workflowsInFlight: 10_000, outageMs: 5 * MINUTE }).scenarios, 'given');
    const limited = byName(
      simulateOutage({ workflowsInFlight: 10_000, outageMs: 5 * MINUTE, recoveryCapacityPerSecond: 1000 }).scenarios,
      'given',
    );
    expect(unlimited.drainSeconds).toBe(27); // the first attempt after recovery starts at 327 s
    // 1,000 succeed per retry round, every 100 s once the interval is capped.
    expect(limited.completed).toBe(10_000);
    expect(limited.drainSeconds).toBe(927);
    expect(limited.totalAttempts).toBe(9 * 10_000 + 10_000 + 9000 + 8000 + 7000 + 6000 + 5000 + 4000 + 3000 + 2000 + 1000);
  });

  it('reports activities still retrying at the horizon', () => {
    const given = byName(
      simulateOutage({ workflowsInFlight: 5, outageMs: 30 * MINUTE, horizonMs: 30 * MINUTE }).scenarios,
      'given',
    );
    expect(given).toMatchObject({ completed: 0, failed: 0, pending: 5, drainSeconds: null });
  });

  it('spreads jittered retries and gives the same answer for the same seed', () => {
    const input = { workflowsInFlight: 10_000, outageMs: 10 * MINUTE, jitter: 'full' as const, seed: 3 };
    const a = byName(simulateOutage(input).scenarios, 'given');
    const b = byName(simulateOutage(input).scenarios, 'given');
    expect(a).toEqual(b);
    expect(a.jitter).toBe('full');
    // Early retries with sub-second intervals land in the same second as the first attempts.
    expect(a.peakAttemptsPerSecond).toBeGreaterThan(10_000);
    expect(a.recoveryPeakAttemptsPerSecond).toBeLessThan(2500);
    expect(a.completed).toBe(10_000);
    // Full jitter halves the mean interval, so it makes more attempts than no jitter in the same outage.
    expect(a.totalAttempts).toBeGreaterThan(130_000);
    expect(byName(simulateOutage(input).scenarios, 'server-default').jitter).toBe('none');
  });
});

describe('the recommended scenario', () => {
  it('keeps retrying until scheduleToClose with fewer attempts than the given policy', () => {
    const result = simulateOutage({ workflowsInFlight: 1000, outageMs: 30 * MINUTE, policy: { scheduleToCloseMs: 60 * MINUTE } });
    const given = byName(result.scenarios, 'given');
    const recommended = byName(result.scenarios, 'recommended');
    expect(given.completed).toBe(1000);
    expect(recommended.completed).toBe(1000);
    expect(recommended.totalAttempts).toBeLessThan(given.totalAttempts);
    expect(recommended.policy.scheduleToCloseMs).toBe(60 * MINUTE);
    expect(recommended.policy.maximumIntervalMs).toBeLessThanOrEqual(6 * MINUTE);
    expect(recommended.explanation).toContain('scheduleToClose 1h');
  });

  it('assumes a deadline when none is given and says so', () => {
    const recommended = byName(simulateOutage({ workflowsInFlight: 1, outageMs: 10 * MINUTE }).scenarios, 'recommended');
    expect(recommended.policy.scheduleToCloseMs).toBe(20 * MINUTE);
    expect(recommended.explanation).toContain('no deadline was given; assumed 20m');
  });

  it('points at the recovery burst when it exceeds the capacity', () => {
    const recommended = byName(
      simulateOutage({ workflowsInFlight: 10_000, outageMs: 10 * MINUTE, recoveryCapacityPerSecond: 500, deadlineMs: 60 * MINUTE }).scenarios,
      'recommended',
    );
    expect(recommended.explanation).toContain('Temporal adds no jitter');
  });
});

describe('simulateOutage input checks', () => {
  it('rejects a policy the SDK or server would reject, with their message', () => {
    expect(() => simulateOutage({ workflowsInFlight: 1, outageMs: MINUTE, policy: { backoffCoefficient: 0.5 } })).toThrow(
      'BackoffCoefficient cannot be less than 1 on retry policy.',
    );
  });

  it('rejects a horizon shorter than the outage', () => {
    expect(() => simulateOutage({ workflowsInFlight: 1, outageMs: MINUTE, horizonMs: 1000 })).toThrow('horizon');
  });
});
