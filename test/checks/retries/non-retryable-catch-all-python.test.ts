// activity-non-retryable-errors-uncovered on Python (issue 13, an unseen code base): an
// ApplicationError with a type raised in an `except Exception` clause names every failure of the
// step, network failures included, so it is no business outcome the policy forgot: info, saying it
// wraps a catch-all. A type raised on a condition the activity decides stays a warning.
// Over test/fixtures/python-catch-all-wrap.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-catch-all-wrap');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-non-retryable-errors-uncovered: catch-all wrappers on Python', () => {
  test('notes the catch-all wrapper and warns on the decided business type', () => {
    const uncovered = findings.filter((f) => f.checkId === 'activity-non-retryable-errors-uncovered');
    expect(uncovered.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/workflows.py:14', 'info app/workflows.py:15']);
    expect(uncovered[0]!.message).toContain('GIT_ACTIVITY_ERROR wraps any exception (a catch-all): every failure of the step');
    expect(uncovered[1]!.data?.['uncoveredErrorTypes']).toEqual(['REPO_ARCHIVED']);
  });
});
