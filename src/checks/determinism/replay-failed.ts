// Prevents deploying code that cannot run recorded executions at all: a workflow type missing
// from the bundle, or a payload the production data converter cannot decode, strands every open
// execution of that type after the deploy.

import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'replay-failed',
  area: 'determinism',
  severity: 'error',
  evidence: 'replay',
  needs: 'replay',
  description: 'A recorded history could not be replayed at all (workflow type missing from the bundle, undecodable payload, unreadable history).',
  run(ctx) {
    for (const result of ctx.replay?.results ?? []) {
      if (result.outcome !== 'error') continue;
      ctx.report({
        message: `History ${result.file ?? result.workflowId}${result.workflowType ? ` (${result.workflowType})` : ''} could not be replayed: ${result.message}. Open executions like it cannot make progress on workers running this code.`,
        fix: 'Export the workflow type from the workflows module the workers load, pass the production data converter and interceptors (--data-converter, --interceptors), or remove a history that is not a real execution.',
        data: { history: result.file ?? null, workflowId: result.workflowId, workflowType: result.workflowType },
      });
    }
  },
});
