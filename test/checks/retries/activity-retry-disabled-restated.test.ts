// activity-retry-disabled and the comment next to maximumAttempts: 1. A comment that only says
// what the value says ("no retries", "默认不重试": "no retry by default") records no reason and
// does not silence the finding; one that gives the reason does.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-disabled.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-disabled with a comment that restates the value', () => {
  it('reports the proxies whose comment only restates maximumAttempts: 1, not the one whose comment gives a reason', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-disabled-restated').run(check);
    expect(where(findings)).toEqual(['activity-retry-disabled info src/workflows.ts:4', 'activity-retry-disabled info src/workflows.ts:11']);
  });
});
