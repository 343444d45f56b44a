// A Python activity that raises what a project helper builds (`raise not_found("...")`, where
// `def not_found(...) -> HTTPException: return HTTPException(...)`) raises the helper's class: the
// SDK reports the failure type as type(err).__name__, "HTTPException", never the helper's name, so
// the advice names the class. Over test/fixtures/python-raise-helper.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-raise-helper');

describe('a raise of a helper that returns an exception (Python)', () => {
  test("the raised type is the class the helper returns, not the helper's name", async () => {
    const { findings } = await review({ dir: root });
    const uncovered = findings.filter((f) => f.checkId === 'activity-non-retryable-errors-uncovered');
    expect(uncovered.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['error app/workflows.py:13']);
    expect(uncovered[0]!.message).toContain('load_profile raises HTTPException, which is not non-retryable');
    expect(uncovered[0]!.fix).toContain("Add 'HTTPException' to retry_policy.non_retryable_error_types");
    expect(JSON.stringify(findings)).not.toContain('not_found');
  });
});

describe('a raise of helpers that return each other (Python)', () => {
  test('the review ends and names no type for the raise (followed three deep, then unknown)', async () => {
    const { findings } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-raise-helper-cycle') });
    expect(findings.filter((f) => f.checkId === 'activity-non-retryable-errors-uncovered')).toEqual([]);
    expect(JSON.stringify(findings)).not.toContain("raises Rejected");
  });
});
