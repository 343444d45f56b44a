// A workflow that fetches a list with an activity and hands it to a helper function that starts one
// child per item: the helper's loop runs in the workflow's history as if it were in its body. A
// helper that two workflows call is reported once; a helper called from a loop is that loop's work;
// the inner loop of a pool (start children up to a limit, then wait for one) is the outer loop's; a
// loop over the keys of an enum is bounded by its members.
import { describe, expect, test } from 'vitest';
import unboundedHistory from '../../../src/checks/payloads/workflow-unbounded-history.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-unbounded-history in helpers the workflow calls', () => {
  test('reports the helper loops once, and the workflow loop that calls one', () => {
    const findings = fixtureReview('history-helper-loops').run(unboundedHistory);
    expect(where(findings)).toEqual([
      'workflow-unbounded-history info src/workflows.ts:22',
      'workflow-unbounded-history info src/workflows.ts:29',
      'workflow-unbounded-history info src/workflows.ts:44',
    ]);
    expect(findings[1]!.message).toContain('Workflow startSurveyWorkflow loops (`for (const item of items) {`) as many times as items');
    expect(findings[1]!.message).toContain('child workflow surveyItemWorkflow');
    expect(findings[2]!.message).toContain('Workflow poolSurveyWorkflow loops (`while (pending.length > 0 || active.size > 0) {`) as many times as pending');
  });
});
