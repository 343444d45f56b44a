// activity-error-classifier-retries-all: an activity's catch hands the error to a classifier whose
// default branch returns one retryable type; reported at that default, warning when the policy
// allows many long attempts. A classifier whose default is non-retryable is left alone.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-error-classifier-retries-all.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-error-classifier-retries-all', () => {
  it('reports the retryable default of classifyFailure once, as a warning from the 20 x 2 h proxy; not classifyStrictly', { timeout: 120_000 }, () => {
    const findings = fixtureReview('error-classifier').run(check);
    expect(where(findings)).toEqual(['activity-error-classifier-retries-all warning src/classify.ts:9']);
    expect(findings[0]!.message).toContain("classifyFailure ends by calling every error it does not recognise a retryable 'Transient', and quickCheck and renderReport throw that");
    expect(findings[0]!.message).toContain('up to 20 attempts of up to 2h each (startToCloseTimeout) under proxyActivities for renderReport and summarise');
  });
});
