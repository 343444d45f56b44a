// A handler that only logs: every statement is a logger or console call (or a bare `return`), with
// no throw, exit, retry or other work. Shared by the checks that report a failure caught and only logged.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';

const LOG_METHODS = /^(error|warn|warning|info|debug|log|fatal|trace|exception|captureException|captureMessage|critical)$/;

/** Every statement logs (a logger or console call), or returns nothing: no throw, exit, or other work. */
export function onlyLogs(body: ts.ConciseBody): boolean {
  if (!ts.isBlock(body)) return isLogCall(body);
  return statementsOnlyLog(body.statements);
}

function statementsOnlyLog(statements: readonly ts.Statement[]): boolean {
  return statements.every((statement) => {
    if (ts.isReturnStatement(statement)) return statement.expression === undefined;
    return ts.isExpressionStatement(statement) && isLogCall(statement.expression);
  });
}

/** True when the block logs or returns and, besides, only declares locals from the error (`const err = error as Error`). */
export function onlyLogsAfterLocals(block: ts.Block): boolean {
  const statements = block.statements.filter((statement) => !(ts.isVariableStatement(statement) && statement.declarationList.declarations.every(plainLocal)));
  return statementsOnlyLog(statements);
}

/** `const err = error as Error`, `const message = e instanceof Error ? e.message : String(e)`: no call but String(), no `new`, no await. */
function plainLocal(declaration: ts.VariableDeclaration): boolean {
  if (!declaration.initializer) return true;
  let plain = true;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && !(ts.isIdentifier(node.expression) && node.expression.text === 'String')) plain = false;
    if (ts.isNewExpression(node) || ts.isAwaitExpression(node)) plain = false;
    if (plain) ts.forEachChild(node, visit);
  };
  visit(declaration.initializer);
  return plain;
}

function isLogCall(expression: ts.Expression): boolean {
  let call = skipOuterExpressions(expression);
  if (ts.isVoidExpression(call) || ts.isAwaitExpression(call)) call = skipOuterExpressions(call.expression);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && LOG_METHODS.test(callee.name.text) && !/process/.test(callee.expression.getText());
}
