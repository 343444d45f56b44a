// Prevents work that never finishes: a start with workflowIdReusePolicy TERMINATE_IF_RUNNING (or
// workflowIdConflictPolicy TERMINATE_EXISTING) terminates the running workflow with the same id. For
// a workflow that continues as new, the running one is a chain of runs part way through its work;
// the new start kills it there and begins again from its own input. When starts come more often
// than a chain takes to finish, no chain ever finishes, and the activities running at the moment of
// the termination are cut off midway.

import { defineCheck } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { terminatingStartsOfChains } from '../../model/typescript/terminating-starts.js';

export default defineCheck({
  id: 'workflow-start-terminates-chain',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A start with TERMINATE_IF_RUNNING (or TERMINATE_EXISTING) of a workflow that continues as new: each start kills the running chain midway and starts over; info when the next run gets the same input.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of terminatingStartsOfChains(model)) {
      const workflow = hit.workflow.name;
      const at = `${relativePath(model.root, hit.continueAsNew.file)}:${hit.continueAsNew.line}`;
      const chain = hit.carried
        ? `Workflow ${workflow} continues as new (${at}) and hands its progress to the next run (${hit.carried}), so its work spans a chain of runs. ` +
          `A start while a chain is running kills it midway, and the new chain starts again from the beginning of its own input: ` +
          `when starts come more often than a chain takes, no chain ever finishes.`
        : `Workflow ${workflow} continues as new (${at}), so one execution is a chain of runs; a start while it is running kills the chain wherever it is.`;
      ctx.report({
        location: hit.start.location,
        ...(hit.carried ? {} : { severity: 'info' as const }),
        message:
          `This start sets ${hit.option} ${hit.policy}: when a workflow with the same id is running, the server terminates it and starts this one. ` +
          chain +
          ` Activities running at that moment are cut off midway (termination does not let them or the workflow clean up).`,
        fix:
          `Let the running chain finish: set workflowIdConflictPolicy USE_EXISTING (or FAIL, and treat WorkflowExecutionAlreadyStartedError as "already running"), ` +
          `or use signalWithStart and have the running workflow take the new request into its chain.`,
        related: [
          { ...hit.optionLocation, message: `${hit.option}: ${hit.policy}` },
          { ...hit.continueAsNew, message: `workflow ${workflow} continues as new` },
        ],
        data: { workflowType: workflow, option: hit.option, policy: hit.policy, carriesProgress: hit.carried !== undefined },
      });
    }
  },
});
