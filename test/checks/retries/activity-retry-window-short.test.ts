// activity-retry-window-short: a bounded retry policy whose attempts all fall within the first
// minute gives up inside a routine outage; reported when the workflow does not catch the failure.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import activityRetryWindowShort, { retryWindowMs } from '../../../src/checks/retries/activity-retry-window-short.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';
import { fixturesDir } from '../helpers/review-fixture.js';

describe('activity-retry-window-short', () => {
  it('computes the time to the last attempt with the server arithmetic (TEMPORAL-FACTS §3)', () => {
    // Default 1s, x2: attempts start at 0, 1, 3, 7 s.
    expect(retryWindowMs(1000, 2, 100_000, 3)).toBe(3000);
    expect(retryWindowMs(1000, 2, 100_000, 4)).toBe(7000);
    // Capped by maximumInterval: 5 + 10 + 20 + 40 + 60 x 5 = 375 s.
    expect(retryWindowMs(5000, 2, 60_000, 10)).toBe(375_000);
  });

  it('reports the uncaught short policy of a long-lived workflow, and only that one', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-window-short').run(activityRetryWindowShort);
    // Not reported: loadBot (about six minutes of retries), notify (caught), chargeOnce (a comment
    // explains it), saveReport (line 42: a one-off run that its schedule starts again).
    expect(where(findings)).toEqual(['activity-retry-window-short warning src/workflows.ts:5']);
    expect(findings[0]!.message).toContain('throttle is long-lived and holds what its signals brought (it sets handlers and continues as new or loops without end)');
    expect(findings[0]!.message).toContain('allows 3 attempts (retries after waits of 1s and 2s)');
    expect(findings[0]!.message).toContain('every attempt has failed 3s after the first');
    expect(findings[0]!.data?.['retryWindowMs']).toBe(3000);
  });
});

describe('activity-retry-window-short where the workflow gives up', () => {
  it('reports a short policy whose failures a workflow catches, keeps as data and completes on', { timeout: 120_000 }, () => {
    const findings = fixtureReview('workflow-failure-returned').run(activityRetryWindowShort);
    expect(where(findings)).toEqual(['activity-retry-window-short warning src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('every attempt has failed 3s after the first');
    expect(findings[0]!.message).toContain('Workflows removeTenant and setupTenant catch that failure, keep it as data (and run compensation) and then complete normally');
    expect(findings[0]!.data).toMatchObject({ givesUpIn: ['removeTenant', 'setupTenant'], compensates: true });
  });
});

describe('activity-retry-window-short on Python', () => {
  it('is TypeScript only for now: the uncaught RetryPolicy(maximum_attempts=3) call is not reported', { timeout: 120_000 }, async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-retry-disabled'), config: undefined });
    expect(result.findings.filter((f) => f.checkId === 'activity-retry-window-short')).toEqual([]);
  });
});
