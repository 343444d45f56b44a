// How long each turn of a workflow loop is sure to wait: a durable `sleep` that every turn reaches.
// A loop that sleeps 30 days per turn writes its history at a rate that takes years to reach the
// server's warning, whatever bounds it. `condition(fn, timeout)` is not a minimum: it returns as
// soon as `fn` is true.

import ts from 'typescript';
import { parseDuration } from '../../../engine/duration.js';
import { locate, nodeSnippet } from '../locate.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';

export interface TurnWait {
  /** The sleep every turn reaches. */
  location: SourceLocation;
  text: string;
  /** The least it waits, when its duration is known or bounded below (`Math.max('1 day', x)`); absent when not. */
  ms?: number;
}

/** How many consts deep a duration is followed to its value. */
const VALUE_DEPTH = 3;

/**
 * The first `await sleep(d)` among the top-level statements of the loop body, when no `continue`
 * before it can skip it (a `return`, `break` or throw before it leaves the loop, which is fine).
 */
export function turnWait(loop: ts.IterationStatement, model: TemporalModel): TurnWait | undefined {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  for (const statement of statements) {
    const call = ts.isExpressionStatement(statement) ? sleepCall(statement.expression, model) : undefined;
    if (call) {
      const argument = call.arguments[0];
      const ms = argument ? leastDuration(argument, model, 0) : undefined;
      return { location: locate(call), text: nodeSnippet(call, 60), ...(ms !== undefined && ms > 0 ? { ms } : {}) };
    }
    if (containsContinue(statement)) return undefined;
  }
  return undefined;
}

function sleepCall(expression: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  const inner = skipOuterExpressions(expression);
  const awaited = ts.isAwaitExpression(inner) ? skipOuterExpressions(inner.expression) : undefined;
  return awaited && ts.isCallExpression(awaited) && model.temporalApiOf(awaited.expression)?.name === 'sleep' ? awaited : undefined;
}

/** The least a duration expression can be in milliseconds: a literal, a const, or `Math.max(...)` of them. */
function leastDuration(expression: ts.Expression, model: TemporalModel, depth: number): number | undefined {
  const node = skipOuterExpressions(expression) as ts.Expression;
  const value = model.resolveValue(node);
  if (value.kind === 'number' || value.kind === 'string') return parseDuration(value.value) ?? undefined;
  if (depth >= VALUE_DEPTH) return undefined;
  // `Math.max(ONE_DAY, untilExpiry)` is at least each argument preflight can read.
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.getText() === 'Math.max') {
    const known = node.arguments.map((argument) => leastDuration(argument, model, depth + 1)).filter((ms): ms is number => ms !== undefined);
    return known.length > 0 ? Math.max(...known) : undefined;
  }
  if (ts.isIdentifier(node)) {
    const declaration = model.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
      return leastDuration(declaration.initializer, model, depth + 1);
    }
  }
  return undefined;
}

/** A `continue` in the statement that is not inside a nested function (conservatively, any loop's). */
function containsContinue(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isContinueStatement(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
