// Prevents cleanup that silently never runs: after a workflow is cancelled, an activity, timer or
// child started in its (cancelled) root scope is rejected at once with a CancelledFailure, so the
// compensation in a catch or finally is skipped (see cancelled-scope-cleanup.ts for the SDK facts).
// Filed under determinism, the area of how workflow code behaves in the SDK's workflow runtime
// (sandbox, thrown errors, scopes); the timeouts area is about activity options and heartbeats.

import { defineCheck } from '../define-check.js';
import { cancelledScopeCleanups, testsForCancellation } from '../../model/typescript/cancelled-scope-cleanup.js';
import { workflowCancelCalls } from '../../model/typescript/workflow-cancel-calls.js';
import { relativePath } from '../../model/typescript/locate.js';

export default defineCheck({
  id: 'workflow-cleanup-in-cancelled-scope',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A catch or finally that runs on cancellation starts an activity, timer or child in the cancelled scope, where it is rejected at once',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const cleanups = cancelledScopeCleanups(model);
    if (cleanups.length === 0) return;
    const cancels = workflowCancelCalls(model);
    for (const cleanup of cleanups) {
      const workflows = cleanup.workflows.join(', ');
      // A branch that tests for cancellation is written to run on it. A plain catch or finally
      // runs on cancellation only if something cancels the workflow: known when the code tests for
      // it elsewhere or cancels handles itself; otherwise it depends on operators (UI, CLI).
      const expected = cleanup.handler === 'cancellation' || testsForCancellation(model, cleanup.workflows) || cancels.length > 0;
      const handlerText =
        cleanup.handler === 'cancellation' ? 'The cancellation branch of this catch' : cleanup.handler === 'finally' ? 'This finally block' : 'This catch, which handles any error including a cancellation,';
      const via = cleanup.via ? ` (which starts ${cleanup.via})` : '';
      const because =
        cleanup.handler === 'cancellation'
          ? ''
          : cancels.length > 0
            ? ` The code cancels workflows (${relativePath(model.root, cancels[0]!.file)}:${cancels[0]!.line}).`
            : expected
              ? ' The workflow tests for cancellation elsewhere, so it is expected to be cancelled.'
              : ' This happens only if the workflow is cancelled (from the UI, the CLI, a client or a parent); nothing in the reviewed code cancels it.';
      ctx.report({
        location: cleanup.location,
        ...(expected ? {} : { severity: 'info' as const }),
        message:
          `${handlerText} in workflow ${workflows} calls ${cleanup.text}${via}, ${cleanup.what}, in the workflow's own cancellation scope. ` +
          `Once the workflow is cancelled that scope is cancelled, and the SDK rejects new work in it at once with a CancelledFailure ` +
          `without scheduling it: the cleanup never runs, and the handler throws instead of finishing.` +
          because,
        fix: `Run the cleanup in a scope that cancellation does not reach: await CancellationScope.nonCancellable(() => ${cleanup.text.replace(/^await\s+/, '')}).`,
        related: [{ ...cleanup.handlerLocation, message: cleanup.handler === 'finally' ? 'the finally block' : 'the catch clause' }],
        data: { workflows: cleanup.workflows, handler: cleanup.handler, work: cleanup.what },
      });
    }
  },
});
