// workflow-child-terminated-on-close: a child started with startChild keeps the default
// parentClosePolicy (TERMINATE), and its parent continues as new without waiting for it. The
// policy applies when the run closes, continue-as-new included (temporalio/temporal#3666).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import workflowChildTerminatedOnClose from '../../../src/checks/timeouts/workflow-child-terminated-on-close.js';
import { review as reviewDir } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-child-terminated-on-close', () => {
  it('reports the default-policy child of a workflow that continues as new, and only that one', { timeout: 120_000 }, () => {
    const findings = fixtureReview('child-terminated-on-close').run(workflowChildTerminatedOnClose);
    // Not reported: the ABANDON start (line 23), batches (awaits the results, line 33), once (never continues as new).
    expect(where(findings)).toEqual(['workflow-child-terminated-on-close warning src/workflows.ts:21']);
    expect(findings[0]!.message).toContain('Workflow throttler starts child campaign with startChild and no parentClosePolicy (the default is TERMINATE), then continues as new (src/workflows.ts:26)');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/src\/workflows\.ts:26$/)]);
    expect(findings[0]!.data).toEqual({ workflow: 'throttler', child: 'campaign', parentClosePolicy: null });
  });
});

describe('workflow-child-terminated-on-close (Python)', () => {
  it('reports dropped start_child_workflow handles of a workflow that continues as new or returns, and only those', { timeout: 120_000 }, async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-child-terminated-on-close');
    const findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === workflowChildTerminatedOnClose.id);
    // Not reported: ABANDON (line 52), an awaited handle and execute_child_workflow (lines 62, 64),
    // a parent that waits for the child's signal (line 81), a policy that **options may set (line 90).
    expect(where(findings)).toEqual([
      'workflow-child-terminated-on-close warning app/workflows.py:30',
      'workflow-child-terminated-on-close warning app/workflows.py:42',
    ]);
    const [monitor, kickoff] = findings;
    expect(monitor!.message).toContain('Workflow Monitor starts child Job.run with start_child_workflow and no parent_close_policy (the default is TERMINATE), drops the handle, and continues as new (app/workflows.py:32)');
    expect(monitor!.data).toEqual({ workflow: 'Monitor', child: 'Job.run', parentClosePolicy: null, closes: 'continue-as-new' });
    expect(kickoff!.message).toContain('Workflow Kickoff starts child Job with start_child_workflow and no parent_close_policy (the default is TERMINATE), drops the handle, and can complete (app/workflows.py:43)');
    expect(kickoff!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/app\/workflows\.py:43$/)]);
    expect(kickoff!.fix).toContain('parent_close_policy=workflow.ParentClosePolicy.ABANDON');
  });
});
