// workflow-throws-plain-error on Python update handlers, over test/fixtures/python-update-raises.
//
// The SDK fact (temporalio 1.35.0, temporalio/worker/_workflow_instance.py, run_update): once an
// update is accepted, an exception from its handler that is not a FailureError (ApplicationError,
// ...), nor asyncio.TimeoutError, nor a listed failure type, becomes the activation's error: the
// whole workflow TASK fails and is retried, and the update's caller gets no answer. A validator's
// exception rejects the update. Checked on a real worker and dev server in
// test/model/python/python-sdk-determinism-facts.test.ts.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-update-raises');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-throws-plain-error');
}, 120_000);

describe('workflow-throws-plain-error: Python update handlers', () => {
  test('a plain exception raised by an update handler (or a helper it calls) is an error, as in the run method', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-throws-plain-error error app/workflows.py:9',
      'workflow-throws-plain-error error app/workflows.py:14',
      'workflow-throws-plain-error error app/workflows.py:32',
    ]);
  });

  test('the update handler is named, with the SDK version and what happens: the workflow task fails, not only the update', () => {
    const inHandler = found.find((f) => f.line === 32)!;
    expect(inHandler.message).toContain('Workflow Cart raises a plain RuntimeError (raise RuntimeError("too large")) in its update handler add, not an ApplicationError.');
    expect(inHandler.message).toContain('temporalio 1.35.0');
    expect(inHandler.message).toContain('fails the whole workflow task');
    expect(inHandler.fix).toContain('@add.validator');
    expect(found.find((f) => f.line === 9)!.message).toContain('in its update handler add');
    // Reached from the run method too: the run method's message.
    expect(found.find((f) => f.line === 14)!.message).not.toContain('update handler');
  });

  test('left alone: a validator, ApplicationError, asyncio.TimeoutError, a query handler', () => {
    for (const line of [41, 46, 48, 54]) expect(found.map((f) => f.line)).not.toContain(line);
  });
});
