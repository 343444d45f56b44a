// activity-non-retryable-errors-uncovered on plain errors: under a written retry policy, a plain
// `throw new Error(...)` the activity's own body decides is retried like an outage, and its type
// cannot be listed in nonRetryableErrorTypes; an info finding names it. A rethrow inside a catch,
// a helper's throw, a read of what the activity has just written ('not found after the insert')
// and a single-attempt proxy are left out.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-non-retryable-errors-uncovered.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-non-retryable-errors-uncovered: plain errors the activity decides', () => {
  it('reports the plain Error of the activity body under maximumAttempts: 5 only', { timeout: 120_000 }, () => {
    const findings = fixtureReview('plain-error-retried').run(check);
    expect(where(findings)).toEqual(['activity-non-retryable-errors-uncovered info src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('waitForReservation throws a plain Error on a condition its own code decides (line 7 "No reservation found")');
    expect(findings[0]!.message).toContain('each one is attempted 5 times');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/src\/activities\.ts:7$/)]);
  });
});
