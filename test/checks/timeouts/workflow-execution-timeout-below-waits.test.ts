// workflow-execution-timeout-below-waits (issue 13, "execution timeouts shorter than the workflow's
// own waits", missed on unseen code bases): a child started with workflowExecutionTimeout 5 minutes
// whose workflow sleeps an hour is terminated at every run (warning); one whose activities may run
// 10 minutes per attempt cannot finish an attempt that long (warning); a bound above every wait is fine.
// Over test/fixtures/timeouts-run-bound.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('timeouts-run-bound');
});

describe('workflow-execution-timeout-below-waits', () => {
  it('reports the starts whose run bound is shorter than what the workflow waits on', () => {
    expect(fixture.findings(['workflow-execution-timeout-below-waits']).map(where)).toEqual([
      { checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'src/workflows.ts', line: 21 },
      { checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'src/workflows.ts', line: 22 },
      { checkId: 'workflow-execution-timeout-below-waits', severity: 'warning', file: 'src/workflows.ts', line: 23 },
    ]);
  });

  it('names the bound and the longer wait', () => {
    const [sleepy, attempt, waiting] = fixture.findings(['workflow-execution-timeout-below-waits']);
    expect(sleepy!.message).toContain("sets workflowExecutionTimeout '5 minutes' (5m), but reminderWorkflow itself waits longer: sleep('1 hour') (1h)");
    expect(attempt!.message).toContain("but in validateWorkflow one attempt of validateEmail (startToCloseTimeout '10 minutes', 10m) may take longer than the whole run");
    expect(waiting!.data?.['bound']).toBe('workflowRunTimeout');
    expect(waiting!.related?.[0]).toEqual(expect.objectContaining({ line: 13 }));
  });
});
