// workflow-failure-alert-missing on workflows every start of which awaits the result in the same
// code path (`await client.workflow.execute(...)`, `const handle = await client.workflow.start(...)`
// then `await handle.result()`; Python `await client.execute_workflow(...)`, or `await
// handle.result()` after `start_workflow`): each failure reaches the starter as an exception, so
// those types get an info note. A start whose result is not awaited (a plain start, a wait under
// an `if`, an execute() not awaited) and a type no code starts keep the warning.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import { review } from '../../../src/review.js';
import { fixturesDir } from '../helpers/review-fixture.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-failure-alert-missing when every start awaits the result', () => {
  it('TypeScript: an info note for the awaited types, the warning for the others', { timeout: 120_000 }, () => {
    const findings = fixtureReview('failure-alert-awaited-starts').run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing info src/workflows/index.ts:6', 'workflow-failure-alert-missing warning src/workflows/index.ts:14']);
    const [awaited, rest] = findings;
    expect(awaited!.message).toContain(
      'but every start of these types awaits the result (reportWorkflow: await client.workflow.execute(...) at src/routes.ts:7), so each failure reaches the code that started it as an exception.',
    );
    expect(awaited!.message).toContain('Only an alert on temporal_workflow_failed sees the failure rate across runs');
    expect(awaited!.data?.['awaitedWorkflowTypes']).toEqual(['exportWorkflow', 'reportWorkflow']);
    expect(awaited!.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['10 exportWorkflow: every start awaits the result (src/routes.ts:11)']);
    // syncWorkflow drops the handle, maybeWaitWorkflow waits only under an if, mixedWorkflow has an
    // execute() nobody awaits, unstartedWorkflow has no start at all.
    expect(rest!.data?.['workflowTypes']).toEqual(['maybeWaitWorkflow', 'mixedWorkflow', 'syncWorkflow', 'unstartedWorkflow']);
    expect(rest!.message).toContain('No alert fires when workflows of 4 of the 6 types fail');
    expect(rest!.message).toContain('Failed executions only show up when someone opens the Web UI');
    expect(rest!.message).toContain('exportWorkflow and reportWorkflow are left out: every start of them awaits the result');
  });

  it('Python: an info note for execute_workflow and start_workflow + handle.result(), the warning for a start that returns the id', { timeout: 120_000 }, async () => {
    const found = (await review({ dir: path.join(fixturesDir, 'python-failure-alert-awaited-starts'), config: undefined })).findings.filter((f) => f.checkId === 'workflow-failure-alert-missing');
    expect(where(found)).toEqual(['workflow-failure-alert-missing info app/workflows.py:12', 'workflow-failure-alert-missing warning app/workflows.py:26']);
    expect(found[0]!.message).toContain('(ReportWorkflow: await client.execute_workflow(...) at app/api.py:7)');
    expect(found[0]!.data?.['awaitedWorkflowTypes']).toEqual(['ExportWorkflow', 'ReportWorkflow']);
    expect(found[0]!.related?.map((r) => r.message)).toEqual(['ExportWorkflow: every start awaits the result (app/api.py:11)']);
    expect(found[1]!.data?.['workflowTypes']).toEqual(['SyncWorkflow']);
    expect(found[1]!.message).toContain('Failed executions only show up when someone opens the Web UI');
  });
});
