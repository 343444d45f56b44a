// A start whose failure is only logged, inside a function every caller fires and forgets.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-start-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-logged-forgotten');
});

describe('workflow-start-failure-swallowed: logged and forgotten', () => {
  it('notes the fire-and-forget call of a wrapper that only logs a failed start, not an awaited one', () => {
    const findings = review.run(check);
    // startArchive's catch only logs and its callers await it: reported at that catch (not as fired and forgotten)
    expect(where(findings)).toEqual(['workflow-start-failure-swallowed info src/reports.ts:10', 'workflow-start-failure-swallowed info src/temporal.ts:35']);
    expect(findings[0]!.message).toMatch(/^This call fires startBuildQuietly\(\) and forgets it, and startBuildQuietly\(\) only logs a failure of client\.workflow\.start\(buildReport\)\./);
    expect(findings[0]!.related?.map((r) => `${r.file.split('/').pop()}:${r.line} ${r.message}`)).toEqual([
      'temporal.ts:26 the catch that only logs the failure',
      'temporal.ts:15 the start',
    ]);
  });
});
