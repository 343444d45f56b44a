// cron-execution-timeout-ends-schedule: on a cron start, the execution timeout ends the whole cron
// chain (Temporal docs: "most commonly used for stopping the execution of a Temporal Cron Job after
// a certain amount of time has passed"); the run timeout bounds each run.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/cron-execution-timeout-ends-schedule.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';
import { fixturesDir, where as whereOf } from '../helpers/review-fixture.js';

describe('cron-execution-timeout-ends-schedule', () => {
  it('warns on a cron start with only an execution timeout, notes one that also bounds each run, and leaves a start without cron alone', { timeout: 120_000 }, () => {
    const findings = fixtureReview('cron-execution-timeout').run(check);
    expect(where(findings)).toEqual([
      'cron-execution-timeout-ends-schedule warning src/schedules.ts:5',
      'cron-execution-timeout-ends-schedule info src/schedules.ts:16',
      'cron-execution-timeout-ends-schedule warning src/schedules.ts:38',
    ]);
    expect(findings[0]!.message).toContain("runs on the cron schedule '0 6 * * *' with workflowExecutionTimeout '365 days' (365d)");
    expect(findings[0]!.message).toContain('365d after the first start the cron stops for good');
    expect(findings[0]!.message).toContain('It sets no workflowRunTimeout');
    expect(findings[2]!.message).toContain('runs on the cron schedule cronSchedule: cron with');
    expect(findings[1]!.message).toContain("The start also sets workflowRunTimeout '1 hour', so ending the cron may be intended.");
  });

  it('reads Python cron_schedule and execution_timeout the same way', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'cron-execution-timeout-python'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'cron-execution-timeout-ends-schedule');
    expect(found.map(whereOf)).toEqual([{ checkId: 'cron-execution-timeout-ends-schedule', severity: 'warning', file: 'app/schedules.py', line: 10 }]);
    expect(found[0]!.message).toContain('with execution_timeout timedelta(days=1) (1d)');
    expect(found[0]!.message).toContain('It sets no run_timeout');
  });
});
