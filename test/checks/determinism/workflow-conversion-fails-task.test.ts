// workflow-conversion-fails-task over test/fixtures/python-conversion-fails-task.
//
// The SDK facts (temporalio 1.35.0, read in worker/_workflow_instance.py and run on a real worker in
// test/model/python/python-sdk-determinism-facts.test.ts): an exception that leaves the run method,
// a signal handler or a WorkflowInboundInterceptor's execute_workflow goes through
// _run_top_level_workflow_function; workflow_is_failure_exception(err) fails the *workflow* only
// for a temporalio.exceptions.FailureError (ApplicationError, ActivityError, ChildWorkflowError,
// CancelledError, ...), an asyncio.TimeoutError, or an instance of a class listed in
// @workflow.defn(failure_exception_types=...) or Worker(workflow_failure_exception_types=...).
// Anything else is kept as the activation error: the workflow *task* fails and the server retries
// it until the code changes. So `Model.model_validate(data)` (pydantic's ValidationError, a
// ValueError), `SomeEnum(value)` (ValueError) and `a, b = text.split(sep)` (ValueError) on data the
// workflow received leave the workflow Running and stuck on a bad input. An update handler's
// exception after its validator ran fails the task as well, but its validator is where input is
// checked; update handlers are left out here, as queries are.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-conversion-fails-task');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-conversion-fails-task', () => {
  test('one finding per workflow and per interceptor, at the first conversion, the others related', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-conversion-fails-task');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-conversion-fails-task warning app/interceptors.py:9',
      'workflow-conversion-fails-task warning app/workflows.py:18',
    ]);
    const [interceptor, workflow] = found;
    expect(interceptor!.message).toContain('Workflow interceptor TenantInbound');
    expect(interceptor!.message).toContain('tenant, region = input.args[0].split(":")');
    expect(interceptor!.related).toBeUndefined();
    expect(workflow!.message).toContain("Workflow OrderWorkflow validates data it received with Order.model_validate(payload), which raises pydantic's ValidationError");
    expect(workflow!.message).toContain('the Python SDK fails the workflow task instead of the workflow');
    expect(workflow!.fix).toContain('ApplicationError(message, type="InvalidInput", non_retryable=True)');
    // The Enum built from a field of the validated model, the split of one, the activity result
    // validated twice (the second in an except that only logs and raises it again), and the Enum a
    // helper builds from the signal's argument.
    expect(workflow!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'app/workflows.py:19',
      'app/workflows.py:20',
      'app/workflows.py:22',
      'app/workflows.py:24',
      'app/helpers.py:5',
    ]);
    expect(workflow!.related?.[4]?.message).toContain('builds an Enum member from data it received with Channel(raw)');
    expect(workflow!.related?.[4]?.message).toContain('reached through app/workflows.py:48');
  });

  test('left alone: a try that turns the error into ApplicationError, a plain class, index access, a guarded or bounded split, a literal, an Enum member, an update handler, failure_exception_types', () => {
    const lines = findings.filter((f) => f.checkId === 'workflow-conversion-fails-task').flatMap((f) => [`${f.file}:${f.line}`, ...(f.related ?? []).map((r) => `${r.file}:${r.line}`)]);
    // workflows.py: 30 (converted in the except), 33 (Money is not an Enum), 34 (split()[0]),
    // 36 (guarded by `":" in quiet`), 37 (a literal), 38 (already a Priority), 39 (maxsplit bounds
    // the parts), 52 (update handler), 59 (LenientWorkflow lists ValueError); helpers.py:9, the
    // helper called at workflows.py:41 inside a try that converts.
    for (const line of [30, 33, 34, 36, 37, 38, 39, 52, 59]) expect(lines).not.toContain(`app/workflows.py:${line}`);
    expect(lines).not.toContain('app/helpers.py:9');
    expect(findings.filter((f) => f.checkId === 'workflow-throws-plain-error')).toEqual([]);
  });
});
