// workflow-status-poll-incomplete over test/fixtures/python-status-poll: loops that poll
// handle.describe() and leave only on some closed statuses are reported at the while; loops with
// an exit that does not depend on which closed status they see, or whose test cannot be read, are not.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { statusPollLoops } from '../../../src/checks/observability/workflow-status-poll-incomplete.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-status-poll');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const found = () => findings.filter((f) => f.checkId === 'workflow-status-poll-incomplete');

describe('workflow-status-poll-incomplete', () => {
  test('reported at each loop that leaves only on some closed statuses', () => {
    expect(found().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      // COMPLETED, FAILED, TERMINATED; `if not jobs.get(job_id): break` tests something else
      'workflow-status-poll-incomplete warning app/starter.py:26',
      // while not done, status.name == "COMPLETED" sets done, "FAILED" raises
      'workflow-status-poll-incomplete warning app/starter.py:44',
    ]);
    const [watch, byName] = found();
    expect(watch!.message).toContain('leaves only when it is COMPLETED, FAILED, TERMINATED; it has no exit for CANCELED, TIMED_OUT,');
    expect(watch!.message).toContain('TIMED_OUT (a start in this project sets execution_timeout)');
    expect(watch!.message).toContain('CANCELED (this project cancels workflows (handle.cancel()))');
    expect(watch!.message).toContain('its other exit, line 31, tests something other than the status');
    // no workflow continues as new in the fixture: CONTINUED_AS_NEW is not asked for
    expect(watch!.message).not.toContain('CONTINUED_AS_NEW');
    expect(byName!.message).toContain('leaves only when it is COMPLETED, FAILED; it has no exit for CANCELED, TERMINATED, TIMED_OUT,');
  });

  test('no finding for a != RUNNING exit, an else, a bound, every status, or a test it cannot read', () => {
    const lines = found().map((f) => f.line);
    // wait_not_running, wait_with_else, wait_bounded, wait_all, wait_unreadable
    for (const line of [54, 62, 74, 85, 95]) expect(lines).not.toContain(line);
  });

  test('reads loops the same way from text alone', () => {
    const poll = (body: string) => statusPollLoops(`async def f(handle):\n${body}`).map((l) => l.missing.join(','));
    expect(poll('    while True:\n        s = (await handle.describe()).status\n        if s == WorkflowExecutionStatus.COMPLETED:\n            break\n')).toEqual([
      'FAILED,CANCELED,TERMINATED,TIMED_OUT,CONTINUED_AS_NEW',
    ]);
    // a bare break after the tests, a deadline, a match, a status read elsewhere
    expect(poll('    while True:\n        s = (await handle.describe()).status\n        if s == WorkflowExecutionStatus.COMPLETED:\n            return 1\n        break\n')).toEqual([]);
    expect(poll('    while True:\n        s = (await handle.describe()).status\n        if s == WorkflowExecutionStatus.COMPLETED:\n            return 1\n        if time.monotonic() > deadline:\n            return 0\n')).toEqual([]);
    expect(poll('    while True:\n        s = (await handle.describe()).status\n        match s:\n            case WorkflowExecutionStatus.COMPLETED:\n                return 1\n')).toEqual([]);
    expect(poll('    while True:\n        d = await handle.describe()\n        if d.close_time:\n            return 1\n        if d.status == WorkflowExecutionStatus.COMPLETED:\n            return 1\n')).toEqual([]);
  });
});
