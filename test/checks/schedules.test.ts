// Schedules start workflows too: `client.schedule.create` (or a ScheduleClient) with a
// startWorkflow action is a start of the action's workflow type, with the action's task queue and
// search attributes, for the checks that read starts.
import { beforeAll, describe, expect, it } from 'vitest';
import notRegistered from '../../src/checks/determinism/workflow-not-registered.js';
import startAttributes from '../../src/checks/observability/workflow-start-without-search-attributes.js';
import { fixtureReview, where, type FixtureReview } from './capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('schedules');
});

describe('schedules as workflow starts', () => {
  it('models each schedule action as a start of its workflow type', () => {
    expect(review.model.starts.map((s) => [s.method, s.workflowType, `${s.location.file.split('/').pop()}:${s.location.line}`])).toEqual([
      ['schedule', 'nightlyReport', 'schedules.ts:8'],
      ['schedule', 'archiveOrders', 'schedules.ts:13'],
    ]);
  });

  it('notes the schedule whose action sets no search attributes (a system workflow: info), not the one that does', () => {
    const findings = review.run(startAttributes);
    expect(where(findings)).toEqual(['workflow-start-without-search-attributes info src/schedules.ts:8']);
    expect(findings[0]!.message).toMatch(/^client\.schedule\.create\(nightlyReport\) sets no search attributes, but it looks like a system workflow: a schedule starts it/);
  });

  it("flags the schedule of a workflow type no worker's workflowsPath exports", () => {
    const findings = review.run(notRegistered);
    expect(where(findings)).toEqual(['workflow-not-registered error src/schedules.ts:13']);
    expect(findings[0]!.message).toMatch(/^This schedule \(schedule\.create\) starts workflow type 'archiveOrders', but no worker's workflowsPath \(src\/workflows\.ts\) exports it\./);
  });
});
