// Prevents workflows the server terminates for history size: a loop that keeps scheduling
// activities, timers or child workflows (or waiting for signals) without continue-as-new grows the
// history until the 51,200-event / 50 MiB limit.

import { defineCheck } from '../define-check.js';
import { unboundedLoops } from '../../model/typescript/payload-types/index.js';

export default defineCheck({
  id: 'workflow-unbounded-history',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow loops over activities, timers, children or signals with no continue-as-new',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const workflow of model.workflows) {
      for (const loop of unboundedLoops(model, workflow)) {
        const growth = [...new Set(loop.growth.map((g) => `${g.kind} ${g.name}`))].join(', ');
        ctx.report({
          location: loop.location,
          message:
            `Workflow ${workflow.name} loops (\`${loop.text}\`) with no fixed bound and no continue-as-new, and every iteration adds to its history (${growth}). ` +
            'The history grows until the server terminates the workflow at 51,200 events or 50 MiB, and every replay and cache miss gets slower on the way.',
          fix:
            'Call continueAsNew when workflowInfo().continueAsNewSuggested is true (or after a fixed number of iterations), passing the state the next run needs as its input.',
          related: loop.growth.slice(0, 3).map((g) => ({ ...g.location, message: `${g.kind} ${g.name}` })),
          data: { workflow: workflow.name, growth: loop.growth.map((g) => ({ kind: g.kind, name: g.name })) },
        });
      }
    }
  },
});
