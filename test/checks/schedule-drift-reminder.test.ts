// schedule-create-ignores-existing when the handler says the drift is known (read DEBATABLE,
// "should be info", on real code: the handler logs "Configuration may have changed since. Please
// make sure they are in sync."): the team keeps schedules in line by hand, so it is a note. A
// handler that keeps the first definition without a word stays a warning.
import { beforeAll, describe, expect, it } from 'vitest';
import scheduleIgnoresExisting from '../../src/checks/timeouts/schedule-create-ignores-existing.js';
import { fixtureReview, where, type FixtureReview } from './capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('schedule-drift-reminder');
});

describe('schedule-create-ignores-existing and a handler that reminds of the drift', () => {
  it('is info where the handler logs that the configuration may have changed, a warning where it says nothing', () => {
    const findings = review.run(scheduleIgnoresExisting);
    expect(where(findings)).toEqual(['schedule-create-ignores-existing info src/schedules.ts:14', 'schedule-create-ignores-existing warning src/schedules.ts:32']);
    expect(findings[0]!.message).toContain('The handler says so in its log (the configuration may have changed and is kept in sync by hand), so the drift is a known choice: this is a note.');
    expect(findings[0]!.message).not.toContain('nothing reports the difference');
    expect(findings[1]!.message).toContain('and nothing reports the difference.');
  });
});
