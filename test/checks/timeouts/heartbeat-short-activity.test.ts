// A heartbeatTimeout fails only an attempt that runs longer than it without heartbeating: over an
// activity whose code is read to the end and shows no loop, wait, stream, child process or network
// call, the finding is a note when the timeout is a minute or more. A loop over awaits is still
// reported (at the loop, by activity-long-loop-without-heartbeat), and an activity that calls code
// the review cannot follow or another service still warns. Over test/fixtures/heartbeat-short-activity.
import { beforeAll, describe, expect, it } from 'vitest';
import heartbeatTimeoutWithoutHeartbeat from '../../../src/checks/timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import longLoopWithoutHeartbeat from '../../../src/checks/timeouts/activity-long-loop-without-heartbeat.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('heartbeat-short-activity');
});

describe('heartbeatTimeout over activities that show no long run', () => {
  it('makes a note of a short local activity read to the end; warns on a network call, a call not followed, a timeout under a minute', () => {
    const findings = review.run(heartbeatTimeoutWithoutHeartbeat);
    expect(where(findings)).toEqual([
      'activity-heartbeat-timeout-without-heartbeat info src/workflows.ts:4',
      'activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:6',
      // A request to another service waits on its work, which may take any time.
      'activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:7',
      // Under a minute one slow call can reach the timeout on its own: the same short activity warns.
      'activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:8',
    ]);
    const [short, unfollowed, network, quick] = findings;
    expect(short!.message).toContain('tagRelease never calls heartbeat(); preflight finds no loop, wait, stream, child process or network call in it or the helpers it calls');
    expect(short!.message).toContain('a run shorter than the 2m heartbeat timeout never reaches it: the timeout acts as a shorter deadline');
    expect(short!.data).toMatchObject({ activitiesWithoutHeartbeat: ['tagRelease'], noLongRunSign: true });
    // queue.enqueue is a method of a project interface: what runs behind it is not in view.
    expect(unfollowed!.message).toContain('enqueueWork never calls heartbeat(), directly or through a helper');
    expect(unfollowed!.data).not.toHaveProperty('noLongRunSign');
    expect(network!.message).toContain('startReindex never calls heartbeat(), directly or through a helper');
    expect(quick!.message).toContain("heartbeatTimeout '10 seconds' on proxyActivities for tagRelease, but tagRelease never calls heartbeat()");
  });

  it('still reports a loop over awaits without heartbeat, at the loop', () => {
    expect(where(review.run(longLoopWithoutHeartbeat))).toEqual(['activity-long-loop-without-heartbeat error src/activities.ts:29']);
  });
});
