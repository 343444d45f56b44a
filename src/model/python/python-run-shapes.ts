// What in a Python workflow class can keep a run open with no bound of its own, the facts
// ../typescript/workflow-run-shape.ts reads for TypeScript (the rule is in
// engine/activity-policy/workflow-run-bound.ts): `workflow.wait_condition(fn)` with no timeout
// (not raced by `asyncio.wait_for`), `workflow.continue_as_new(...)`, a child started with no
// execution_timeout or run_timeout, and the history loops nothing bounds (python-history-loops.ts,
// the reading workflow-unbounded-history makes). The whole class is read, every method of it.

import type { HistoryLoopFacts, WorkflowRunShapeFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, locateNode } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

const WAIT_CONDITION = 'temporalio.workflow.wait_condition';
const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const CHILDREN = new Set(['temporalio.workflow.execute_child_workflow', 'temporalio.workflow.start_child_workflow']);
const WAIT_FOR = 'asyncio.wait_for';

export function pythonRunShapes(workflows: PythonWorkflow[], modules: PythonModules, historyLoops: HistoryLoopFacts[]): WorkflowRunShapeFacts[] {
  return workflows.map((workflow) => {
    const shape: WorkflowRunShapeFacts = { workflow: workflow.name, untimedWaits: [], continuesAsNew: [], untimedChildren: [], unboundedLoops: [] };
    for (const call of workflow.node.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      const name = callee ? modules.qualifiedName(workflow.file, callee) : undefined;
      if (!call || !name) continue;
      const args = callArguments(call);
      if (name === WAIT_CONDITION && !given(args.keywords.get('timeout')) && args.spreads.length === 0 && !racedByWaitFor(call, workflow.file, modules)) {
        shape.untimedWaits.push({ location: locateNode(workflow.file, call), text: 'workflow.wait_condition() with no timeout' });
      } else if (name === CONTINUE_AS_NEW) {
        shape.continuesAsNew.push({ location: locateNode(workflow.file, call) });
      } else if (CHILDREN.has(name) && !given(args.keywords.get('execution_timeout')) && !given(args.keywords.get('run_timeout'))) {
        shape.untimedChildren.push({ location: locateNode(workflow.file, call), text: args.positional[0]?.text ?? 'a child workflow' });
      }
    }
    shape.unboundedLoops = historyLoops
      .filter((loop) => loop.workflow === workflow.name && loop.location.file === workflow.file && loop.bound.kind !== 'bounded')
      .map((loop) => ({ location: loop.location, text: loop.text }));
    return shape;
  });
}

/** A keyword argument written with a value other than None. */
function given(value: PythonNode | undefined): boolean {
  return value !== undefined && value.text !== 'None';
}

/** `asyncio.wait_for(workflow.wait_condition(...), timeout)`: the wait is raced by a timeout. */
function racedByWaitFor(call: PythonNode, file: string, modules: PythonModules): boolean {
  let node = call.parent;
  while (node?.type === 'parenthesized_expression') node = node.parent;
  if (node?.type !== 'argument_list') return false;
  const outer = node.parent;
  const callee = outer?.type === 'call' ? outer.childForFieldName('function') : null;
  return !!callee && modules.qualifiedName(file, callee) === WAIT_FOR;
}
