// Prevents cleanup that silently never runs: after a workflow is cancelled, an activity, timer or
// child started in its (cancelled) root scope is rejected at once with a CancelledFailure, so the
// compensation in a catch or finally is skipped (see cancelled-scope-cleanup.ts for the SDK facts).
// Filed under determinism, the area of how workflow code behaves in the SDK's workflow runtime
// (sandbox, thrown errors, scopes); the timeouts area is about activity options and heartbeats.

import { defineCheck } from '../define-check.js';
import { cancelledScopeCleanups } from '../../model/typescript/cancelled-scope-cleanup.js';
import { cancellerOf, type Canceller } from '../../model/typescript/workflow-cancellers.js';

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
    for (const cleanup of cleanups) {
      const workflows = cleanup.workflows.join(', ');
      // Who cancels THIS workflow type decides the severity: a cancel of this type (or of a parent
      // that passes it on) makes the lost cleanup certain; a cancel of a workflow whose type is
      // not known, or none at all (an operator may still cancel it), makes it info. A branch that
      // tests for cancellation is written to run on it: a warning whoever cancels.
      const cancellers = cleanup.workflows.map((name) => cancellerOf(model, name)).filter((c): c is Canceller => c !== null);
      const canceller = cancellers.find((c) => c.kind === 'cancelled') ?? cancellers[0];
      const expected = cleanup.handler === 'cancellation' || canceller?.kind === 'cancelled';
      const handlerText =
        cleanup.handler === 'cancellation' ? 'The cancellation branch of this catch' : cleanup.handler === 'finally' ? 'This finally block' : 'This catch, which handles any error including a cancellation,';
      const via = cleanup.via ? ` (which starts ${cleanup.via})` : '';
      const outcome = cleanup.caught
        ? 'the cleanup never runs (its rejection is caught, so the handler goes on without it).'
        : 'the cleanup never runs, and the handler throws instead of finishing.';
      const because = !canceller
        ? cleanup.handler === 'cancellation'
          ? ''
          : ' This happens only if it is cancelled (from the UI or CLI; nothing in the code cancels it).'
        : canceller.kind === 'cancelled'
          ? ` The code cancels it: ${canceller.how}.`
          : ` Whether the code cancels it here is not known: ${canceller.how}; otherwise only an operator (UI, CLI) cancels it.`;
      ctx.report({
        location: cleanup.location,
        ...(expected ? {} : { severity: 'info' as const }),
        message:
          `${handlerText} in workflow ${workflows} calls ${cleanup.text}${via}, ${cleanup.what}, in the workflow's own cancellation scope. ` +
          `Once the workflow is cancelled that scope is cancelled, and the SDK rejects new work in it at once with a CancelledFailure ` +
          `without scheduling it: ${outcome}` +
          because,
        fix: `Run the cleanup in a scope that cancellation does not reach: await CancellationScope.nonCancellable(() => ${cleanup.text.replace(/^await\s+/, '')}).`,
        related: [{ ...cleanup.handlerLocation, message: cleanup.handler === 'finally' ? 'the finally block' : 'the catch clause' }],
        data: { workflows: cleanup.workflows, handler: cleanup.handler, work: cleanup.what, cancelledBy: canceller?.kind ?? 'nothing in the code' },
      });
    }
  },
});
