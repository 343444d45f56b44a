// A not-found guard in Python (`account = await store.account(id)` then `if account is None:
// raise AccountNotFound(id)`) is no evidence that the failure happens: the finding is a note. A
// lookup of the input in the code's own table (`PLANS.get(plan)`) is a wrong input, which retrying
// cannot fix, and keeps its error. Over test/fixtures/python-not-found-guards.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-not-found-guards');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-non-retryable-errors-uncovered on Python not-found guards', () => {
  test('a guard on a value just read is info; a lookup in a constant table stays an error', () => {
    const uncovered = findings.filter((f) => f.checkId === 'activity-non-retryable-errors-uncovered');
    expect(uncovered.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/workflows.py:13', 'error app/workflows.py:14']);
    expect(uncovered[0]!.message).toMatch(/^Not-found guards in load_account raise AccountNotFound/);
    expect(uncovered[0]!.related).toEqual([
      expect.objectContaining({ file: 'app/activities.py', line: 30, message: 'load_account raises AccountNotFound here (only when a value it has just read is missing: a not-found guard)' }),
    ]);
    expect(uncovered[1]!.data?.['uncoveredErrorTypes']).toEqual(['UnknownPlan']);
  });
});
