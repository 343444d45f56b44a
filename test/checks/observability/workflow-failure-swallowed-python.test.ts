// workflow-failure-swallowed on the Python front-end: an `except ActivityError` that only logs an
// awaited execute_activity, an `except Exception` in a loop around a helper whose only activity call
// has maximum_attempts=1, and an `except ChildWorkflowError` that only prints are notes (info) at the
// except clause; a re-raise, a clause that cannot take the failure, compensation, a best-effort
// comment (also as the first line of a method), a tested success flag, a first clause that re-raises, a start_activity handle, a raise
// after the try and a clause that mentions cancellation are left alone. Over
// test/fixtures/python-failure-swallowed.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-swallowed');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-failure-swallowed on Python', () => {
  test('reports the log-only except clauses, and nothing else', () => {
    const swallowed = findings.filter((f) => f.checkId === 'workflow-failure-swallowed');
    expect(swallowed.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-failure-swallowed info app/workflows.py:29',
      'workflow-failure-swallowed info app/workflows.py:35',
      'workflow-failure-swallowed info app/workflows.py:41',
    ]);
    const [direct, helper, child] = swallowed;
    expect(direct!.message).toContain('This except clause only logs the failure of activity charge_card: the workflow carries on');
    expect(direct!.related?.[0]).toMatchObject({ file: 'app/workflows.py', line: 28 });
    expect(direct!.fix).toContain('raise an ApplicationError');
    expect(helper!.message).toContain('activity release_hold (called in _release): the loop goes on to its next round');
    expect(helper!.message).toContain('maximum_attempts=1, so it runs once');
    expect(helper!.related?.map((r) => r.line)).toEqual([48, 48]);
    expect(child!.message).toContain('the failure of child workflow Shipping');
  });
});
