// A start that terminates a running workflow of the same id, of a workflow that continues as new:
// a warning when the next run carries progress (a cursor), a note when it gets the same input;
// USE_EXISTING and workflows that do not continue as new are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/workflow-start-terminates-chain.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-start-terminates-chain', () => {
  const review = fixtureReview('workflow-start-terminates-chain');
  const findings = review.run(check);

  it('reports terminating starts of continue-as-new workflows only', () => {
    expect(where(findings)).toEqual(['workflow-start-terminates-chain warning src/starters.ts:4', 'workflow-start-terminates-chain info src/starters.ts:13']);
  });

  it('names the policy, the continue-as-new and what the next run carries', () => {
    const [paged, plain] = findings;
    expect(paged!.message).toContain('This start sets workflowIdReusePolicy TERMINATE_IF_RUNNING');
    expect(paged!.message).toContain('Workflow resendList continues as new (src/workflows.ts:15) and hands its progress to the next run ({ ...input, afterId: page[page.length - 1] })');
    expect(paged!.message).toContain('no chain ever finishes');
    expect(paged!.related?.[0]).toMatchObject({ file: 'src/starters.ts', line: 7 });
    expect(plain!.message).toContain('This start sets workflowIdConflictPolicy TERMINATE_EXISTING');
    expect(plain!.message).not.toContain('no chain ever finishes');
  });
});
