// Prevents the 3 a.m. page with no instructions: the on-call engineer has to reverse-engineer how
// a workflow type fails and how to find, reset or terminate its executions.

import { defineCheck } from '../define-check.js';
import { scanRunbooks } from '../../generate/runbook-coverage.js';

export default defineCheck({
  id: 'workflow-runbook-missing',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No runbook for a workflow type in the runbook folder (config runbooks.dir, default docs/runbooks).',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const runbooks = scanRunbooks(ctx, ctx.config.runbooks.dir);
    for (const workflow of [...model.workflows].sort((a, b) => a.name.localeCompare(b.name))) {
      if (runbooks.runbookFor(workflow.name)) continue;
      ctx.report({
        location: workflow.location,
        message:
          `No runbook for workflow ${workflow.name} in ${runbooks.dir}/ (no file named for it, no heading naming it). ` +
          'When its failure alert fires, the on-call engineer has to work out from the code which activities can fail, how to find the affected executions and whether to reset or terminate them.',
        fix: `\`temporal-preflight generate runbooks -o ${runbooks.dir}\` writes ${runbooks.dir}/${workflow.name}.md from the code (failure modes, alerts, queries, remediation); review and keep it with the code.`,
        data: { workflowType: workflow.name, runbookDir: runbooks.dir },
      });
    }
  },
});
