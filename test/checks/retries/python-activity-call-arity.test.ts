// activity-arguments-mismatch on a Python SDK call with more than one positional argument after the
// activity: every activity call form takes `(activity, arg=..., *, args=..., ...)` (temporalio
// 1.35.0: `workflow.execute_activity(fn, 1, 2, ...)` raises "execute_activity() takes from 1 to 2
// positional arguments but 3 ... were given"), so the workflow code raises TypeError and nothing is
// scheduled. The findings about that call's retries and timeouts are lowered to notes: they apply
// once the call is fixed. Over test/fixtures/python-activity-call-arity.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-call-arity');
let findings: Finding[];
beforeAll(async () => {
  ({ findings } = await review({ dir: root }));
});
const where = (f: Finding) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`;

describe('activity-arguments-mismatch: two positional arguments to execute_activity (Python)', () => {
  test('an error at the call, naming the extra arguments and the stuck workflow task', () => {
    const found = findings.filter((f) => f.checkId === 'activity-arguments-mismatch');
    expect(found.map(where)).toEqual(['activity-arguments-mismatch error app/workflows.py:14']);
    expect(found[0]!.message).toBe(
      'workflow.execute_activity(...) passes 2 positional arguments after the activity (run_id, action), but the SDK call takes one (`arg`); more than one must go in args=[...]. ' +
        "The call raises TypeError in VerificationWorkflow's code before anything is scheduled, so the activity never runs and its retry policy and timeouts never apply. " +
        'TypeError is not a Temporal failure, so the Python SDK fails the workflow task, not the workflow, and retries the task without end: every run that reaches this line stays stuck here until the code is fixed and deployed.',
    );
    expect(found[0]!.fix).toBe('Pass the arguments as a list: workflow.execute_activity(<activity>, args=[run_id, action], ...), or bundle them in one dataclass argument.');
  });

  test("the call's retry finding is a note until the call is fixed; the same activity called with args=[...] keeps its warning", () => {
    const retry = findings.filter((f) => f.checkId === 'activity-retry-policy-missing' && f.file === 'app/workflows.py' && f.line !== 13);
    expect(retry.map(where)).toEqual(['activity-retry-policy-missing info app/workflows.py:14', 'activity-retry-policy-missing warning app/workflows.py:26']);
    expect(retry[0]!.message.startsWith('The workflow.execute_activity call at line 14 raises TypeError before it schedules the activity (see activity-arguments-mismatch); once fixed: No retry policy')).toBe(true);
  });
});
