// Points the on-call engineer at instructions: without a runbook they reverse-engineer from the
// code how a workflow type fails and how to find, reset or terminate its executions. Whether a
// team keeps runbooks per workflow type is process advice, not a Temporal failure mode: info.

import { defineCheck } from '../define-check.js';
import { scanRunbooks, type RunbookScan } from '../../generate/runbook-coverage.js';
import { listNames } from '../../engine/name-list.js';
import { operatedWorkflowTypes } from '../../model/workflow-types.js';
import type { WorkflowDefinition } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-runbook-missing',
  area: 'observability',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow types without a runbook (in config runbooks.dir, default docs/runbooks, or a Markdown runbook elsewhere that mentions them): one note listing them.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const runbooks = scanRunbooks(ctx, ctx.config.runbooks.dir);
    // One root cause, one finding: the types no runbook covers, with every type as a related location.
    const sorted = operatedWorkflowTypes(model.workflows).sort(bySourceOrder);
    const missing = sorted.filter((workflow) => !runbooks.runbookFor(workflow.name));
    if (missing.length === 0) return;
    const names = [...new Set(missing.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    const coveredElsewhere = new Map<string, string>();
    for (const workflow of sorted) {
      const file = runbooks.runbookFor(workflow.name);
      if (file && runbooks.elsewhere.includes(file)) coveredElsewhere.set(workflow.name, file);
    }
    const noFolder = runbooks.files.length === 0;
    const total = sorted.length;
    const which = missing.length === 1 ? `workflow ${names[0]}` : `${missing.length === total ? 'any of the' : `${missing.length} of the`} ${total} workflow types (${listNames(names)})`;
    const them = missing.length === 1 ? 'it' : 'them';
    ctx.report({
      location: missing[0]!.location,
      message:
        `No runbook found for ${which}: ` +
        (noFolder
          ? `${runbooks.dir}/ (config runbooks.dir) holds no Markdown file`
          : `no file in ${runbooks.dir}/ (config runbooks.dir) is named for ${them} or has a heading naming ${them}`) +
        `${elsewhereText(runbooks, coveredElsewhere, them)}. ` +
        'A runbook tells the on-call engineer which activities can fail, how to find the affected executions and whether to reset or terminate them; whether the team keeps one per workflow type is its own call.',
      fix:
        `\`temporal-preflight generate runbooks\` writes ${missing.length === 1 ? `${runbooks.dir}/${names[0]}.md` : `one runbook per workflow type into ${runbooks.dir}/`} from the code (failure modes, alerts, queries, remediation; \`-o <folder>\` writes elsewhere); ` +
        'if your runbooks live in another folder, set runbooks.dir in the config to it.',
      related: missing.map((w) => ({ ...w.location, message: `${w.name}: no runbook` })),
      data: {
        workflowTypes: names,
        runbookDir: runbooks.dir,
        runbookFolderEmpty: noFolder,
        runbooksElsewhere: runbooks.elsewhere,
        coveredElsewhere: Object.fromEntries(coveredElsewhere),
      },
    });
  },
});

/** "; 1 runbook elsewhere (ops/RUNBOOK.md) covers checkout but not them" and the like. */
function elsewhereText(runbooks: RunbookScan, covered: Map<string, string>, them: string): string {
  if (runbooks.elsewhere.length === 0) return '';
  const files = `${runbooks.elsewhere.length} Markdown ${runbooks.elsewhere.length === 1 ? 'runbook' : 'runbooks'} elsewhere (${listNames(runbooks.elsewhere, 4)})`;
  if (covered.size === 0) return `, and the ${files} ${runbooks.elsewhere.length === 1 ? 'does' : 'do'} not mention ${them}`;
  const byFile = [...covered].map(([type, file]) => `${type} in ${file}`);
  return `; the ${files} cover ${listNames(byFile, 6)}, not ${them}`;
}

function bySourceOrder(a: WorkflowDefinition, b: WorkflowDefinition): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.name.localeCompare(b.name);
}
