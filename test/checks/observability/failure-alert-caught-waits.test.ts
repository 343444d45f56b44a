// workflow-failure-alert-missing on workflows that catch an activity's failure and then wait for a
// condition instead of returning (test/fixtures/failure-alert-caught-waits,
// test/fixtures/python-failure-alert-caught-waits): the message says the run waits after the
// catch, not that it ends as completed; a workflow that returns from its catch keeps the
// "completed" wording (failure-alert-caught-failures.test.ts).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let typescript: FixtureReview;
let python: Finding[];
beforeAll(async () => {
  typescript = fixtureReview('failure-alert-caught-waits');
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-alert-caught-waits');
  python = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'workflow-failure-alert-missing');
}, 120_000);

describe('workflow-failure-alert-missing when a workflow waits after catching an activity failure', () => {
  it('TypeScript: says the run waits for a condition after the catch', () => {
    const findings = typescript.run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/approval.ts:8']);
    expect(findings[0]!.message).toContain(
      'approvalWorkflow catches the failures of notifyReviewer in the workflow code and goes on or returns a result, so such a failure does not fail the run: the run waits for a condition (a signal or an update) after the catch, then completes or keeps waiting, and an alert on failed runs does not see it',
    );
    expect(findings[0]!.message).not.toContain('ends the run as completed');
    expect(findings[0]!.data?.['caughtActivityFailures']).toEqual([{ workflow: 'approvalWorkflow', caught: ['notifyReviewer'], uncaught: ['applyDecision'], waits: true }]);
  });

  it('Python: names the workflow that waits after the catch, not the one with a pause gate before the try', () => {
    expect(python.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-failure-alert-missing warning app/workflows.py:13']);
    expect(python[0]!.message).toContain(
      'All 3 catch the failures of notify_reviewer in the workflow code and go on or return a result, so such a failure does not fail the run: the run completes, or in Approval waits for a condition (a signal or an update) after the catch, and an alert on failed runs does not see it',
    );
    expect(python[0]!.data?.['caughtActivityFailures']).toEqual([
      { workflow: 'Approval', caught: ['notify_reviewer'], uncaught: ['apply_decision'], waits: true },
      { workflow: 'Digest', caught: ['notify_reviewer'], uncaught: ['apply_decision'] },
      // Its wait is a pause gate at the top of the loop, before the try: not a wait after the catch.
      { workflow: 'Crawl', caught: ['notify_reviewer'], uncaught: ['apply_decision'] },
    ]);
  });
});
