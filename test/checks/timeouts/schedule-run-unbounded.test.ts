// schedule-run-unbounded: a schedule whose overlap policy holds back new actions while one runs
// (SKIP, written or the default; BUFFER_ONE) and whose start-workflow action sets no execution or
// run timeout is a warning at the create call, in TypeScript and in Python (including a loop over
// a list of dict literals, module-level or local, read for the workflow types it schedules). An action with a timeout, an
// ALLOW_ALL policy and a policy passed in from elsewhere are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');

async function findingsOf(name: string): Promise<Finding[]> {
  const { findings } = await review({ dir: path.join(fixtures, name), config: undefined });
  return findings.filter((f) => f.checkId === 'schedule-run-unbounded');
}

describe('schedule-run-unbounded', () => {
  let typescript: Finding[];
  let python: Finding[];
  beforeAll(async () => {
    typescript = await findingsOf('schedule-run-unbounded');
    python = await findingsOf('python-schedule-run-unbounded');
  }, 120_000);

  test('TypeScript: the default SKIP and BUFFER_ONE without a timeout, nothing else', () => {
    expect(typescript.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'schedule-run-unbounded warning src/schedules.ts:6',
      'schedule-run-unbounded warning src/schedules.ts:12',
    ]);
    const [skip, buffer] = typescript;
    expect(skip!.message).toContain("Schedule 'sync-every-5m' starts syncWorkflow with overlap SKIP (the default), and the action sets neither workflowExecutionTimeout nor workflowRunTimeout");
    expect(skip!.message).toContain('the schedule skips every later action while that run is open');
    expect(skip!.fix).toContain('Set workflowExecutionTimeout on the startWorkflow action');
    expect(buffer!.message).toContain("Schedule 'audit-hourly' starts auditWorkflow with overlap ScheduleOverlapPolicy.BUFFER_ONE");
    expect(buffer!.message).toContain('queues the later actions behind it');
  });

  test('Python: a loop over a list of dicts and an action assigned to a name, not a bounded or ALLOW_ALL schedule', () => {
    expect(python.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'schedule-run-unbounded warning app/schedules.py:25',
      'schedule-run-unbounded warning app/schedules.py:33',
      'schedule-run-unbounded warning app/schedules.py:67',
    ]);
    const [loop, named, local] = python;
    expect(loop!.message).toContain('Each schedule this call creates starts one of Report, Watchdog with overlap ScheduleOverlapPolicy.SKIP');
    expect(loop!.message).toContain('sets neither execution_timeout nor run_timeout');
    expect(loop!.fix).toContain('Set execution_timeout on ScheduleActionStartWorkflow');
    expect(named!.message).toContain("Schedule 'watchdog-2' starts Watchdog with overlap SKIP (the default)");
    // a list assigned in the function around the loop
    expect(local!.message).toContain('Each schedule this call creates starts one of Watchdog, Report with overlap SKIP (the default)');
  });
});

// A workflow whose runs end by themselves (every activity with a startToClose timeout and a
// finite maximumAttempts, no untimed wait, loop or child) makes the missing timeout hardening:
// info. Unlimited attempts (no retry policy) or a wait with no timeout keep the warning.
describe('schedule-run-unbounded: a run bounded by its activities', () => {
  let typescript: Finding[];
  let python: Finding[];
  beforeAll(async () => {
    typescript = await findingsOf('schedule-run-bounded');
    python = await findingsOf('python-schedule-run-bounded');
  }, 120_000);

  test('TypeScript: bounded is info, unlimited attempts and an untimed condition() are warnings', () => {
    expect(typescript.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'schedule-run-unbounded info src/schedules.ts:5',
      'schedule-run-unbounded warning src/schedules.ts:10',
      'schedule-run-unbounded warning src/schedules.ts:15',
    ]);
    const [bounded, retried, waiting] = typescript;
    expect(bounded!.message).toContain("Its runs are bounded by their activities' timeouts and attempts: proxyActivities for backup (startToCloseTimeout 2h, at most 3 attempts)");
    expect(bounded!.message).toContain('What the timeout guards against is a run whose workflow task keeps failing (a bad deploy)');
    expect(bounded!.fix).toMatch(/^As hardening, set workflowExecutionTimeout/);
    expect(retried!.message).toContain('Here the activities scheduled with proxyActivities for sync are retried without limit: the proxy has no retry policy (unlimited attempts) and no scheduleToCloseTimeout stops them (src/workflows.ts:5).');
    expect(waiting!.message).toContain('Here approvedBackupWorkflow waits with condition() with no timeout, which can wait forever (src/workflows.ts:22).');
  });

  test('Python: the same rule', () => {
    expect(python.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'schedule-run-unbounded info app/schedules.py:9',
      'schedule-run-unbounded warning app/schedules.py:13',
      'schedule-run-unbounded warning app/schedules.py:17',
    ]);
    const [bounded, retried, waiting] = python;
    expect(bounded!.message).toContain("Its runs are bounded by their activities' timeouts and attempts: workflow.execute_activity for backup (start_to_close_timeout 2h, at most 3 attempts)");
    expect(retried!.message).toContain('Here the activities scheduled with workflow.execute_activity for sync are retried without limit: the call has no retry policy (unlimited attempts) and no schedule_to_close_timeout stops them (app/workflows.py:23).');
    expect(waiting!.message).toContain('Here ApprovedBackup waits with workflow.wait_condition() with no timeout, which can wait forever (app/workflows.py:37).');
  });
});
