// Whether a child process started by an activity can be stopped: by a `timeout` option that kills
// it, an abort signal (`signal`, execa's `cancelSignal`) wired to a cancellation, or a kill in the
// function that starts it. A process with none of these keeps running after the activity's attempt
// has timed out or been cancelled.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';
import type { ResolveContext } from './resolve-value.js';

const LIMIT_OPTIONS = new Set(['timeout', 'signal', 'cancelSignal']);

/**
 * 'unbounded' when the call's options (an object literal, or the literal a caller hands to the
 * wrapper's parameter) set none of timeout / signal / cancelSignal and the function that starts
 * the process neither kills it nor sets a timer; 'bounded' when one of them is there; 'unknown'
 * when the options cannot be read (a spread, a variable, a value passed from further away).
 */
export function processLimit(
  call: ts.CallExpression,
  enclosing: ts.FunctionLikeDeclaration,
  entry: ts.CallExpression | undefined,
  ctx: ResolveContext,
): 'bounded' | 'unbounded' | 'unknown' {
  if (enclosing.body && killsOrTimes(enclosing.body)) return 'bounded';
  let options: ts.ObjectLiteralExpression | undefined;
  for (const argument of call.arguments.slice(1)) {
    const value = skipOuterExpressions(argument) as ts.Expression;
    if (ts.isObjectLiteralExpression(value)) {
      options = value;
      continue;
    }
    if (ts.isArrayLiteralExpression(value) || ts.isStringLiteralLike(value) || ts.isArrowFunction(value) || ts.isFunctionExpression(value)) continue;
    if (ts.isIdentifier(value)) {
      const parameter = enclosing.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === value.text);
      const handed = parameter >= 0 && entry ? entry.arguments[parameter] : undefined;
      if (handed && ts.isObjectLiteralExpression(skipOuterExpressions(handed))) {
        options = skipOuterExpressions(handed) as ts.ObjectLiteralExpression;
        continue;
      }
    }
    if (isArrayOrStringOrFunction(value, ctx)) continue;
    return 'unknown';
  }
  if (!options) return 'unbounded';
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) return 'unknown';
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name === undefined) return 'unknown';
    if (LIMIT_OPTIONS.has(name)) return 'bounded';
  }
  return 'unbounded';
}

/** A `.kill(...)` call or a timer in the function that starts the process: it stops the process on its own terms. */
function killsOrTimes(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'kill' || name === 'setTimeout') found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The argument list, the command string or a callback: not the options. */
function isArrayOrStringOrFunction(node: ts.Expression, ctx: ResolveContext): boolean {
  const checker = ctx.index.checkerFor(node.getSourceFile().fileName);
  if (!checker) return false;
  const type = checker.getTypeAtLocation(node);
  return checker.isArrayType(type) || checker.isTupleType(type) || (type.flags & ts.TypeFlags.StringLike) !== 0 || type.getCallSignatures().length > 0;
}
