// workflow-start-failure-swallowed: a catch around a start that only logs the failure (and resets
// state, or returns nothing) and carries on is reported at the catch: a warning with a word on
// Temporal's retry when the catch sits in an activity, a note when nothing shows a retry it defeats; a catch that rethrows, marks the run failed, publishes
// to a dead-letter queue, schedules a retry or returns a failure value is left alone.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-start-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-failure-logged');
});

describe('workflow-start-failure-swallowed: logged and carried on', () => {
  it('warns at the catch in an activity, notes the catch that resets the cached client, and reports nothing else', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-start-failure-swallowed warning src/activities.ts:15',
      'workflow-start-failure-swallowed warning src/order-consumer.ts:11',
      'workflow-start-failure-swallowed info src/service.ts:15',
    ]);
    const [activity, consumer, service] = findings;
    expect(consumer!.message).toContain('It runs in a message consumer handleOrderMessage: the message counts as handled and is not redelivered.');
    expect(activity!.message).toMatch(/^This catch logs every failure of the start of client\.workflow\.start\(agentRun\) and carries on: it does not rethrow it, return it, record it or retry\./);
    expect(activity!.message).toContain('It runs in activity pollBoard: a rethrow would fail the attempt and Temporal would retry the activity');
    expect(activity!.related?.[0]).toMatchObject({ file: 'src/activities.ts', line: 14 });
    expect(service!.message).not.toContain('It runs in activity');
    expect(service!.fix).toMatch(/^Rethrow after logging/);
    expect(service!.data).toMatchObject({ loggedOnly: true });
  });
});
