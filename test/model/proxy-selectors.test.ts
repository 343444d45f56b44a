// Proxies picked at run time (`function selectProxy(test) { if (test) return testActs; return acts; }`,
// `const b = test ? testActs : acts`): each candidate proxy is used for what is called through the
// value it may become, so its options (and any gap in them) apply to exactly those activities.
import { beforeAll, describe, expect, test } from 'vitest';
import retryPolicyMissing from '../../src/checks/retries/activity-retry-policy-missing.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('proxy-selectors');
});

describe('proxies picked by a selector or a conditional', () => {
  test('attributes each candidate proxy to the activities called through the selected value', () => {
    expect(
      review.model.activityProxies.map((p) => [p.id, p.usedActivityTypes === 'all' ? 'all' : p.usedActivityTypes.map((u) => `${u.name}@${u.location.line}`), p.workflowNames]),
    ).toEqual([
      ['src/workflows.ts:4:14', ['runAgent@18', 'saveCheckpoint@19', 'saveCheckpoint@24'], ['checkpointWorkflow', 'pipelineWorkflow']],
      ['src/workflows.ts:6:18', ['runAgent@18', 'saveCheckpoint@19', 'saveCheckpoint@24'], ['checkpointWorkflow', 'pipelineWorkflow']],
      ['src/workflows.ts:8:23', ['validateConfig@17'], ['pipelineWorkflow']],
    ]);
  });

  test('a gap in one candidate is reported for the activities that may run with it, not for every activity', () => {
    const findings = review.run(retryPolicyMissing);
    expect(where(findings)).toEqual(['activity-retry-policy-missing warning src/workflows.ts:4']);
    expect(findings[0]!.message).toMatch(/^No retry policy on proxyActivities for runAgent and saveCheckpoint:/);
  });
});
