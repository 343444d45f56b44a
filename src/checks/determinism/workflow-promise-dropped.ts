// Prevents stuck workflow tasks and work cut short: an activity or child workflow call whose promise
// workflow code throws away (`void act()`, `act();`) has nobody to receive its failure. The SDK
// treats the rejection as an unhandled rejection and fails the workflow task, retried forever (a
// Temporal failure included); and the workflow can complete or continue-as-new while the call runs.

import { droppedPromises } from '../../model/typescript/sandbox/dropped-promises.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-promise-dropped',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code starts an activity or child workflow and drops its promise (void call(), or the call as a statement): a failure fails the workflow task.',
  run(ctx) {
    const model = ctx.model;
    // TypeScript promise semantics; Python coroutines that are never awaited never run.
    if (!model || model.language === 'python') return;
    for (const dropped of droppedPromises(model)) {
      const how = dropped.form === 'void' ? `discards its promise with void` : 'drops its promise (the call is a statement, not awaited)';
      ctx.report({
        location: dropped.location,
        message:
          `Workflow code calls ${dropped.kind} ${dropped.name} and ${how}: nothing awaits the result or handles a failure. ` +
          `If it fails, the SDK sees an unhandled rejection and fails the workflow task, which is retried forever; ` +
          `and the workflow can complete or continue-as-new while the ${dropped.kind} is still running.`,
        fix:
          `await the call (inside try/catch if its failure should not fail the workflow), or keep the promise and await it ` +
          `before the workflow returns (Promise.all, or .catch(handler) that logs the failure).`,
        data: { kind: dropped.kind, name: dropped.name, form: dropped.form },
      });
    }
  },
});
