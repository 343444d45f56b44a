// workflow-throws-plain-error on Python raises decided by the workflow's input alone: a raise in the
// run method whose tests read only its parameters (`if not request.day`) is reached only by a start
// with bad input, so info; a raise after a test of an activity result or of state a signal handler
// sets stays an error. Over test/fixtures/python-raise-input.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-raise-input');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: Python raises on the input alone', () => {
  test('exact findings: the input checks info, the activity result and signal state checks errors', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error info app/workflows.py:30',
      'workflow-throws-plain-error info app/workflows.py:34',
      'workflow-throws-plain-error error app/workflows.py:37',
      'workflow-throws-plain-error error app/workflows.py:40',
    ]);
  });

  test('the message names the test of the input', () => {
    const day = found.find((f) => f.line === 30)!;
    expect(day.message).toContain("depends only on `not request.day`, a test that reads the workflow's input alone");
    expect(day.data?.['inputDetermined']).toBe(true);
    const elif = found.find((f) => f.line === 34)!;
    expect(elif.message).toContain('`len(request.day) != 10`');
  });
});
