// workflow-throws-plain-error on Python null guards (session 25): `if x is None: raise ValueError(...)`
// stays info while nothing shows x can be None, and is an error when x is the result of
// `await workflow.execute_activity(...)` whose activity returns None on a path the review can see
// (`return None` when the row is missing, `result.scalar_one_or_none()`): a missing record reaches the
// raise, and the workflow task fails on every retry. A declared Optional alone (load_task raises
// instead) keeps it info. Over test/fixtures/python-null-guard-activity-result.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-null-guard-activity-result');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: Python null guards on activity results', () => {
  test('exact findings', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error error app/workflows.py:17',
      'workflow-throws-plain-error error app/workflows.py:20',
      'workflow-throws-plain-error info app/workflows.py:23',
    ]);
  });

  test('names the activity and its path to None', () => {
    const at = (line: number) => found.find((f) => f.line === line)!;
    expect(at(17).message).toContain('the activity load_run returns None when `row is None`, at app/activities.py:12');
    expect(at(17).related?.[0]).toMatchObject({ file: 'app/activities.py', line: 12 });
    expect(at(20).message).toContain('the activity load_lease returns None when `result.scalar_one_or_none()` finds nothing, at app/activities.py:19');
    expect(at(23).message).toContain('It only guards against a missing value');
  });
});
