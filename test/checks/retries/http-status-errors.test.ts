// activity-non-retryable-errors-uncovered and HTTP status names (issue 13, twelfth reading): an
// error class named after a status that asks for a retry (409 Conflict while another operation
// holds the row, 423 Locked, 429 Too Many Requests, 5xx) is no business outcome; one named after a
// status that stays (404) still is. Over test/fixtures/retries-http-status-errors.

import { beforeAll, describe, expect, it } from 'vitest';
import { namesTransientFailure } from '../../../src/engine/activity-policy/error-types.js';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-http-status-errors');
});

describe('error types named after HTTP statuses', () => {
  it('reports only the status that stays the same on the next attempt', () => {
    const findings = fixture.findings(['activity-non-retryable-errors-uncovered']);
    expect(findings.map(where)).toEqual([{ checkId: 'activity-non-retryable-errors-uncovered', severity: 'info', file: 'src/workflows.ts', line: 9 }]);
    expect(findings[0]!.data?.['uncoveredErrorTypes']).toEqual(['Error404']);
  });

  it('reads the status in the name', () => {
    expect(['Error409', 'Error429', 'Http503Error', 'LockedError', 'ConflictError', 'TooManyRequestsError'].filter((t) => namesTransientFailure(t))).toEqual([
      'Error409',
      'Error429',
      'Http503Error',
      'LockedError',
      'ConflictError',
      'TooManyRequestsError',
    ]);
    expect(['Error404', 'Error400', 'Error4090', 'NotFoundError', 'NonRetryableConflict'].filter((t) => namesTransientFailure(t))).toEqual([]);
  });
});
