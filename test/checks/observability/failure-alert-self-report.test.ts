// workflow-failure-alert-missing on workflows that report their own failure: the run is one try
// whose catch runs an activity that notifies or records the failure, then re-raises. Those are
// left out of the warning (named as reporting their failures); when every workflow does, the
// finding is an info note. A catch that only compensates, an await before the try, and a child's
// promise returned without await from the try do not count.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where as whereOf } from '../helpers/review-fixture.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

const python = async (name: string) => (await review({ dir: path.join(fixturesDir, name), config: undefined })).findings.filter((f) => f.checkId === 'workflow-failure-alert-missing');

describe('workflow-failure-alert-missing when workflows report their own failure', () => {
  it('TypeScript: leaves out the workflow whose catch records the failure and rethrows, and names the others', { timeout: 120_000 }, () => {
    const findings = fixtureReview('failure-alert-self-report').run(failureAlert);
    // buildWorkflow records isSuccess: false and rethrows; compensatingWorkflow only releases the
    // runner; retryWorkflow returns the child's promise without await, so the child's failure escapes the catch.
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/builds.ts:19']);
    const message = findings[0]!.message;
    expect(message).toContain('No alert fires when workflows of 2 of the 3 types fail (compensatingWorkflow and retryWorkflow)');
    expect(message).toContain('buildWorkflow is left out: its run catches every failure, runs saveBuildState and re-raises');
    expect(findings[0]!.data?.['workflowTypes']).toEqual(['compensatingWorkflow', 'retryWorkflow']);
    expect(findings[0]!.data?.['selfReportingWorkflowTypes']).toEqual(['buildWorkflow']);
  });

  it('Python: an info note, not a warning, when every workflow notifies or records its failure and re-raises', { timeout: 120_000 }, async () => {
    const found = await python('python-failure-alert-self-report');
    expect(found.map(whereOf)).toEqual([{ checkId: 'workflow-failure-alert-missing', severity: 'info', file: 'app/workflows.py', line: 12 }]);
    expect(found[0]!.message).toContain('each of the 2 reports its own failures: the run catches every failure, runs post_text and set_job_state and re-raises');
    expect(found[0]!.message).not.toContain('Web UI');
    expect(found[0]!.data?.['selfReportingWorkflowTypes']).toEqual(['IngestWorkflow', 'JobWorkflow']);
  });

  it('Python: names only the workflows with an await outside the reporting try or a report under an if', { timeout: 120_000 }, async () => {
    const found = await python('python-failure-alert-self-report-partial');
    expect(found.map(whereOf)).toEqual([{ checkId: 'workflow-failure-alert-missing', severity: 'warning', file: 'app/workflows.py', line: 38 }]);
    expect(found[0]!.message).toContain('No alert fires when workflows of 2 of the 4 types fail (CallbackWorkflow and WeeklyWorkflow)');
    expect(found[0]!.message).toContain('IngestWorkflow and JobWorkflow are left out: their runs catch every failure, run post_text and set_job_state and re-raise');
  });
});
