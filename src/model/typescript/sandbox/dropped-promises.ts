// Activity and child workflow calls in workflow code whose promise nobody keeps: `void act()`, or
// `act();` as a statement. Nothing awaits the result or handles its rejection, so a failure
// becomes an unhandled rejection in the workflow, which fails the workflow task (even a Temporal
// failure: the SDK cannot tell it was meant to fail the workflow), and the workflow can complete or
// continue-as-new while the call is still running. A promise that is stored, returned, passed to a
// function (Promise.all, a helper) or chained with `.then`/`.catch` is left alone.

import ts from 'typescript';
import { activityOfCall } from '../observability/workflow-activity-calls.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { ActivityProxy, SourceLocation, TemporalModel } from '../types.js';

export interface DroppedPromise {
  location: SourceLocation;
  /** The call as written. */
  text: string;
  kind: 'activity' | 'local activity' | 'child workflow';
  /** The activity type or the child workflow's name. */
  name: string;
  /** How the promise is dropped. */
  form: 'void' | 'statement';
  proxy?: ActivityProxy;
}

const CHILD_CALLS = new Set(['executeChild', 'startChild']);

export function droppedPromises(model: TemporalModel): DroppedPromise[] {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const found: DroppedPromise[] = [];
  for (const file of [...model.workflowFiles].sort()) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !model.files.includes(file)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const form = droppedForm(node);
        if (form) {
          const activity = activityOfCall(node, model, proxyByNode);
          const child = activity ? undefined : childWorkflowName(node, model);
          if (activity) {
            const kind = activity.proxy.kind === 'local' ? 'local activity' : 'activity';
            found.push({ location: model.locate(node), text: node.getText(sourceFile), kind, name: activity.name, form, proxy: activity.proxy });
          } else if (child !== undefined) {
            found.push({ location: model.locate(node), text: node.getText(sourceFile), kind: 'child workflow', name: child, form });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** `void call()` or `call();`: the promise is thrown away where it is made. */
function droppedForm(call: ts.CallExpression): DroppedPromise['form'] | undefined {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  if (ts.isVoidExpression(node.parent)) {
    let outer: ts.Node = node.parent;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    return ts.isExpressionStatement(outer.parent) ? 'void' : undefined;
  }
  return ts.isExpressionStatement(node.parent) ? 'statement' : undefined;
}

/** `executeChild(shipOrder, ...)` or `workflow.startChild('shipOrder', ...)` by the SDK import: the child's name. */
function childWorkflowName(call: ts.CallExpression, model: TemporalModel): string | undefined {
  const api = model.temporalApiOf(skipOuterExpressions(call.expression));
  if (!api || !CHILD_CALLS.has(api.name)) return undefined;
  const target = call.arguments[0];
  if (!target) return undefined;
  const inner = skipOuterExpressions(target);
  return ts.isIdentifier(inner) || ts.isStringLiteralLike(inner) ? inner.text : inner.getText();
}
