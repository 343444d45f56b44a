// Whether a catch lets the error it caught out again: a `catch (err)` block or a `.catch(handler)`
// / `.then(_, handler)` handler that rethrows the caught value as it is (`throw err`,
// `return Promise.reject(err)`) passes it on; one that wraps it (ApplicationFailure.fromError(err)),
// returns a fallback or logs it handles it. Only unconditional rethrows count: a rethrow under an
// `if` usually lets through the Temporal failures, which the reviewer cannot tell from the rest.

import ts from 'typescript';

/** True when the catch block rethrows its error unconditionally (a top-level `throw err`). */
export function catchRethrowsError(clause: ts.CatchClause): boolean {
  const binding = clause.variableDeclaration?.name;
  if (!binding || !ts.isIdentifier(binding)) return false;
  return clause.block.statements.some((statement) => rethrows(statement, binding.text));
}

/** The handler of `p.catch(handler)` or `p.then(onFulfilled, handler)`, if the call is one. */
export function promiseCatchHandler(call: ts.CallExpression): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  if (method === 'catch') return call.arguments[0];
  if (method === 'then') return call.arguments[1];
  return undefined;
}

/**
 * True when the handler passes the rejection on unchanged, or when the reviewer cannot read it
 * (a reference to a function elsewhere): then the chain is not taken to handle anything.
 */
export function catchHandlerKeepsError(handler: ts.Expression): boolean {
  const fn = skipParentheses(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return true;
  const parameter = fn.parameters[0]?.name;
  if (!parameter) return false;
  if (!ts.isIdentifier(parameter)) return true;
  if (!ts.isBlock(fn.body)) return isRejectionOf(fn.body, parameter.text);
  return fn.body.statements.some((statement) => rethrows(statement, parameter.text));
}

function rethrows(statement: ts.Statement, name: string): boolean {
  if (ts.isThrowStatement(statement)) return isName(statement.expression, name);
  if (ts.isReturnStatement(statement) && statement.expression) return isRejectionOf(statement.expression, name);
  return false;
}

/** `Promise.reject(err)`. */
function isRejectionOf(expression: ts.Expression, name: string): boolean {
  const inner = skipParentheses(expression);
  return (
    ts.isCallExpression(inner) &&
    ts.isPropertyAccessExpression(inner.expression) &&
    inner.expression.name.text === 'reject' &&
    ts.isIdentifier(inner.expression.expression) &&
    inner.expression.expression.text === 'Promise' &&
    inner.arguments[0] !== undefined &&
    isName(inner.arguments[0], name)
  );
}

function isName(expression: ts.Expression, name: string): boolean {
  const inner = skipParentheses(expression);
  return ts.isIdentifier(inner) && inner.text === name;
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}
