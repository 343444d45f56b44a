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

/**
 * Stricter than startAwaitsResult: the same code path awaits the result, so a failed run reaches
 * it as an exception: `await client.workflow.execute(...)`, `await client.workflow.start(...).then((h) => h.result())`,
 * or `const handle = await client.workflow.start(...)` followed by `await handle.result()` in a
 * statement of the same block (not in a branch, a loop or a nested function). Returns how the
 * wait is written, for messages; undefined for any other shape (a start whose handle is handed on,
 * an execute() that is not awaited, a wait under an `if`).
 */
export function startAwaitedForResult(start: WorkflowStart): string | undefined {
  if (start.child || (start.method !== 'execute' && start.method !== 'start')) return undefined;
  let outer: ts.Node = start.node;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) outer = outer.parent;
  if (start.method === 'execute') return outer.parent && ts.isAwaitExpression(outer.parent) ? 'await client.workflow.execute(...)' : undefined;
  const parent = outer.parent;
  // await client.workflow.start(...).then((handle) => handle.result())
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name.text === 'then' && ts.isCallExpression(parent.parent)) {
    const callback = parent.parent.arguments[0];
    const up = skipParents(parent.parent);
    const awaited = !!up && ts.isAwaitExpression(up);
    if (awaited && callback && ts.isArrowFunction(callback) && !ts.isBlock(callback.body) && isResultCall(callback.body, callback.parameters[0]?.name)) return 'await client.workflow.start(...).then((handle) => handle.result())';
    return undefined;
  }
  // const handle = await client.workflow.start(...); ... await handle.result();
  if (!parent || !ts.isAwaitExpression(parent)) return undefined;
  const declaration = skipParents(parent);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const statement = declaration.parent?.parent;
  if (!statement || !ts.isVariableStatement(statement) || (!ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent))) return undefined;
  const siblings = statement.parent.statements;
  const handle = declaration.name.text;
  for (const later of siblings.slice(siblings.indexOf(statement) + 1)) {
    const expression = ts.isExpressionStatement(later)
      ? later.expression
      : ts.isReturnStatement(later)
        ? later.expression
        : ts.isVariableStatement(later) && later.declarationList.declarations.length === 1
          ? later.declarationList.declarations[0]!.initializer
          : undefined;
    if (!expression) continue;
    const awaited = ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? expression.right : expression;
    const inner = ts.isAwaitExpression(awaited) ? awaited.expression : undefined;
    if (inner && isResultCall(skipOuterExpressions(inner), declaration.name)) return `const ${handle} = await client.workflow.start(...); await ${handle}.result()`;
  }
  return undefined;
}

function skipParents(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current))) current = current.parent;
  return current;
}

/** `<name>.result()`. */
function isResultCall(node: ts.Node, name: ts.BindingName | undefined): boolean {
  if (!name || !ts.isIdentifier(name) || !ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'result' && ts.isIdentifier(callee.expression) && callee.expression.text === name.text;
}
