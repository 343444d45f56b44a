// `wait` is a common method name for things that are not a pause (a health check polled a few
// times, a job handle): an activity counts as sleeping only when `wait` is given a pause (a number,
// a duration, or a name such as `ms` or `delay`). Over test/fixtures/heartbeat-wait-names.
import { beforeAll, describe, expect, it } from 'vitest';
import heartbeatTimeoutWithoutHeartbeat from '../../../src/checks/timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('heartbeat-wait-names');
});

describe('wait calls and heartbeat timeouts', () => {
  it('does not read health.wait(url, options) as a pause; wait(300_000) is one', () => {
    const findings = review.run(heartbeatTimeoutWithoutHeartbeat);
    expect(where(findings)).toEqual([
      'activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:4',
      'activity-heartbeat-timeout-without-heartbeat error src/workflows.ts:5',
      'activity-heartbeat-timeout-without-heartbeat info src/workflows.ts:6',
    ]);
    expect(findings[0]!.message).not.toContain('sleeps');
    expect(findings[1]!.message).toContain('settle sleeps, so its attempts will run that long');
  });

  it('makes a note of activities that run in memory: no slow dependency can hold them past the timeout', () => {
    const finding = review.run(heartbeatTimeoutWithoutHeartbeat).find((f) => f.line === 6)!;
    expect(finding.message).toContain('score never calls heartbeat(); it runs in memory');
    expect(finding.data).toMatchObject({ inMemory: true, activitiesWithoutHeartbeat: ['score'] });
  });
});
