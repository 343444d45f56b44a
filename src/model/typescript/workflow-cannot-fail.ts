// A workflow whose run cannot end as Failed: its whole body sits in a try whose catch returns a
// value without throwing, so every error its steps raise becomes a normal result. Only set-up
// statements may come before the try (a declaration without await, a setHandler or log call); no
// throw, await or rethrow in the catch or the finally. Such a workflow swallows its failures
// (workflow-failure-swallowed reports that); an alert on its failures could never fire.

import ts from 'typescript';
import { isLogCall } from './swallowed-failures.js';
import { containsAwait } from './loop-shape.js';

export function workflowCannotFail(fn: ts.Node): boolean {
  const body = functionBody(fn);
  if (!body) return false;
  const statements = [...body.statements];
  const tries = statements.filter(ts.isTryStatement);
  if (tries.length !== 1) return false;
  const at = statements.indexOf(tries[0]!);
  if (at !== statements.length - 1) return false; // code after the try runs outside it
  if (!statements.slice(0, at).every(isSetUp)) return false;
  const statement = tries[0]!;
  const clause = statement.catchClause;
  if (!clause) return false;
  const handler = clause.block.statements;
  const last = handler[handler.length - 1];
  if (!last || !ts.isReturnStatement(last)) return false;
  if (mayThrow(clause.block) || (statement.finallyBlock && mayThrow(statement.finallyBlock))) return false;
  return true;
}

function functionBody(fn: ts.Node): ts.Block | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn)) && fn.body && ts.isBlock(fn.body)) return fn.body;
  if (ts.isVariableDeclaration(fn) && fn.initializer) return functionBody(fn.initializer);
  return undefined;
}

/** A statement before the try that does not throw in practice. */
function isSetUp(statement: ts.Statement): boolean {
  if (ts.isVariableStatement(statement)) return !containsAwait(statement);
  if (ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression)) {
    if (isLogCall(statement.expression)) return true;
    const callee = statement.expression.expression;
    return ts.isIdentifier(callee) && callee.text === 'setHandler' && !containsAwait(statement);
  }
  return false;
}

/** A throw, an await (an activity or child that fails), or a call that is not logging. */
function mayThrow(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node) || ts.isAwaitExpression(node)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}
