// workflow-cleanup-in-cancelled-scope: cleanup work started in a catch or finally that runs on
// cancellation, in the workflow's cancelled root scope, is rejected at once by the SDK.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const CHECK = 'workflow-cleanup-in-cancelled-scope';

describe(CHECK, () => {
  it('reports cleanup on the cancellation path that no non-cancellable scope shields', { timeout: 120_000 }, () => {
    expect(where(findingsOf('cancelled-scope-cleanup', [CHECK]))).toEqual([
      `${CHECK} warning src/workflows.ts:14`,
      `${CHECK} info src/workflows.ts:43`,
      `${CHECK} warning src/workflows.ts:52`,
      `${CHECK} info src/workflows.ts:95`,
      `${CHECK} info src/workflows.ts:110`,
      `${CHECK} info src/workflows.ts:129`,
    ]);
  });

  it('names the callback a helper is given, and signals to other workflows', () => {
    const findings = findingsOf('cancelled-scope-cleanup', [CHECK]);
    expect(findings.find((f) => f.line === 110)?.message).toContain('calls retrying(() => release(orderId)) (which starts release(orderId)), activity release');
    expect(findings.find((f) => f.line === 129)?.message).toContain("calls waiter.signal('released'), a signal to another workflow");
  });

  it('names the work a helper starts and the fix', () => {
    const viaHelper = findingsOf('cancelled-scope-cleanup', [CHECK]).find((f) => f.line === 95);
    expect(viaHelper?.message).toContain('calls undo(orderId) (which starts release(orderId)), activity release');
    expect(viaHelper?.fix).toContain('CancellationScope.nonCancellable(() => undo(orderId))');
  });

  it('is a warning for a plain finally when the code cancels a handle whose id is the workflowId a start of this type sets', { timeout: 120_000 }, () => {
    const findings = findingsOf('cancelled-scope-cleanup-client', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:12`]);
    expect(findings[0]?.message).toContain('The code cancels it: src/client.ts:6 cancels a handle of holdReservation.');
  });

  // A cancel somewhere in the repository says nothing about one workflow: only a cancel of THIS
  // type (its start handle, a parent that passes the cancellation on, a scope that cancels it as a
  // child) makes a plain catch or finally a warning.
  it('is a warning only for the workflow types the code cancels', { timeout: 120_000 }, () => {
    const findings = findingsOf('cancel-targets', [CHECK]);
    expect(where(findings)).toEqual([
      `${CHECK} warning src/workflows.ts:14`,
      `${CHECK} warning src/workflows.ts:23`,
      `${CHECK} info src/workflows.ts:32`,
      `${CHECK} info src/workflows.ts:47`,
      `${CHECK} warning src/workflows.ts:61`,
      `${CHECK} info src/workflows.ts:76`,
    ]);
    const at = (line: number) => findings.find((f) => f.line === line)?.message ?? '';
    expect(at(14)).toContain('The code cancels it: src/client.ts:6 cancels a handle of holdSeat.');
    expect(at(23)).toContain('it is a child of holdSeat (src/workflows.ts:10), which is cancelled');
    expect(at(61)).toContain('in a cancellation scope whose timeout cancels it (src/workflows.ts:53)');
    // auditSeat is detached by its parent; the only other cancel targets a child of unknown type.
    expect(at(32)).toContain('src/workflows.ts:44 cancels the workflow started at src/workflows.ts:42, whose type the tool cannot tell');
    // supervise cancels its own child, not itself; its cleanup's rejection is caught.
    expect(at(47)).toContain('the cleanup never runs (its rejection is caught, so the handler goes on without it).');
    expect(at(47)).not.toContain('the handler throws');
    expect(at(47)).toContain('This happens only if it is cancelled (from the UI or CLI; nothing in the code cancels it).');
    // The parent starts priceSeat with `charge: false`, which priceSeat branches on before its cleanup.
    expect(at(76)).toContain('it starts it with charge: false, which its code branches on, so whether that run reaches this cleanup is not known');
  });

  // `const acts = pickProxy(quick)` where the local function returns one of two proxies: the calls
  // on acts are activities for every check, not unknown calls.
  it('sees activity calls on a proxy a local selector function returns', { timeout: 120_000 }, () => {
    const findings = findingsOf('cancelled-scope-selected-proxy', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:19`, `${CHECK} info src/workflows.ts:93`, `${CHECK} info src/workflows.ts:110`]);
    expect(findings[0]?.message).toContain("calls acts.recordOutcome(jobId, 'cancelled'), activity recordOutcome");
  });

  // `handleError(err)` starts an activity only when the error's cause is an ApplicationFailure of
  // one type: on a cancellation it does not, so that catch is silent (line 78); a helper that
  // records any error does start it (line 93).
  it('follows the cancellation path into a helper handed the caught error', { timeout: 120_000 }, () => {
    const findings = findingsOf('cancelled-scope-selected-proxy', [CHECK]);
    expect(findings.find((f) => f.line === 78)).toBeUndefined();
    // Nor does an activity callback the helper runs only for one kind of error (line 129).
    expect(findings.find((f) => f.line === 129)).toBeUndefined();
    expect(findings.find((f) => f.line === 93)?.message).toContain('calls record(err) (which starts recordOutcome(jobId, String(error))), activity recordOutcome');
    // A helper that only describes the error, inside the cleanup's arguments: the cleanup still starts.
    expect(findings.find((f) => f.line === 110)?.message).toContain('calls recordOutcome(jobId, describeError(err)), activity recordOutcome');
  });

  it('is info, saying so, when the code cancels a handle whose workflow type it cannot tell', { timeout: 120_000 }, () => {
    const findings = findingsOf('cancel-unattributed', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} info src/workflows.ts:12`]);
    expect(findings[0]?.message).toContain('src/client.ts:4 cancels a workflow whose type the tool cannot tell (a handle from an id it cannot trace)');
  });

  // The SDK facts the rule rests on (@temporalio/workflow 1.24): cancelling a workflow cancels
  // the root scope; scheduling an activity, a timer or a child in a scope that is considered
  // cancelled rejects at once with the scope's CancelledFailure and sends no command; a new
  // cancellable scope inherits its parent's cancellation, a non-cancellable one is never
  // considered cancelled.
  it('rests on the SDK: work started in a cancelled scope is rejected at once', () => {
    const require = createRequire(import.meta.url);
    const source = (file: string) => readFileSync(require.resolve(`@temporalio/workflow/src/${file}`), 'utf8');
    expect(source('internals.ts')).toMatch(/public cancelWorkflow\([^)]*\): void \{[\s\S]{0,80}this\.rootScope\.cancel\(\);/);
    const workflow = source('workflow.ts');
    for (const start of ['function scheduleActivityNextHandler', 'function timerNextHandler', 'function startChildWorkflowExecutionNextHandler', 'function signalWorkflowNextHandler']) {
      const body = workflow.slice(workflow.indexOf(start), workflow.indexOf(start) + 1200);
      expect(body).toMatch(/if \(scope\.consideredCancelled\) \{\s*untrackPromise\(scope\.cancelRequested\.catch\(reject\)\);\s*return;/);
    }
    const scope = source('cancellation-scope.ts');
    expect(scope).toMatch(/this\.parent\.cancellable \|\|[\s\S]{0,200}this\.#cancelRequested = this\.parent\.#cancelRequested;/);
    expect(scope).toMatch(/get consideredCancelled\(\): boolean \{\s*return this\.#cancelRequested && this\.cancellable;/);
  });
});
