// activity-catch-all-non-retryable: a catch that turns every failure of a network call into a
// non-retryable one, without looking at the error, while the proxy allows more attempts.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-catch-all-non-retryable.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-catch-all-non-retryable', () => {
  it('reports the catch-all rethrows around fetch and a client call, and after a Temporal failure pass-through; not the ones that look at the error, parse locally or run once', { timeout: 120_000 }, () => {
    const findings = fixtureReview('catch-all-non-retryable').run(check);
    expect(where(findings)).toEqual([
      'activity-catch-all-non-retryable warning src/activities.ts:20',
      'activity-catch-all-non-retryable warning src/activities.ts:29',
      'activity-catch-all-non-retryable warning src/activities.ts:69',
    ]);
    expect(findings[0]!.message).toContain('catches every error of fetch(...) (src/activities.ts:16)');
    expect(findings[0]!.message).toContain('although the proxy allows maximumAttempts: 5');
    expect(findings[1]!.message).toContain('paymentsClient.charge(...)');
  });
});
