// A child (or client start) of a workflow type the project defines nowhere, on a task queue none of
// its workers polls, belongs to another service's worker (a Python worker, an agent service): that is
// a note, not an unregistered workflow. The same type on the project's own queue stays an error.

import { describe, expect, it } from 'vitest';
import notRegistered from '../../../src/checks/determinism/workflow-not-registered.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-not-registered and children on another service\'s queue', () => {
  const review = fixtureReview('child-other-service');

  it('info for types started on a queue no worker here polls; error on the worker\'s own queue', { timeout: 120_000 }, () => {
    const findings = review.run(notRegistered);
    expect(where(findings)).toEqual([
      // started by a function reference: the project's own workflow, on whatever queue
      'workflow-not-registered error src/client.ts:5',
      'workflow-not-registered info src/workflows.ts:8',
      'workflow-not-registered info src/workflows.ts:12',
      'workflow-not-registered error src/workflows.ts:17',
      'workflow-not-registered error src/workflows.ts:19',
    ]);
    expect(findings[1]!.message).toContain("on task queue 'agent-queue', which no worker in the reviewed code is shown to poll");
    expect(findings[2]!.message).toContain("'python-heavy' (unless SUMMARY_QUEUE is set)");
    // no run timeout on the first child: the parent waits for ever if the other service never picks it up
    expect(findings[1]!.message).toContain('The start sets neither workflowExecutionTimeout nor workflowRunTimeout');
    expect(findings[1]!.message).toContain('and so does this parent');
    expect(findings[1]!.fix).toContain('set workflowExecutionTimeout on this start');
    expect(findings[2]!.message).not.toContain('workflowExecutionTimeout');
    expect(findings[2]!.message).toContain('If not, the run waits on that queue until its timeout ends it.');
  });
});
