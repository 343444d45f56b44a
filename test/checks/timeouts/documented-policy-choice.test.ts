// A policy choice documented by a comment next to the proxy (no heartbeatTimeout on purpose,
// retries unbounded on purpose) is a note that restates the trade-off; the same options without
// the comment, or with a TODO, stay warnings.
import { beforeAll, describe, expect, it } from 'vitest';
import heartbeatMissing from '../../../src/checks/timeouts/activity-heartbeat-timeout-missing.js';
import attemptsUnbounded from '../../../src/checks/retries/activity-retry-attempts-unbounded.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('documented-policy-choice');
});

describe('documented policy choices', () => {
  it('notes a missing heartbeatTimeout that the comment above the proxy factory explains, and warns about the others', () => {
    const findings = review.run(heartbeatMissing);
    expect(where(findings)).toEqual([
      'activity-heartbeat-timeout-missing info src/workflows.ts:8',
      'activity-heartbeat-timeout-missing warning src/workflows.ts:10',
      'activity-heartbeat-timeout-missing warning src/workflows.ts:13',
    ]);
    expect(findings[0]!.message).toContain(
      'The comment at src/workflows.ts:4 documents this as a choice ("No heartbeatTimeout: heartbeats from the media provider\'s SDK arrive late under load, and a false heartbeat timeout retries the upload, which publishes the video twice."), so it is a trade-off, not an oversight.',
    );
    expect(findings[0]!.message).toContain('the server notices only when startToCloseTimeout (30m) expires');
  });

  it('notes unbounded retries whose retry option carries a comment, and warns about the bare one', () => {
    const findings = review.run(attemptsUnbounded);
    expect(where(findings)).toEqual([
      'activity-retry-attempts-unbounded info src/workflows.ts:15',
      'activity-retry-attempts-unbounded warning src/workflows.ts:21',
    ]);
    expect(findings[0]!.message).toContain('The comment at src/workflows.ts:17 documents this as a choice ("Each attempt is fenced by the lease version, and a lease must eventually be released.")');
  });
});
