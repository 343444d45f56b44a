// Whether the code that starts a workflow waits for its result: `client.workflow.execute(...)`,
// `start(...).then((handle) => handle.result())`, or `const handle = await start(...)` followed by
// `handle.result()` in the same function. The caller (an HTTP handler, a script) then gets the
// result or the failure itself, so the run does not have to be found afterwards.

import ts from 'typescript';
import { skipOuterExpressions } from '../temporal-api.js';
import type { WorkflowStart } from '../types.js';

export function startAwaitsResult(start: WorkflowStart): string | undefined {
  if (start.child) return undefined;
  if (start.method === 'execute') return 'execute() waits for the result';
  if (start.method !== 'start') return undefined;
  let outer: ts.Node = start.node;
  while (outer.parent && (ts.isAwaitExpression(outer.parent) || ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent))) outer = outer.parent;
  // start(...).then((handle) => handle.result())
  const parent = outer.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name.text === 'then' && ts.isCallExpression(parent.parent)) {
    const callback = parent.parent.arguments[0];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && callsResult(callback.body, callback.parameters[0]?.name)) {
      return 'the handle it returns is awaited for its result';
    }
  }
  // const handle = await start(...); ... handle.result()
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) {
    const scope = enclosingFunctionBody(parent);
    if (scope && callsResult(scope, parent.name)) return `it waits for ${parent.name.text}.result()`;
  }
  return undefined;
}

/** True when `body` calls `<name>.result()`. */
function callsResult(body: ts.Node, name: ts.BindingName | undefined): boolean {
  if (!name || !ts.isIdentifier(name)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'result' && ts.isIdentifier(callee.expression) && callee.expression.text === name.text) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

function enclosingFunctionBody(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return 'body' in current ? current.body : undefined;
    if (ts.isSourceFile(current)) return current;
  }
  return undefined;
}
