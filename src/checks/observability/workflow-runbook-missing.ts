// Prevents the 3 a.m. page with no instructions: the on-call engineer has to reverse-engineer how
// a workflow type fails and how to find, reset or terminate its executions.

import { defineCheck } from '../define-check.js';
import { scanRunbooks } from '../../generate/runbook-coverage.js';
import { listNames } from '../../engine/name-list.js';
import type { WorkflowDefinition } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-runbook-missing',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow types without a runbook in the runbook folder (config runbooks.dir, default docs/runbooks): one finding listing them.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const runbooks = scanRunbooks(ctx, ctx.config.runbooks.dir);
    // One root cause, one finding: a missing runbook folder, or the types the folder lacks, with
    // every type as a related location.
    const missing = [...model.workflows].sort(bySourceOrder).filter((workflow) => !runbooks.runbookFor(workflow.name));
    if (missing.length === 0) return;
    const names = [...new Set(missing.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    const noFolder = runbooks.files.length === 0;
    const total = model.workflows.length;
    const which = missing.length === 1 ? `workflow ${names[0]}` : `${missing.length === total ? 'any of the' : `${missing.length} of the`} ${total} workflow types (${listNames(names)})`;
    ctx.report({
      location: missing[0]!.location,
      message:
        (noFolder
          ? `No runbooks: ${runbooks.dir}/ holds no Markdown file, so there is none for ${which}. `
          : `No runbook in ${runbooks.dir}/ for ${which} (no file named for ${missing.length === 1 ? 'it' : 'them'}, no heading naming ${missing.length === 1 ? 'it' : 'them'}). `) +
        'When a failure alert fires, the on-call engineer has to work out from the code which activities can fail, how to find the affected executions and whether to reset or terminate them.',
      fix: `\`temporal-preflight generate runbooks -o ${runbooks.dir}\` writes ${missing.length === 1 ? `${runbooks.dir}/${names[0]}.md` : `one runbook per workflow type into ${runbooks.dir}/`} from the code (failure modes, alerts, queries, remediation); review and keep it with the code.`,
      related: missing.map((w) => ({ ...w.location, message: `${w.name}: no runbook` })),
      data: { workflowTypes: names, runbookDir: runbooks.dir, runbookFolderEmpty: noFolder },
    });
  },
});

function bySourceOrder(a: WorkflowDefinition, b: WorkflowDefinition): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.name.localeCompare(b.name);
}
