// workflow-conversion-fails-task over test/fixtures/python-own-enum-result: `Verdict(value)` where
// value is the result of the project's own activity that returns only `Verdict` values
// (`return decide(...).value` with decide returning members, `return Verdict.PASS.value`) cannot
// meet a value the Enum lacks; an activity that can return anything else (a passed-through label)
// still can.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-own-enum-result');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-conversion-fails-task: an Enum rebuilt from an activity that returns its values', () => {
  test('only the conversion of the activity that can return another value is reported', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-conversion-fails-task');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-conversion-fails-task warning app/workflows.py:19']);
    expect(found[0]!.message).toContain('Verdict(label)');
    expect(found[0]!.related).toBeUndefined();
  });
});
