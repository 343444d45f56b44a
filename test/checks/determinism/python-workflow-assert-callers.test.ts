// workflow-throws-plain-error on a Python `assert` in a helper that workflow code calls: left alone
// when every call of the helper in the project has already made the condition true (`if
// step.parts:` around the call, `if step.owner is None: continue` before it, `if not
// isinstance(plan, dict): raise ApplicationError(...)`, a non-empty literal), and reported as
// before when one caller does not, tests less than the assert needs (`is not None` for a truthy
// assert), reassigns the value between its test and the call, or awaits in between on the
// workflow's own state. Over test/fixtures/python-workflow-assert-callers.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-assert-callers');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: asserts every caller guarantees', () => {
  test('exact findings', () => {
    // Left alone: fan_out (23, under `if step.parts and step.name:`), size_of (33, after `if not
    // isinstance(plan, dict): raise ...`). Still reported: owner_of (28: the update handler reassigns
    // `step` after testing it), label_of (38: `is not None` does not make `name` truthy), first_part
    // (43: the run awaits between testing self.pending and the call).
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error info app/workflows.py:28',
      'workflow-throws-plain-error info app/workflows.py:38',
      'workflow-throws-plain-error info app/workflows.py:43',
    ]);
  });
});
