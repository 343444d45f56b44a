// workflow-catch-tests-application-failure on Python: a failed activity raises ActivityError (a
// child ChildWorkflowError) with the ApplicationError as its cause, so `except ApplicationError`
// and `isinstance(e, ApplicationError)` never match it. Over
// test/fixtures/python-catch-tests-application-error.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-catch-tests-application-error');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-catch-tests-application-failure on Python', () => {
  test('reports except ApplicationError (alone or in a tuple) and an isinstance test deciding a branch; not a read cause, a body that raises (itself or in a function of the project), a local activity, a tuple with ActivityError or a logged isinstance', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-catch-tests-application-failure');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-catch-tests-application-failure warning app/workflows.py:31',
      'workflow-catch-tests-application-failure warning app/workflows.py:36',
      'workflow-catch-tests-application-failure warning app/workflows.py:42',
      'workflow-catch-tests-application-failure warning app/workflows.py:49',
    ]);
    expect(found[0]!.message).toContain('`except ApplicationError` never takes the failure of the activity reserve_seat');
    expect(found[0]!.message).toContain('as an ActivityError');
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:30']);
    expect(found[1]!.message).toContain('as a ChildWorkflowError');
    expect(found[1]!.data).toEqual({ kind: 'child', test: 'except' });
    expect(found[2]!.message).toContain('`isinstance(e, ApplicationError)`');
    expect(found[2]!.data).toEqual({ kind: 'activity', test: 'isinstance' });
    expect(found[3]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:48']);
  });
});
