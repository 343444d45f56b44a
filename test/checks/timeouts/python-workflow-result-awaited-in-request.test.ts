// workflow-result-awaited-in-request (Python): a route handler (or a helper it calls) that awaits
// execute_workflow, or start_workflow then handle.result() (also through a helper the handle is
// passed to), with no execution/run timeout and no asyncio timeout; nothing for bounded waits,
// fire-and-forget starts, scripts, tests and functions nothing shows run per request.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-result-awaited-in-request');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-result-awaited-in-request (Python)', () => {
  it('reports unbounded waits in request handlers only', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-result-awaited-in-request warning app/api.py:16',
      'workflow-result-awaited-in-request warning app/api.py:21',
      'workflow-result-awaited-in-request warning app/api.py:26',
      'workflow-result-awaited-in-request info app/api.py:35',
      'workflow-result-awaited-in-request warning app/api.py:76',
    ]);
    expect(mine[0]!.message).toContain('approve runs the workflow ApproveOrder.run and awaits `execute_workflow`, with no execution_timeout or run_timeout on the start and no timeout around the wait; approve handles requests or messages (@app.post)');
    expect(mine[1]!.message).toContain('starts it and awaits `handle.result()` (app/waits.py:2)');
    expect(mine[2]!.message).toContain('_run_action runs per request: it is reached from app/api.py:31 (action handles requests or messages (@app.post))');
    expect(mine[3]!.message).toContain('cannot confirm');
    // ApproveOrder runs no activity: what bounds its run is not known, and the message keeps the retry sentence.
    expect(mine[0]!.message).toContain('(the default retry policy never stops)');
    // SyncMeter's one activity has maximum_attempts=3 and a 2-minute start_to_close_timeout.
    expect(mine[4]!.message).toContain('Every activity SyncMeter schedules retries a bounded number of times (workflow.execute_activity for read_meter (start_to_close_timeout 2m, at most 3 attempts)), so an outage of a dependency ends the run instead of holding it; what nothing bounds is the wait for a worker: with no execution_timeout or run_timeout on the start, a worker that is down or a backlog on the task queue holds the request');
    expect(mine[4]!.message).not.toContain('never stops');
  });
});
