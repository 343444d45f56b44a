// workflow-failure-swallowed on calls run together whose failures come back as values nobody checks
// (fixture workflow-settled-unchecked): `await Promise.allSettled(...)` dropped, held in a variable
// nobody reads (warnings), read only for the fulfilled results, or dropped in a finally (notes).
// Results checked for rejections, counted, calls whose `.catch` takes the failure first, a
// best-effort comment, sleeps, a helper that handles its own failure and a rethrow are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-failure-swallowed.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-failure-swallowed: Promise.allSettled results nobody checks', () => {
  const findings = fixtureReview('workflow-settled-unchecked').run(check);
  const at = (line: number) => findings.find((f) => f.line === line)!;

  it('warns where the results are dropped or never read, notes fulfilled-only reads and cleanup, and leaves the rest alone', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed warning src/workflows.ts:11',
      'workflow-failure-swallowed warning src/workflows.ts:18',
      'workflow-failure-swallowed warning src/workflows.ts:22',
      'workflow-failure-swallowed info src/workflows.ts:27',
      'workflow-failure-swallowed info src/workflows.ts:35',
    ]);
  });

  it('a dropped allSettled over activity calls: the run completes, no retry, no alert', () => {
    const finding = at(11);
    expect(finding.message).toContain('Promise.allSettled over activity notifyCustomer turns their failures into rejected results, and this statement drops the results unread');
    expect(finding.message).toContain('A failed activity is not tried again beyond its own retry policy');
    expect(finding.message).toContain('nothing logs it either');
    expect(finding.fix).toContain('Use Promise.all');
    expect(finding.related?.map((r) => r.line)).toEqual([11]);
    expect(finding.data).toMatchObject({ shape: 'allSettled', results: 'dropped', call: 'activity notifyCustomer' });
  });

  it('follows the array the children were pushed to, and says the child run itself shows as failed', () => {
    const finding = at(18);
    expect(finding.message).toContain('Promise.allSettled over child workflow shipOrder');
    expect(finding.message).toContain("The failed child's own run shows as Failed, but this workflow ends as Completed");
    expect(finding.related?.map((r) => r.line)).toEqual([17]);
  });

  it('results held in a variable nobody reads, fulfilled-only reads, and a finally clause', () => {
    expect(at(22).data).toMatchObject({ results: 'unread' });
    expect(at(27).message).toContain('Only the fulfilled results of Promise.allSettled over activity releaseHold are read');
    expect(at(35).message).toContain('only the failure of this cleanup is lost');
    expect(at(35).data).toMatchObject({ results: 'dropped', inCleanup: true });
  });
});
