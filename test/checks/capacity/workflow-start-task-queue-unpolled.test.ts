// A start whose literal task queue is not the queue of the worker that registers its workflow type.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/workflow-start-task-queue-unpolled.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('start-task-queue');
});

describe('workflow-start-task-queue-unpolled', () => {
  it('warns when the start and the worker name different literals, notes a worker whose queue comes from the environment', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual([
      'workflow-start-task-queue-unpolled warning src/starts.ts:8',
      'workflow-start-task-queue-unpolled info src/starts.ts:17',
    ]);
    expect(findings[0]!.message).toMatch(/^client\.workflow\.start\(processOrder\) puts the run on task queue 'default', but the worker that registers processOrder polls 'orders' \(src\/worker\.ts:7\), and no worker polls 'default'\./);
    expect(findings[0]!.message).toContain('One other start of processOrder uses the same queue (related locations).');
    // the second start with the same wrong queue is a related location of the one finding, not a finding of its own
    expect(findings[0]!.related).toEqual([
      { file: 'src/worker.ts', line: 7, column: 24, message: "a worker that registers processOrder polls 'orders'" },
      { file: 'src/tasks/resubmit.ts', line: 6, column: 9, message: "client.workflow.start(processOrder) also starts processOrder on 'default'" },
    ]);
    expect(findings[1]!.message).toMatch(/^client\.workflow\.start\(buildReport\) hard-codes task queue 'reports', while the worker that registers buildReport takes the queue from configuration or a value set at run time: 'reports-v2' unless REPORTS_QUEUE is set/);
  });
});
