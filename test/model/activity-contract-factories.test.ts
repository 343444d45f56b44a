// Activities declared in a contract module (`export declare function runChecks(...)`) that the
// proxies' type argument names, implemented by the objects factories return
// (`createBuildActivities(deps)`), and registered with the worker through a wrapper typed to give
// back its argument (`instrument<T>(activities: T): T`) or through a helper the model cannot read
// (a filter per task queue). The implementation is the factory's function, found either way; an
// object whose functions do not all fit the contract (a client with a same-named method of another
// type, a runtime with a non-function member) is not.
import { beforeAll, describe, expect, test } from 'vitest';
import heartbeatTimeoutWithoutHeartbeat from '../../src/checks/timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { at } from './model-fixtures.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-contract-factories');
});

describe('activities a contract declares and factories implement', () => {
  test('models the factories\' functions under the contract\'s activity names', () => {
    expect(review.model.activities.map((a) => `${a.name}@${at(review.model, a.location)}${a.heartbeat ? ' heartbeats' : ''}`)).toEqual([
      'runChecks@src/activities/build.ts:6',
      'deployPreview@src/activities/deploy.ts:7',
      'observeDeployment@src/activities/deploy.ts:11',
      'runVerification@src/activities/verifier.ts:5',
      'securityScan@src/worker.ts:13 heartbeats',
    ]);
  });

  test('a heartbeatTimeout on activities that never heartbeat is reported at each proxy', () => {
    const findings = review.run(heartbeatTimeoutWithoutHeartbeat);
    expect(where(findings)).toEqual([
      'activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:4',
      'activity-heartbeat-timeout-without-heartbeat error src/workflows.ts:6',
    ]);
    expect(findings[0]!.message).toContain('runChecks and runVerification never call heartbeat()');
    expect(findings[0]!.message).toContain('is retried from the start');
    expect(findings[1]!.message).toContain('fails the activity (maximumAttempts is 1)');
    expect(findings[1]!.message).not.toContain('retry loop');
  });
});
