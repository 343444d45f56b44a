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
