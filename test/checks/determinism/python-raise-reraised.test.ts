// workflow-throws-plain-error on Python raises that an `except` clause catches and raises again,
// over test/fixtures/python-raise-reraised.
//
// The SDK facts (temporalio 1.35.0, read in temporalio/worker/_workflow_instance.py,
// workflow_is_failure_exception, and temporalio/workflow/_definition.py, defn): an exception raised
// out of a workflow's run method (or an accepted update's handler, run_update) fails the workflow
// only when it is a temporalio.exceptions.FailureError (ApplicationError, ActivityError,
// ChildWorkflowError, CancelledError, ...), an asyncio.TimeoutError, or an instance of a type listed
// in @workflow.defn(failure_exception_types=[...]) or Worker(..., workflow_failure_exception_types=[...]);
// any other exception becomes the activation's error: the workflow TASK fails and is retried until
// the code changes. So `except Exception: ...; raise` around code that raises a plain ValueError lets
// that ValueError out, while `except ActivityError: raise` (or a catch-all around only activity
// calls) re-raises a FailureError, which fails the workflow as intended.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-raise-reraised');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: Python raises caught and raised again', () => {
  test('exact findings: the input check, the raise an except clause re-raises, the null guard in a static helper (info)', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error info app/services.py:13',
      'workflow-throws-plain-error info app/workflows.py:18',
      'workflow-throws-plain-error error app/workflows.py:24',
    ]);
  });

  test('the re-raise is named, and is a related location', () => {
    const step = found.find((f) => f.line === 24)!;
    expect(step.message).toContain('raises a plain ValueError');
    expect(step.message).toContain('raises it again (line 27)');
    expect(step.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:27']);
    expect(found.find((f) => f.line === 18)!.message).not.toContain('raises it again');
  });

  test('a helper reached through Class.staticmethod(): the call and the re-raise are related; a missing-value guard is info', () => {
    const guard = found.find((f) => f.file === 'app/services.py')!;
    expect(guard.message).toContain('Workflow Pairs raises a plain ValueError');
    expect(guard.message).toContain('raises it again (workflows.py:49)');
    expect(guard.message).toContain('only guards against a missing value');
    expect(guard.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:45', 'app/workflows.py:49']);
  });

  test('left alone: bare raise and raise err themselves, except ActivityError: raise, a conditional re-raise, a wrapped error, a listed type, an activity', () => {
    const lines = found.filter((f) => f.file === 'app/workflows.py').map((f) => f.line);
    for (const line of [27, 32, 37, 49, 59, 62, 66, 68, 79, 81]) expect(lines).not.toContain(line);
    expect(found.some((f) => f.file === 'app/activities.py')).toBe(false);
  });
});
