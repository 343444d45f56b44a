// activity-retry-disabled when a catch around the call only cleans up and throws again: the workflow
// still fails at the first transient error, so the finding stands. A catch that recovers (a
// fallback value) stays silent, and so does one that throws on some paths only (a cancellation
// that returns): some failures are handled there, and the reviewer cannot tell which.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-disabled.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-disabled with catch-and-rethrow', () => {
  it('reports calls whose catch cleans up and rethrows on every path; not a fallback or a catch that returns on some path', { timeout: 120_000 }, () => {
    const findings = fixtureReview('retry-disabled-rethrow').run(check);
    expect(where(findings)).toEqual([
      'activity-retry-disabled info src/workflows.ts:4',
      'activity-retry-disabled info src/workflows.ts:19',
      'activity-retry-disabled info src/workflows.ts:24',
    ]);
    expect(findings[0]!.message).toContain(
      'during generateReport fails the activity at its first attempt, and nothing in workflow reportWorkflow catches it and recovers (a catch that cleans up and then throws again on every path still fails the workflow), so the workflow fails with it.',
    );
    expect(findings.map((f) => f.related?.map((r) => `${r.file}:${r.line} ${r.message}`))).toEqual([
      [expect.stringMatching(/src\/workflows\.ts:47 generateReport called in reportWorkflow, whose catch around it throws again$/)],
      [expect.stringMatching(/src\/workflows\.ts:75 publishReport called in reportWorkflow, whose catch around it throws again$/)],
      [expect.stringMatching(/src\/workflows\.ts:82 reserveSlot called in reportWorkflow, whose catch around it throws again$/)],
    ]);
  });
});
