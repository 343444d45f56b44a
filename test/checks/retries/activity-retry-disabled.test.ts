// activity-retry-disabled: retry.maximumAttempts: 1 where the workflow does not catch the failure,
// so the first transient error fails the workflow; not when the workflow recovers (a retry helper)
// or a comment records why the activity runs once. A catch or .catch handler that compensates and
// then rethrows does not recover: the workflow still fails (see activity-retry-disabled-rethrow.test.ts).

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-disabled.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-disabled', () => {
  it('reports single-attempt proxies whose calls nothing catches or whose catch compensates and rethrows; not a commented choice, a retry helper or three attempts', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-disabled').run(check);
    expect(where(findings)).toEqual([
      'activity-retry-disabled info src/workflows.ts:4',
      'activity-retry-disabled info src/workflows.ts:17',
      'activity-retry-disabled info src/workflows.ts:27',
    ]);
    expect(findings[0]!.message).toContain('during loadOrder and saveStatus fails the activity at its first attempt, and nothing in workflow orderWorkflow catches it and recovers');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([expect.stringMatching(/src\/workflows\.ts:49$/), expect.stringMatching(/src\/workflows\.ts:64$/)]);
    expect(findings[1]!.message).toContain('during sendReceipt');
    expect(findings[2]!.message).toContain('during writeAudit');
    expect(findings[2]!.message).toContain('nothing in workflow orderWorkflow catches it, so the workflow fails with it');
  });
});
