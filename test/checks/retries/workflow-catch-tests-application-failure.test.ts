// workflow-catch-tests-application-failure: in workflow code an activity's failure arrives as an
// ActivityFailure (a child's as a ChildWorkflowFailure) with the ApplicationFailure in .cause, so a
// catch that tests the caught value itself never matches.
// Over test/fixtures/workflow-catch-tests-application-failure.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('workflow-catch-tests-application-failure', () => {
  const findings = findingsOf('workflow-catch-tests-application-failure', ['workflow-catch-tests-application-failure']);

  it('reports instanceof, .type and .nonRetryable tests on the caught value, not an unwrapped cause, a try that throws one itself, a local activity, an ActivityFailure test, a helper that walks the cause chain or a flag that is only logged', () => {
    expect(where(findings)).toEqual([
      'workflow-catch-tests-application-failure warning src/workflows.ts:11',
      'workflow-catch-tests-application-failure warning src/workflows.ts:23',
      'workflow-catch-tests-application-failure warning src/workflows.ts:32',
      'workflow-catch-tests-application-failure warning src/workflows.ts:83',
    ]);
    expect(findings[0]!.message).toContain('reaches the workflow as an ActivityFailure');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows.ts:9']);
    expect(findings[1]!.data).toEqual({ kind: 'activity', test: 'type' });
    expect(findings[2]!.message).toContain('reaches the workflow as a ChildWorkflowFailure');
    expect(findings[2]!.data).toEqual({ kind: 'child', test: 'instanceof' });
    // A helper the catch hands the error to, tested the same way; not one that walks the cause chain.
    expect(findings[3]!.message).toContain("hands the caught error as it is to `isDeclined(err)`, which tests it itself (`error instanceof ApplicationFailure` at src/workflows.ts:76)");
    expect(findings[3]!.data).toEqual({ kind: 'activity', test: 'instanceof', helper: true });
  });

  it('rests on the SDK: the failure converter wraps the activity failure and keeps the ApplicationFailure as its cause', () => {
    const require = createRequire(import.meta.url);
    const common = require.resolve('@temporalio/common');
    const converter = readFileSync(common.replace(/index\.js$/, 'converter/failure-converter.js'), 'utf8');
    // ActivityFailure(message, activityType, activityId, retryState, identity, cause)
    expect(converter).toMatch(/new failure_1\.ActivityFailure\([^;]*this\.optionalFailureToOptionalError\(failure\.cause/);
    expect(converter).toMatch(/new failure_1\.ChildWorkflowFailure\([^;]*this\.optionalFailureToOptionalError\(failure\.cause/);
    const workflow = readFileSync(require.resolve('@temporalio/workflow').replace(/index\.js$/, 'internals.js'), 'utf8');
    // resolveActivity rejects with the converted failure as it is.
    expect(workflow).toMatch(/resolveActivity\(activation\) \{[^]*?reject\(this\.failureConverter\.failureToError\(failure/);
  });

  it("leaves local activities out: the SDK's core wraps only their cancellations and timeouts, and passes a failure through", () => {
    const require = createRequire(import.meta.url);
    const bridge = require.resolve('@temporalio/core-bridge/package.json').replace(/package\.json$/, '');
    const machine = readFileSync(`${bridge}sdk-core/crates/sdk-core/src/worker/workflow/machines/local_activity_state_machine.rs`, 'utf8');
    expect(machine).toContain('// Cancels and timeouts are to be wrapped with an activity failure');
    expect(machine).toMatch(/LocalActivityExecutionResult::Failed\(f\) => ActivityResolution \{\s*status: Some\(f\.into\(\)\),/);
  });
});
