// Prevents children killed midway by their own parent: a child started with startChild runs on
// after the call returns, and when the parent's run closes the server applies the child's
// parentClosePolicy, TERMINATE unless set. Continue-as-new closes the run too: the policy applies
// to the run, not to the chain of runs (temporalio/temporal#3666), so a parent that starts
// children and then continues as new terminates every child still running, midway through its work.
// The Python front-end reads the starts itself (python-child-close.ts): a start_child_workflow whose
// handle is dropped, in a workflow that continues as new or returns.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { continueAsNewCalls } from '../../model/typescript/continue-as-new-calls.js';
import type { StaticValue } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';

export default defineCheck({
  id: 'workflow-child-terminated-on-close',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow starts a child with startChild and the default parentClosePolicy (TERMINATE), then continues as new (or, in Python, returns) without waiting for it: the child is terminated midway',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const hit of python.terminatedChildren ?? []) {
        const closes = hit.closeKind === 'continue-as-new' ? 'continues as new' : 'can complete';
        const closeAt = `${relative(ctx.root, hit.close.file)}:${hit.close.line}`;
        ctx.report({
          location: hit.start,
          message:
            `Workflow ${hit.workflow} starts child ${hit.child} with start_child_workflow and ${hit.policy === 'default' ? 'no parent_close_policy (the default is TERMINATE)' : `parent_close_policy ${hit.policy}`}, ` +
            `drops the handle, and ${closes} (${closeAt}) without waiting for the child. ` +
            `${hit.closeKind === 'continue-as-new' ? 'Continue-as-new closes the run, and the server applies the parent close policy to the run, not to the chain of runs' : 'When the run completes, the server applies the parent close policy to every child still open'}: ` +
            `every ${hit.child} still running is ${hit.policy === 'REQUEST_CANCEL' ? 'asked to cancel' : 'terminated'} midway through its work, with no failure in the parent and no cleanup in the child.`,
          fix:
            'Pass parent_close_policy=workflow.ParentClosePolicy.ABANDON to start_child_workflow (and keep the child ids, for example in the continue-as-new input, if the parent must follow them), ' +
            "or await the child's handle before the run closes.",
          related: [{ ...hit.close, message: hit.closeKind === 'continue-as-new' ? 'continues as new, closing the run' : 'the run completes here, closing it' }],
          data: { workflow: hit.workflow, child: hit.child, parentClosePolicy: hit.policy === 'default' ? null : hit.policy, closes: hit.closeKind },
        });
      }
      return;
    }
    for (const workflow of model.workflows) {
      if (!model.files.includes(workflow.file)) continue;
      const continueAt = workflow.node.body && continueAsNewCalls(workflow.node.body, model, { intoCallbacks: true })[0];
      if (!continueAt) continue;
      for (const start of model.starts) {
        if (start.method !== 'startChild' || !inside(start.node, workflow.node)) continue;
        const policy = closePolicy(start.options);
        if (policy === 'abandon' || policy === 'unknown') continue;
        if (resultAwaited(start.node)) continue;
        const child = start.workflowType ?? start.workflowTypeText;
        const continueLocation = model.locate(continueAt);
        ctx.report({
          location: start.location,
          message:
            `Workflow ${workflow.name} starts child ${child} with startChild and ${policy === 'default' ? 'no parentClosePolicy (the default is TERMINATE)' : `parentClosePolicy ${policy}`}, ` +
            `then continues as new (${relative(ctx.root, continueLocation.file)}:${continueLocation.line}) without waiting for the child's result. ` +
            `Continue-as-new closes the run, and the server applies the parent close policy to the run, not to the chain of runs: every ${child} still running is ` +
            `${policy === 'REQUEST_CANCEL' ? 'asked to cancel' : 'terminated'} midway through its work, with no failure in the parent and no cleanup in the child.`,
          fix:
            `Set parentClosePolicy: ParentClosePolicy.ABANDON on the start (and keep the child ids, for example in the continue-as-new input, if the parent must follow them), ` +
            `or await the children's results before continuing as new.`,
          related: [{ ...continueLocation, message: 'continues as new, closing the run' }],
          data: { workflow: workflow.name, child, parentClosePolicy: policy === 'default' ? null : policy },
        });
      }
    }
  },
});

/** 'default' (unset: TERMINATE), 'TERMINATE', 'REQUEST_CANCEL', 'abandon', or 'unknown' when it cannot be read. */
function closePolicy(options: StaticValue | undefined): 'default' | 'TERMINATE' | 'REQUEST_CANCEL' | 'abandon' | 'unknown' {
  if (!options || options.kind !== 'object') return 'unknown';
  const value = options.properties.get('parentClosePolicy') ?? options.maybeProperties?.get('parentClosePolicy');
  if (!value) return options.unknownSpreads.some((spread) => !spread.keys || spread.keys.includes('parentClosePolicy')) ? 'unknown' : 'default';
  const text = value.kind === 'string' ? value.value : value.kind === 'unknown' ? value.text : value.kind === 'number' ? String(value.value) : '';
  if (/ABANDON/.test(text) || text === '2') return 'abandon';
  if (/REQUEST_CANCEL/.test(text) || text === '3') return 'REQUEST_CANCEL';
  if (/TERMINATE/.test(text) || text === '1') return 'TERMINATE';
  return 'unknown';
}

/**
 * The handle's result is awaited somewhere: `const h = await startChild(...); ... await h.result()`,
 * or the handles are collected and their results awaited (any `.result()` on the variable, or on
 * the array it is pushed into, counts).
 */
function resultAwaited(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  // `await startChild(...)` as a statement, or `void startChild(...)`: the handle is dropped.
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return false;
  // Anything else (a variable, an array, a return) may lead to `.result()`: look for one in the
  // enclosing function (and the functions around it).
  let scope: ts.Node | undefined = call.parent;
  while (scope && !(ts.isFunctionLike(scope) && !ts.isArrowFunction(scope) && !ts.isFunctionExpression(scope))) scope = scope.parent;
  const body = scope ?? call.getSourceFile();
  return /\.result\(\)/.test(body.getText());
}

function inside(node: ts.Node, container: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === container) return true;
  return false;
}

