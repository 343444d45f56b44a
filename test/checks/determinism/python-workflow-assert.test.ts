// workflow-throws-plain-error on Python `assert` statements in workflow code: a false condition
// raises AssertionError, which is not a FailureError, so it fails the workflow task (retried
// forever) like `raise AssertionError(...)`. Severity as for the raise under `if not condition:`:
// error for an assert on a computed value, info for a check of the input or an assert that only
// says a value is there (error again when that value is an activity result the activity can leave
// None). Not reported: asserts in activities, query handlers, inside `except AssertionError`, or
// covered by failure_exception_types. Over test/fixtures/python-workflow-assert.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-assert');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: Python assert statements', () => {
  test('exact findings', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error error app/workflows.py:13',
      'workflow-throws-plain-error info app/workflows.py:32',
      'workflow-throws-plain-error error app/workflows.py:34',
      'workflow-throws-plain-error error app/workflows.py:36',
      'workflow-throws-plain-error info app/workflows.py:39',
    ]);
  });

  test('says what the assert raises and why it is stuck', () => {
    const at = (line: number) => found.find((f) => f.line === line)!;
    expect(at(36).message).toContain('Workflow Review asserts `count > 0`: when that is false, Python raises AssertionError, not an ApplicationError.');
    expect(at(36).message).toContain('fails the workflow task instead of the workflow');
    expect(at(13).related?.[0]).toMatchObject({ file: 'app/workflows.py', line: 37 });
    expect(at(32).message).toContain("depends only on `run_id`, a test that reads the workflow's input alone");
    expect(at(34).message).toContain('the activity load_run returns None when `row is None`, at app/activities.py:12');
    expect(at(39).message).toContain('It only asserts that a value');
  });
});
