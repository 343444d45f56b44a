// Points at a workflow loop whose only continue-as-new trigger is a counter incremented on the
// success path of a try, while the catch lets the loop go round again. During an outage of what
// the work depends on, every round adds failed activity events (and its timer) to the history and
// the counter stands still, so the run never rolls over and the history grows towards the server's
// limit exactly when things are already going wrong. A warning: the loop looks bounded, and
// workflow-unbounded-history leaves it alone because it calls continueAsNew.

import { defineCheck } from '../define-check.js';
import { successCountedRollovers } from '../../model/typescript/payload-types/success-counted-rollover.js';

export default defineCheck({
  id: 'continue-as-new-counts-successes',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow loop continues as new after a count of successful rounds only: while the work keeps failing, the history grows and never rolls over',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of successCountedRollovers(model)) {
      const growth = [...new Set(hit.growth.map((g) => `${g.kind} ${g.name}`))].join(', ');
      const where = hit.functionName ? `${hit.functionName}'s loop` : 'This workflow loop';
      ctx.report({
        location: hit.location,
        message:
          `${where} continues as new only when \`${hit.condition}\` (line ${hit.conditionLocation.line}), and ${hit.counter} goes up only after the work in the try block succeeds; ` +
          `the catch (line ${hit.catchLocation.line}) lets the loop go round again without counting. ` +
          `The ${hit.failsOver} gives up in bounded time, so while it keeps failing (an outage of what it depends on) every round still adds to the history (${growth}) and the run never rolls over: ` +
          'the history grows towards the 51,200-event / 50 MiB limit, where the server terminates the workflow, just when things are already going wrong.',
        fix:
          `Count rounds rather than successes (increment ${hit.counter} before the try, or in a finally), or continue as new when workflowInfo().continueAsNewSuggested is true (or workflowInfo().historyLength passes a limit).`,
        related: [
          { ...hit.conditionLocation, message: 'the only condition that triggers continue-as-new' },
          { ...hit.catchLocation, message: 'a failure is caught here and the loop goes on without counting' },
          { ...hit.loop, message: 'the loop' },
        ],
        data: { counter: hit.counter, failsOver: hit.failsOver, condition: hit.condition, ...(hit.functionName ? { function: hit.functionName } : {}), growth: hit.growth.map((g) => ({ kind: g.kind, name: g.name })) },
      });
    }
  },
});
