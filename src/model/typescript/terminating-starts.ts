// Starts that terminate a running workflow with the same id (workflowIdReusePolicy
// TERMINATE_IF_RUNNING, or workflowIdConflictPolicy TERMINATE_EXISTING) of a workflow that continues
// as new: its work spans a chain of runs, and each such start ends the chain wherever it is. The
// policy names are the SDK's (@temporalio/common workflow-options.ts), in both spellings: the short
// one and the deprecated proto-style one (`WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING`).

import ts from 'typescript';
import { continueAsNewCalls } from './continue-as-new-calls.js';
import { shortText } from './short-text.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkflowDefinition, WorkflowStart } from './types.js';

export interface TerminatingStart {
  start: WorkflowStart;
  /** The option that terminates a running workflow, and its value as the SDK names it. */
  option: 'workflowIdReusePolicy' | 'workflowIdConflictPolicy';
  policy: 'TERMINATE_IF_RUNNING' | 'TERMINATE_EXISTING';
  optionLocation: SourceLocation;
  workflow: WorkflowDefinition;
  /** The continueAsNew call of the workflow. */
  continueAsNew: SourceLocation;
  /** The argument text when the next run gets state of this run (a cursor): `{ ...input, afterId }`; undefined when it gets the same input. */
  carried: string | undefined;
}

const POLICIES: Record<TerminatingStart['option'], { policy: TerminatingStart['policy']; names: string[] }> = {
  workflowIdReusePolicy: { policy: 'TERMINATE_IF_RUNNING', names: ['TERMINATE_IF_RUNNING', 'WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING'] },
  workflowIdConflictPolicy: { policy: 'TERMINATE_EXISTING', names: ['TERMINATE_EXISTING', 'WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING'] },
};

const cache = new WeakMap<TemporalModel, TerminatingStart[]>();

export function terminatingStartsOfChains(model: TemporalModel): TerminatingStart[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: TerminatingStart[] = [];
  for (const start of model.starts) {
    if (!start.workflowType || start.method === 'schedule' || !model.files.includes(start.location.file)) continue;
    const options = start.options;
    if (options?.kind !== 'object') continue;
    for (const option of ['workflowIdReusePolicy', 'workflowIdConflictPolicy'] as const) {
      const value = options.properties.get(option);
      if (!value || !names(value, POLICIES[option].names)) continue;
      const workflow = nearest(model.workflows.filter((w) => w.name === start.workflowType), start.location.file);
      const chain = workflow && continueAsNewOf(workflow, model);
      if (!workflow || !chain) continue;
      found.push({ start, option, policy: POLICIES[option].policy, optionLocation: value.location, workflow, continueAsNew: model.locate(chain.call), carried: chain.carried });
      break;
    }
  }
  cache.set(model, found);
  return found;
}

/** A string equal to one of the names, or an enum member written as `X.NAME`. */
function names(value: StaticValue, accepted: string[]): boolean {
  if (value.kind === 'string') return accepted.includes(value.value);
  if (value.kind === 'unknown') return accepted.some((name) => value.text.replace(/\s+/g, '').endsWith(`.${name}`));
  return false;
}

/** The first continueAsNew call in the workflow function, and what it carries into the next run. */
function continueAsNewOf(workflow: WorkflowDefinition, model: TemporalModel): { call: ts.CallExpression; carried: string | undefined } | undefined {
  const found = workflow.node.body && continueAsNewCalls(workflow.node.body, model, { intoCallbacks: true }).find((call) => ts.isCallExpression(call));
  if (!found || !ts.isCallExpression(found)) return undefined;
  const parameters = workflow.node.parameters.map((p) => p.name.getText());
  const args = found.arguments.map((a) => a.getText().replace(/\s+/g, ''));
  const same = args.length === parameters.length && args.every((a, i) => a === parameters[i]);
  return { call: found, carried: same ? undefined : shortText(found.arguments.map((a) => a.getText().replace(/\s+/g, ' ').replace(/,\s*([}\]])/g, ' $1')).join(', '), 80) };
}

/** The definition whose file shares the longest directory prefix with the start's file. */
function nearest(definitions: WorkflowDefinition[], file: string): WorkflowDefinition | undefined {
  const shared = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  return [...definitions].sort((a, b) => shared(b.file, file) - shared(a.file, file))[0];
}
