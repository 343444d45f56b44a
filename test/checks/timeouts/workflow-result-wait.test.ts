// An activity that awaits another workflow's result through a client (`handle.result()` on a
// handle from `client.workflow.getHandle(id)`) waits as long as that workflow runs: a wait on an
// outside event, like a poll, which needs heartbeatTimeout to notice a crashed worker before
// startToClose ends. An activity that only describes the other run makes one call.
import { describe, expect, it } from 'vitest';
import heartbeatMissing from '../../../src/checks/timeouts/activity-heartbeat-timeout-missing.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('an activity that awaits a workflow result', () => {
  const review = fixtureReview('workflow-result-wait');

  it('counts handle.result() as a long wait, and handle.describe() as one call', () => {
    const findings = review.run(heartbeatMissing);
    expect(where(findings)).toEqual(['activity-heartbeat-timeout-missing warning src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('awaitPreviousRun waits in a library call for an outside event (handle.result()');
    expect(findings[0]!.message).not.toContain('previousRunStatus waits');
  });
});
