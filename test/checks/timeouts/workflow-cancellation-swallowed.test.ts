// workflow-cancellation-swallowed on Python: except clauses around an awaited activity or child
// workflow that neither raise nor check for cancellation. In billing/, whose workflow code checks
// is_cancelled_exception elsewhere, they are warnings: the helper's `except Exception` that returns
// None, and the bare except around a method that runs an activity. In reports/, which never checks,
// the `except ChildWorkflowError` in a loop is info. Left alone: the clause that tests for
// cancellation and re-raises, the clause that raises an ApplicationError, an `except
// ActivityError` around a child workflow (it cannot take the child's error), a clause that hands
// the exception to a project method, and a cleanup helper called only from a finally clause. Over
// test/fixtures/python-cancellation-swallowed.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-cancellation-swallowed');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-cancellation-swallowed on Python', () => {
  test('reports the clauses that take a cancellation and go on, and nothing else', () => {
    const swallowed = findings.filter((f) => f.checkId === 'workflow-cancellation-swallowed');
    expect(swallowed.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-cancellation-swallowed warning billing/workflows.py:12',
      'workflow-cancellation-swallowed warning billing/workflows.py:35',
      'workflow-cancellation-swallowed info reports/workflows.py:16',
    ]);
    const [helper, bare, child] = swallowed;
    expect(helper!.message).toContain('This except Exception also takes the cancellation of activity fetch_discount');
    expect(helper!.related?.[0]).toMatchObject({ file: 'billing/workflows.py', line: 11 });
    expect(bare!.message).toContain('This bare except also takes the cancellation of activity archive (called in _archive)');
    expect(bare!.message).toContain('Other except clauses of this workflow code do check for cancellation');
    expect(child!.message).toContain('child workflow TeamReportWorkflow');
    expect(child!.message).not.toContain('Other except clauses');
    expect(child!.fix).toContain('is_cancelled_exception');
  });
});
