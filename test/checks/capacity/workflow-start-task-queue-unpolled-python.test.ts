// workflow-start-task-queue-unpolled and workflow-execution-timeout-below-waits on Python starts
// (test/fixtures/python-start-queue-waits): literal task queues, module constants and unset
// dataclass defaults no worker polls, and run bounds shorter than the workflow's own waits.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-queue-waits');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled' || f.checkId === 'workflow-execution-timeout-below-waits');
}, 120_000);

describe('Python starts on a queue no worker polls', () => {
  test('a module constant and a schedule action reading an unset dataclass default: one finding per type and queue; a computed type against every worker', () => {
    const unpolled = found.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled');
    expect(unpolled.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-task-queue-unpolled warning app/starts.py:16',
      'workflow-start-task-queue-unpolled warning app/starts.py:20',
    ]);
    const [approval, byName] = unpolled;
    expect(approval!.message).toContain("client.start_workflow(ApprovalWorkflow) puts the run on task queue 'orders-queue' (the queue is written at app/starts.py:8)");
    expect(approval!.message).toContain("the worker that registers ApprovalWorkflow polls 'orders-tasks' (app/worker.py:11)");
    expect(approval!.message).toContain('One other start of ApprovalWorkflow uses the same queue');
    expect(approval!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/starts.py:8', 'app/worker.py:11', 'app/schedules.py:35']);
    expect(byName!.message).toContain("no worker of the project polls 'orders-queue': its one worker polls 'orders-tasks'");
  });

  test('left alone: the worker constant, a dataclass field a construction sets', () => {
    const lines = found.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled').map((f) => `${f.file}:${f.line}`);
    for (const line of ['app/starts.py:12', 'app/starts.py:24', 'app/starts.py:25', 'app/schedules.py:49']) expect(lines).not.toContain(line);
  });
});

describe('Python run bounds shorter than the workflow waits', () => {
  test('a schedule action with an unset 30-minute default against a 7-day wait_condition; a start against a bounded polling loop in a helper', () => {
    const short = found.filter((f) => f.checkId === 'workflow-execution-timeout-below-waits');
    expect(short.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-execution-timeout-below-waits warning app/schedules.py:35',
      'workflow-execution-timeout-below-waits warning app/starts.py:12',
    ]);
    const [schedule, poll] = short;
    expect(schedule!.message).toContain('ScheduleActionStartWorkflow(ApprovalWorkflow) sets execution_timeout timedelta(minutes=30) (30m) (written at app/schedules.py:12)');
    expect(schedule!.message).toContain('workflow.wait_condition(..., timeout=timedelta(days=7)) (7d)');
    expect(poll!.message).toContain('a polling loop of up to 2016 turns with workflow.sleep(timedelta(minutes=5)) (7d)');
    expect(poll!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:28']);
  });

  test('left alone: bounds longer than the waits', () => {
    const lines = found.filter((f) => f.checkId === 'workflow-execution-timeout-below-waits').map((f) => `${f.file}:${f.line}`);
    for (const line of ['app/starts.py:24', 'app/starts.py:25']) expect(lines).not.toContain(line);
  });
});
