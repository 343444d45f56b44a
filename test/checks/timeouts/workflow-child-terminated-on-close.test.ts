// workflow-child-terminated-on-close: a child started with startChild keeps the default
// parentClosePolicy (TERMINATE), and its parent continues as new without waiting for it. The
// policy applies when the run closes, continue-as-new included (temporalio/temporal#3666).

import { describe, expect, it } from 'vitest';
import workflowChildTerminatedOnClose from '../../../src/checks/timeouts/workflow-child-terminated-on-close.js';
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
