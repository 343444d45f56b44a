// A workflow that catches an activity's or child's failure and only logs it completes as a success;
// a catch that rethrows, returns or records the failure, compensates, signals, is commented as best
// effort, handles only cancellation, or is followed by a throw is left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-failure-swallowed.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-failure-swallowed', () => {
  const review = fixtureReview('workflow-failure-swallowed');
  const findings = review.run(check);

  it('reports log-only catches, a swallowing loop and log-only allSettled rejections, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed info src/workflows/reported.ts:9',
      'workflow-failure-swallowed info src/workflows/reported.ts:19',
      'workflow-failure-swallowed info src/workflows/reported.ts:29',
      'workflow-failure-swallowed info src/workflows/reported.ts:39',
      'workflow-failure-swallowed info src/workflows/reported.ts:55',
    ]);
  });

  it('names the call, what the catch does and the consequence, with the call as related location', () => {
    const [first, loop, settled, child, helper] = findings;
    expect(first!.message).toContain('This catch only logs the failure of activity chargeCard');
    expect(first!.message).toContain('the run completes successfully');
    expect(first!.related).toEqual([expect.objectContaining({ file: expect.stringContaining('reported.ts'), line: 8 })]);
    expect(loop!.message).toContain('the loop goes on to its next round');
    expect(settled!.message).toContain('The rejected results of Promise.allSettled over activity notifyCustomer are only logged');
    expect(child!.message).toContain('child workflow shipOrder');
    expect(helper!.message).toContain('activity chargeCard (called in chargeViaHelper)');
    expect(helper!.related![0]!.line).toBe(49);
    expect(first!.fix).toContain('ApplicationFailure');
  });

  it('leaves test code alone', () => {
    expect(findings.some((f) => f.file?.includes('.test.'))).toBe(false);
  });
});
