// A worker that deletes a schedule and creates it again each time it starts: reported at the
// delete, in the start function itself or one call away. A delete of another id, a delete under
// an if, and a deploy script with no worker or server are not reported.
import { beforeAll, describe, expect, it } from 'vitest';
import scheduleRecreated from '../../../src/checks/timeouts/schedule-recreated-at-startup.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('schedule-recreated');
}, 120_000);

describe('schedule-recreated-at-startup', () => {
  it('reports a delete and re-create of the same schedule on every start of a worker', () => {
    const findings = review.run(scheduleRecreated);
    expect(where(findings)).toEqual(['schedule-recreated-at-startup warning src/schedules.ts:6', 'schedule-recreated-at-startup warning src/worker.ts:14']);
    expect(findings[0]!.message).toMatch(
      /^Each time the process starts \(resetReportSchedule\(\) is called from run\(\); run\(\) is called at the top level of src\/worker\.ts:28, which creates a worker\), this deletes schedule 'daily-report' and creates it again \(src\/schedules\.ts:8\)\./,
    );
    expect(findings[0]!.message).toMatch(/or its create fails with ScheduleAlreadyRunning\.$/);
    expect(findings[1]!.message).toBe(
      "Each time the process starts (run() is called at the top level of src/worker.ts:28, which creates a worker), this deletes schedule 'cleanup-every-hour' and creates it again (src/worker.ts:18). " +
        'Deleting a schedule throws away what the server keeps for it: a pause set by an operator, edits made with the CLI or the UI, and its record of the runs it started, ' +
        "so a run of the old schedule that is still going does not hold back the new schedule's next run under its overlap policy. " +
        'When two processes start at once (two replicas, a scale-up), their deletes and creates interleave: one can delete the schedule the other has just created, ' +
        'or its create fails with ScheduleAlreadyRunning, which run() does not catch.',
    );
    expect(findings[1]!.related).toEqual([{ file: 'src/worker.ts', line: 18, column: 9, message: 'the schedule.create call' }]);
  });
});
