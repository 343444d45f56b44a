// workflow-throws-plain-error follows what catches an error on its way out of the workflow: a
// try/catch or a `.catch` that wraps it is not a plain error thrown by the workflow; a raw rethrow,
// a synchronous throw before the promise exists, or one uncaught path still is.

import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure, TemporalFailure } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const findings = () => findingsOf('throws-caught', ['workflow-throws-plain-error']);

describe('workflow-throws-plain-error and caught errors', () => {
  it('reports only the throws some path lets out of the workflow', () => {
    expect(where(findings())).toEqual([
      'workflow-throws-plain-error info src/groups.ts:10',
      'workflow-throws-plain-error info src/groups.ts:20',
      'workflow-throws-plain-error info src/groups.ts:25',
      'workflow-throws-plain-error info src/groups.ts:29',
      'workflow-throws-plain-error info src/workflows.ts:39',
      'workflow-throws-plain-error info src/workflows.ts:79',
      'workflow-throws-plain-error info src/workflows.ts:85',
      'workflow-throws-plain-error info src/workflows.ts:110',
      'workflow-throws-plain-error info src/workflows.ts:124',
    ]);
    // parentWorkflow passes childWorkflow to executeChild: the child's throw is not the parent's.
    expect(findings().map((f) => f.data?.['workflows'])).toEqual([['renameGroup'], ['startAll'], ['renameGroup'], ['countGroups'], ['renameGroup'], ['stepped'], ['childWorkflow'], ['normalizedLocal'], ['optionsCallbacks']]);
  });

  it('reads `err instanceof Error ? err : new Error(String(err))` as a rethrow of what was caught', () => {
    // Line 99: only an activity call in the try, so what is rethrown is an ActivityFailure: nothing.
    // Line 110: the try also throws a RangeError of its own: a note on a rethrow of unknown type,
    // not an error about the `new Error` that only wraps non-Error values.
    expect(findings().filter((f) => f.file === 'src/workflows.ts' && f.line === 99)).toEqual([]);
    expect(findings().find((f) => f.file === 'src/workflows.ts' && f.line === 110)!.message).toContain('whose type the reviewer cannot tell');
  });

  it('does not count notifyGroups and notifyOne for GroupError: their paths go through a wrapping .catch or try/catch', () => {
    // renameGroup reaches it through `.catch((e) => Promise.reject(e))`, which passes it on.
    const groupError = findings().find((f) => f.file === 'src/groups.ts' && f.line === 10);
    expect(groupError?.data?.['workflows']).toEqual(['renameGroup']);
  });

  it('leaves out a callback passed to a helper that calls it inside a wrapping try/catch', () => {
    expect(findings().filter((f) => f.file === 'src/workflows.ts' && f.line === 76)).toEqual([]);
  });

  it('leaves out a callback given as a property of an options object that the helper calls inside a catch, also when it hands the call on', () => {
    // Line 118: runAttempt calls options.execute() in its try. Line 121: runWithRetry passes
    // `() => execute(attempt)` to runAttempt, which catches. Line 124: runBare calls it bare.
    expect(findings().filter((f) => f.file === 'src/workflows.ts' && (f.line === 118 || f.line === 121))).toEqual([]);
  });

  it('leaves out ApplicationFailure subclasses, rethrown activity failures and cancellations', () => {
    expect(findings().filter((f) => f.file === 'src/workflows.ts' && f.line < 70 && f.line !== 39)).toEqual([]);
  });

  // The fact the rethrow rule rests on: a failed activity rejects with an ActivityFailure (the
  // failure converter builds one from the server's activityFailureInfo), and the workflow runtime
  // fails the workflow, not the task, for anything that is instanceof TemporalFailure.
  it('rests on the SDK: ActivityFailure, ChildWorkflowFailure, CancelledFailure and ApplicationFailure are TemporalFailures', () => {
    expect(new ActivityFailure('failed', 'charge', '1', 'MAXIMUM_ATTEMPTS_REACHED' as never, 'worker')).toBeInstanceOf(TemporalFailure);
    expect(new ChildWorkflowFailure('ns', { workflowId: 'w', runId: 'r' }, 'child', 'MAXIMUM_ATTEMPTS_REACHED' as never)).toBeInstanceOf(TemporalFailure);
    expect(new CancelledFailure('cancelled')).toBeInstanceOf(TemporalFailure);
    expect(ApplicationFailure.nonRetryable('bad', 'Bad')).toBeInstanceOf(TemporalFailure);
    const require = createRequire(import.meta.url);
    const internals = readFileSync(require.resolve('@temporalio/workflow/src/internals.ts'), 'utf8');
    expect(internals).toMatch(/error instanceof TemporalFailure \|\| this\.isConfiguredFailureException\(error\)\) \{\s*\/\/ Fail the workflow/);
    const converter = readFileSync(require.resolve('@temporalio/common/src/converter/failure-converter.ts'), 'utf8');
    expect(converter).toMatch(/if \(failure\.activityFailureInfo\) \{[\s\S]{0,200}return new ActivityFailure\(/);
  });
});

describe('workflow-throws-plain-error without the SDK types', () => {
  it('knows ApplicationFailure and CancelledFailure by their import when the checker sees any', () => {
    expect(where(findingsOf('throws-sdk-unresolved', ['workflow-throws-plain-error']))).toEqual(['workflow-throws-plain-error info src/workflows.ts:10']);
  });
});
