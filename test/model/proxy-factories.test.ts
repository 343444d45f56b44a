// Proxies made by factory functions (`const proxyFor = (q) => proxyActivities<T>({ taskQueue: q })`):
// modelled once each, used for exactly what the factory's callers take from them.
import { beforeAll, describe, expect, test } from 'vitest';
import retryPolicyMissing from '../../src/checks/retries/activity-retry-policy-missing.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('proxy-factories');
});

describe('proxies made by factories', () => {
  test('attributes each proxy to the activity types taken from the factory calls, and to the workflow calling it', () => {
    expect(
      review.model.activityProxies.map((p) => [p.id, p.usedActivityTypes === 'all' ? 'all' : p.usedActivityTypes.map((u) => `${u.name}@${u.location.line}`), p.workflowNames]),
    ).toEqual([
      ['src/workflows.ts:6:3', ['publish@13', 'notify@15'], ['publishWorkflow']],
      ['src/workflows.ts:9:10', ['archive@16'], ['publishWorkflow']],
    ]);
  });

  test('a finding on a factory-made proxy names only the activities used through it', () => {
    const findings = review.run(retryPolicyMissing);
    expect(where(findings)).toEqual(['activity-retry-policy-missing warning src/workflows.ts:6', 'activity-retry-policy-missing warning src/workflows.ts:9']);
    expect(findings[0]!.message).toMatch(/^No retry policy on proxyActivities for notify and publish:/);
    expect(findings[1]!.message).toMatch(/^No retry policy on proxyActivities for archive:/);
  });
});
