// workflow-failure-alert-missing on workflows that catch their activities' failures and return a
// status (test/fixtures/failure-alert-caught-failures): the message says which failures a failed-run
// alert does not see (syncReadings, caught and returned as a result) and which still fail the run
// (isConfigured, outside the try; recordResult, awaited in the catch), and what to alert on instead.
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('failure-alert-caught-failures');
});

describe('workflow-failure-alert-missing when workflows return activity failures as results', () => {
  it('sits on the workflow whose activity failures can fail the run and says what the alert does not see', () => {
    const findings = review.run(failureAlert);
    // quietSyncWorkflow cannot fail on an activity failure: the finding sits on syncWorkflow (line 6).
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/sync.ts:6']);
    const message = findings[0]!.message;
    expect(message).toContain('All 2 catch the failures of syncReadings in the workflow code and go on or return a result, so such a failure ends the run as completed and an alert on failed runs does not see it');
    expect(message).toContain('for them a failed-run alert fires only when isConfigured and recordResult fail (awaited outside such a try, or in the catch itself)');
    expect(message).toContain('alert on what the workflows return or record for a caught failure');
    expect(message).not.toContain('a broken dependency fails executions for hours');
    expect(findings[0]!.data?.['caughtActivityFailures']).toEqual([
      { workflow: 'syncWorkflow', caught: ['syncReadings'], uncaught: ['isConfigured', 'recordResult'] },
      { workflow: 'quietSyncWorkflow', caught: ['syncReadings'], uncaught: [] },
    ]);
  });
});
