// Python client starts run from sync code through a bridge that takes the client method as a value:
// `async_to_sync(client.execute_workflow)(...)` (asgiref) and project helpers whose body runs their
// function parameter with their own `*args, **kwargs` (`async_to_sync(func)(*args, **kwargs)`,
// `asyncio.run(fn(*args, **kwargs))`, `loop.run_until_complete(fn(*args, **kwargs))`). Each is a
// start at the outer call's line with the forwarded arguments, so the checks that read starts see
// them: a random id in a route, a result waited for in a request (execute, or `run_async(handle.result)`),
// an except clause that only logs, a start inside `transaction.atomic()`; an id built from a row
// the request creates through a project function is no start conflict. A helper that does not
// run its parameter that way (`describe_call`) is no bridge. Signals sent the same way
// (`run_async(handle.signal, ...)`) are sends: a name no handler takes, a failure only logged in a
// route. Over test/fixtures/python-start-sync-bridge.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'python-start-sync-bridge');
let findings: Finding[];
let starts: number;

beforeAll(async () => {
  const result = await review({ dir: root, config: undefined });
  findings = result.findings;
  starts = result.inventory!.starts;
}, 120_000);

const CHECKS = ['workflow-start-id-random', 'workflow-result-awaited-in-request', 'workflow-start-failure-swallowed', 'workflow-start-before-commit', 'workflow-start-arguments-mismatch'];

describe('client starts run through a sync bridge (Python)', () => {
  test('are starts at the outer call, read by the start checks', () => {
    expect(starts).toBe(6);
    const mine = findings.filter((f) => CHECKS.includes(f.checkId));
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-before-commit warning app/jobs.py:12',
      'workflow-start-id-random info app/views.py:17',
      'workflow-result-awaited-in-request warning app/views.py:23',
      'workflow-result-awaited-in-request warning app/views.py:29',
      'workflow-start-failure-swallowed info app/views.py:38',
      'workflow-result-awaited-in-request warning app/views.py:57',
    ]);
    const [commit, random, execute, result, swallowed] = mine;
    expect(commit!.message).toContain('create_job starts Ingest with f"job-{job.id}" after `Job.objects.create(name=name)` (line 11)');
    expect(random!.message).toContain('client.start_workflow(Ingest) (run through run_async) runs once per request or event (ingest handles requests or messages: @app.post) and its workflow id is random (f"ingest-{uuid.uuid4()}")');
    expect(execute!.message).toContain('report runs the workflow Report.run and runs `execute_workflow` through async_to_sync, which blocks until the run ends');
    expect(result!.message).toContain('starts it and waits for `handle.result()` through run_async (app/views.py:30)');
    expect(swallowed!.message).toContain('logs every failure of the start of client.start_workflow(Ingest) (run through run_in_loop)');
  });

  test('an id built from a row the request creates is no conflict a repeated request meets', () => {
    // `job = _new_job(name)` returns `Job.objects.create(...)`: a new key per request (app/views.py:57).
    const conflicts = findings.filter((f) => f.checkId === 'workflow-start-conflict-unhandled');
    expect(conflicts.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app/views.py:23', 'info app/views.py:29']);
  });

  test('signals run through a bridge are sends', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-signal-unhandled' || f.checkId === 'workflow-signal-failure-swallowed');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-signal-failure-swallowed warning app/approvals.py:18',
      'workflow-signal-unhandled warning app/approvals.py:26',
    ]);
    expect(mine[0]!.message).toContain('logs every failure of the approve signal to Approval (run_async(handle.signal, Approval.approve))');
    expect(mine[1]!.message).toContain("`run_async(handle.signal, \"aprove\")` (app/approvals.py:26) sends signal 'aprove'");
  });

  test('a helper that does not run its function parameter is no bridge', () => {
    expect(findings.filter((f) => f.file === 'app/views.py' && f.line === 45)).toEqual([]);
  });
});
