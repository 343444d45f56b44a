// The effective-policy sentences: numbers from src/simulate (TEMPORAL-FACTS.md sections 3 and 10).

import { describe, expect, it } from 'vitest';
import { describeRetryPolicy, listNames, localRetryThresholdMs, outageCost } from '../../../src/engine/activity-policy/describe-policy.js';
import { attemptsDuringOutage, effectiveRetryPolicy } from '../../../src/simulate/retry-policy.js';

const settings = { outageMs: 30 * 60_000, workflowsInFlight: 10_000 };

describe('describe-policy', () => {
  it('spells out the default policy', () => {
    expect(describeRetryPolicy(effectiveRetryPolicy())).toBe('initial interval 1s, backoff 2, maximum interval 1m 40s, unlimited attempts, no scheduleToCloseTimeout');
    expect(describeRetryPolicy(effectiveRetryPolicy({ maximumAttempts: 1, scheduleToCloseMs: 60_000 }))).toBe(
      'initial interval 1s, backoff 2, maximum interval 1m 40s, at most 1 attempt, stopped by scheduleToCloseTimeout after 1m',
    );
  });

  it('prices a remote outage in Actions and dollars', () => {
    expect(outageCost(effectiveRetryPolicy(), 'remote', settings)).toBe(
      'an outage of 30 minutes makes 25 attempts per activity; at 10,000 workflows in flight that is 250,000 Actions (about $12.50)',
    );
  });

  it('counts a local outage in dependency calls and workflow timers past localRetryThreshold', () => {
    // Default policy: backoffs 1, 2, 4, 8, 16, 32 s stay in the worker; 64 s and the 100 s ones pass 1 minute.
    expect(outageCost(effectiveRetryPolicy(), 'local', settings)).toBe(
      'an outage of 30 minutes makes 25 attempts per activity, 18 retries of them after a workflow timer because the backoff passes localRetryThreshold (1m); at 10,000 workflows in flight that is 250,000 calls to the failing dependency',
    );
    expect(outageCost(effectiveRetryPolicy({ maximumIntervalMs: 30_000 }), 'local', settings)).not.toContain('workflow timer');
  });

  it('respects a localRetryThreshold written on the proxy', () => {
    // Backoffs 1, 2, 4, 8 s stay under 10 s; the 20 retries after them wait on timers.
    const threshold = localRetryThresholdMs({ state: 'set', ms: 10_000 });
    expect(outageCost(effectiveRetryPolicy(), 'local', settings, threshold)).toContain('20 retries of them after a workflow timer because the backoff passes localRetryThreshold (10s)');
    expect(localRetryThresholdMs({ state: 'absent' })).toBe(60_000);
  });

  it('lists names compactly', () => {
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});

describe('numbers quoted in docs/checks', () => {
  it('activity-retry-backoff-default: a 30-minute outage at coefficient 1 is 1,801 attempts against 25 at 2', () => {
    const dense = effectiveRetryPolicy({ initialIntervalMs: 1000, backoffCoefficient: 1, maximumIntervalMs: 60_000 });
    expect(attemptsDuringOutage(dense, settings.outageMs).attempts).toBe(1801);
    expect(attemptsDuringOutage(effectiveRetryPolicy(), settings.outageMs).attempts).toBe(25);
  });
});
