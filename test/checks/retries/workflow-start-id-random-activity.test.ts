// A workflow started from inside an activity: the activity's retries repeat the start, so a random
// workflow id starts a second run, while an id named after the business key, or an activity that
// is attempted once, does not.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-from-activity');
}, 120_000);

describe('workflow-start-id-random in an activity', () => {
  it('notes a random id started by an activity that retries, and not a same-named activity of another worker that is attempted once', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual(['workflow-start-id-random info src/activities.ts:9']);
    expect(findings[0]!.message).toContain('runs once per attempt of activity queueInvoiceRender, which the proxy at src/workflows.ts:4 retries (up to 5 attempts)');
  });
});
