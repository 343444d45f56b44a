// workflow-failure-alert-missing on a workflow whose catch takes an activity's failure but is
// always followed by a throw (test/fixtures/failure-alert-caught-then-throws): importWorkflow
// catches undoLoad's failure, logs it and then throws on, so the run still fails and a failed-run
// alert sees it; the message must not say that the caught failure ends the run as completed.
// reportWorkflow, whose catch goes on to a `return` (the throw after it is conditional), keeps
// that wording.
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('failure-alert-caught-then-throws');
});

describe('workflow-failure-alert-missing when a caught activity failure is followed by a throw', () => {
  it('counts the failure as failing the run, not as ending it completed', () => {
    const findings = review.run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/imports.ts:7']);
    const message = findings[0]!.message;
    expect(message).toContain('reportWorkflow catches the failures of notifyOwner in the workflow code and goes on or returns a result, so such a failure ends the run as completed');
    expect(message).not.toContain('undoLoad in the workflow code');
    expect(findings[0]!.data?.['caughtActivityFailures']).toEqual([{ workflow: 'reportWorkflow', caught: ['notifyOwner'], uncaught: ['loadRows'] }]);
  });
});
