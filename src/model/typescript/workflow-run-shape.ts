// What in a TypeScript workflow's code can keep a run open with no bound of its own, for the rule
// in engine/activity-policy/workflow-run-bound.ts: waits with no timeout (`condition(fn)`, an
// awaited `Trigger`), continue-as-new (the chain goes on), child workflows started without an
// execution or run timeout, and loops that nothing bounds (payload-types/unbounded-loops.ts, the
// reading workflow-unbounded-history makes). The workflow function and the project functions it
// calls (three calls deep) are read, callbacks included. Python computes the same facts in
// model/python/python-run-shapes.ts.

import ts from 'typescript';
import type { StaticValue, WorkflowRunShapeFacts } from '../types.js';
import { continueAsNewCalls } from './continue-as-new-calls.js';
import { locate } from './locate.js';
import { unboundedLoops } from './payload-types/index.js';
import { projectFunctionsReachedFrom } from './reached-functions.js';
import type { TemporalModel } from './types.js';

const HELPER_DEPTH = 3;

/** The run shape of each workflow the model defines. */
export function workflowRunShapes(model: TemporalModel): WorkflowRunShapeFacts[] {
  return model.workflows.map((workflow) => {
    const functions = [...projectFunctionsReachedFrom(workflow.node, model, HELPER_DEPTH)];
    const untimedWaits: WorkflowRunShapeFacts['untimedWaits'] = [];
    const continuesAsNew: WorkflowRunShapeFacts['continuesAsNew'] = [];
    for (const fn of functions) {
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'condition' && node.arguments.length < 2) {
          untimedWaits.push({ location: locate(node), text: 'condition() with no timeout' });
        }
        if (ts.isNewExpression(node) && model.temporalApiOf(node.expression)?.name === 'Trigger') {
          untimedWaits.push({ location: locate(node), text: 'a Trigger, which waits until something resolves it' });
        }
        ts.forEachChild(node, visit);
      };
      visit(fn);
      for (const call of continueAsNewCalls(fn, model, { intoCallbacks: true })) continuesAsNew.push({ location: locate(call) });
    }
    const within = (node: ts.Node) => functions.some((fn) => node.pos >= fn.pos && node.end <= fn.end && node.getSourceFile() === fn.getSourceFile());
    const untimedChildren = model.starts
      .filter((start) => start.child && within(start.node) && !timedChild(start.options))
      .map((start) => ({ location: start.location, text: start.workflowType ?? start.workflowTypeText }));
    const unboundedLoopsOf = unboundedLoops(model, workflow)
      .filter((loop) => loop.bound.kind !== 'bounded')
      .map((loop) => ({ location: loop.location, text: loop.text }));
    return { workflow: workflow.name, untimedWaits, continuesAsNew, untimedChildren, unboundedLoops: unboundedLoopsOf };
  });
}

/** A child start whose options, as written, set an execution or run timeout. */
function timedChild(options: StaticValue | undefined): boolean {
  if (options?.kind !== 'object') return false;
  return ['workflowExecutionTimeout', 'workflowRunTimeout'].some((key) => {
    const value = options.properties.get(key);
    return value !== undefined && value.kind !== 'undefined' && value.kind !== 'null';
  });
}
