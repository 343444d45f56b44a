// activity-retry-disabled: retry.maximumAttempts: 1 where the workflow does not catch the failure,
// so the first transient error fails the workflow; not when the workflow compensates, retries, or a
// comment records why the activity runs once.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-disabled.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-disabled', () => {
  it('reports single-attempt proxies whose calls nothing catches; not a commented choice, a compensating catch, a .catch handler, a retry helper or three attempts', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-disabled').run(check);
    expect(where(findings)).toEqual(['activity-retry-disabled info src/workflows.ts:4', 'activity-retry-disabled info src/workflows.ts:27']);
    expect(findings[0]!.message).toContain('during loadOrder fails the activity at its first attempt, and nothing in workflow orderWorkflow catches it (calls the workflow catches are not counted)');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/src\/workflows\.ts:49$/)]);
    expect(findings[1]!.message).toContain('during writeAudit');
  });
});
