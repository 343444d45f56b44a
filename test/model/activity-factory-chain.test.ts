// Activities exported as properties of an object a chain of factories makes:
// `export const sendNewsletter = defaults.sendNewsletter` where `const defaults = createActivities()`,
// `createActivities` returns another factory's call, and that factory spreads the objects of the
// area factories. A helper heartbeating through a variable or parameter typed
// `Context` (or `Context | null`) counts. The worker registers the graph through a dynamic import, so only this chain tells
// the model where the activities live.
import { beforeAll, describe, expect, test } from 'vitest';
import heartbeatWithout from '../../src/checks/timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import nonRetryableUncovered from '../../src/checks/retries/activity-non-retryable-errors-uncovered.js';
import longLoop from '../../src/checks/timeouts/activity-long-loop-without-heartbeat.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { at, rel } from './model-fixtures.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-factory-chain');
});

describe('activities exported from a chain of factories', () => {
  test('models each activity as the function the area factory returns, declared at its export', () => {
    expect(review.model.activities.map((a) => `${a.name} in ${rel(review.model, a.file)} exported at ${at(review.model, a.location)}`)).toEqual([
      'purgeBounces in src/activities/cleanup.ts exported at src/activities.ts:8',
      'reindexSubscribers in src/activities/cleanup.ts exported at src/activities.ts:9',
      'chargeInvoice in src/activities/invoices.ts exported at src/activities.ts:7',
      'sendNewsletter in src/activities/newsletters.ts exported at src/activities.ts:6',
    ]);
  });

  test('a helper heartbeating on a timer through a context typed `Context` or `Context | null` counts as heartbeating', () => {
    const heartbeatOf = (name: string) => at(review.model, review.model.activities.find((a) => a.name === name)!.heartbeat!.location);
    // A heartbeat closure put on a timer (`setInterval(beat, ms)`) is recorded at the timer that repeats it.
    expect(heartbeatOf('purgeBounces')).toBe('src/activities/cleanup.ts:20');
    expect(heartbeatOf('reindexSubscribers')).toBe('src/activities/cleanup.ts:38');
    expect(where(review.run(heartbeatWithout))).toEqual([
      // chargeInvoice never heartbeats under its proxy's heartbeatTimeout; purgeBounces and reindexSubscribers, on their own proxy, do.
      // A note: chargeInvoice is a few awaited calls, with no loop, wait, stream or child process, under a 1-minute timeout.
      'activity-heartbeat-timeout-without-heartbeat info src/workflows.ts:4',
    ]);
  });

  test("reports the unheartbeated loop of an activity found through the chain", () => {
    expect(where(review.run(longLoop))).toEqual([
      // heartbeatTimeout 1 minute on its proxy: a loop over a mailing list outlasts it if the list is
      // long, which the code does not say (a warning, no longer an error).
      'activity-long-loop-without-heartbeat info src/activities/newsletters.ts:13',
    ]);
  });

  test('an error type whose name asks for another attempt, or one a classifier in the catch settles, is not reported', () => {
    const findings = review.run(nonRetryableUncovered);
    expect(where(findings)).toEqual(['activity-non-retryable-errors-uncovered error src/workflows.ts:4']);
    expect(findings[0]!.data?.uncoveredErrorTypes).toEqual(['CardDeclinedError']);
  });
});
