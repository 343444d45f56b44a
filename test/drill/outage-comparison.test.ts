// The pure parts of the outage drill: the simulation of exactly the starts a drill made, the
// measured extra delay per retry, and the fault injector's window.

import { describe, expect, it } from 'vitest';
import { faultInjectorInterceptor, installDependencyFaults, matchesDependency, PreflightInjectedOutage, type FaultPlan, type InjectedFailure } from '../../src/drill/fault-injector.js';
import { measureAttemptOverhead } from '../../src/drill/outage/attempt-overhead.js';
import { simulateDrillOutage } from '../../src/drill/outage/outage-comparison.js';

const policy = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 2_000 };

describe('simulateDrillOutage', () => {
  it('models each activity as in flight at the start of what was left of the window', () => {
    // at the window start: attempts at 0, .1, .3, .7, 1.5, 3.1, 5.1, 7.1, 9.1 s fail, 11.1 s succeeds = 10
    // 5 s into the window: 0, .1, .3, .7, 1.5, 3.1 s fail, 5.1 s succeeds = 7
    // before the window: its only attempt ran while the dependency was up = 1
    const totals = simulateDrillOutage({
      activities: [
        { scheduledAtMs: 1_000, retryPolicy: policy },
        { scheduledAtMs: 6_000, retryPolicy: policy },
        { scheduledAtMs: 500, retryPolicy: policy },
      ],
      windowStartMs: 1_000,
      windowEndMs: 11_000,
      attemptDurationMs: 0,
    });
    expect(totals.map((t) => [t.name, t.totalAttempts, t.completed, t.failed])).toEqual([
      ['given', 18, 3, 0],
      // server default (1 s, x2, 100 s): 0, 1, 3, 7 fail, 15 succeeds = 5; 0, 1, 3 fail, 7 = 4; 1
      ['server-default', 10, 3, 0],
    ]);
  });

  it('stops at maximumAttempts like the server', () => {
    const totals = simulateDrillOutage({
      activities: [{ scheduledAtMs: 0, retryPolicy: { ...policy, maximumAttempts: 3 } }],
      windowStartMs: 0,
      windowEndMs: 10_000,
      attemptDurationMs: 0,
    });
    expect(totals[0]).toMatchObject({ name: 'given', totalAttempts: 3, completed: 0, failed: 1 });
  });
});

describe('measureAttemptOverhead', () => {
  it('averages the gap between consecutive attempts beyond the backoff', () => {
    const failure = (attempt: number, attemptScheduledMs: number, activityId = '1'): InjectedFailure => ({
      workflowId: 'wf',
      activityId,
      activityType: 'chargeCard',
      attempt,
      attemptScheduledMs,
    });
    // gaps 180 (backoff 100) and 1,170 (backoff 200): 80 and 970 late; attempt 5 without 4 is not a pair
    const overhead = measureAttemptOverhead([failure(2, 180), failure(1, 0), failure(3, 1_350), failure(5, 9_000)], () => policy, 0);
    expect(overhead).toEqual({ meanMs: 525, samples: 2 });
  });
});

describe('fault injector', () => {
  const plan: FaultPlan = { activityTypes: ['chargeCard'], dependencies: ['payments.internal', 'http://127.0.0.1:9/inventory'], windowStartMs: 1_000, windowEndMs: 2_000 };
  const context = (activityType: string) => ({
    info: { activityType, activityId: '1', attempt: 2, currentAttemptScheduledTimestampMs: 1_500, workflowExecution: { workflowId: 'wf' } },
  });

  it('fails the named activity type inside the window only, and records the attempt', async () => {
    const injected: InjectedFailure[] = [];
    let now = 1_500;
    const interceptor = faultInjectorInterceptor(plan, (f) => injected.push(f), () => now);
    const next = async () => 'charged';
    await expect(interceptor(context('chargeCard')).inbound.execute({ args: [] }, next)).rejects.toThrow(PreflightInjectedOutage);
    expect(await interceptor(context('sendReceipt')).inbound.execute({ args: [] }, next)).toBe('charged');
    now = 2_000;
    expect(await interceptor(context('chargeCard')).inbound.execute({ args: [] }, next)).toBe('charged');
    expect(injected).toEqual([{ workflowId: 'wf', activityId: '1', activityType: 'chargeCard', attempt: 2, attemptScheduledMs: 1_500 }]);
  });

  it('matches dependencies by host or URL prefix', () => {
    expect(matchesDependency(plan, 'https://payments.internal:8443/charges')).toBe('payments.internal');
    expect(matchesDependency(plan, 'http://127.0.0.1:9/inventory/reservations')).toBe('http://127.0.0.1:9/inventory');
    expect(matchesDependency(plan, 'http://127.0.0.1:9/payment/charges')).toBeUndefined();
  });

  it('fails fetch calls to a dependency during the window', async () => {
    const calls: string[] = [];
    const target = { fetch: (async (url: string) => (calls.push(url), new Response('ok'))) as unknown as typeof fetch };
    let now = 1_200;
    installDependencyFaults(plan, target, () => now);
    await expect(target.fetch('https://payments.internal/charges')).rejects.toThrow('preflight outage drill: payments.internal is down (fetch https://payments.internal/charges)');
    await target.fetch('https://other.internal/x');
    now = 5_000;
    await target.fetch('https://payments.internal/charges');
    expect(calls).toEqual(['https://other.internal/x', 'https://payments.internal/charges']);
  });
});
