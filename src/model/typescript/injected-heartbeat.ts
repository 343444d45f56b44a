// Heartbeats that are not a direct SDK call: a heartbeat the activity is handed by whoever builds
// it, a factory's dependency (`createActivities({ heartbeat: () => Context.current().heartbeat() })`)
// called as `heartbeat()` or `options.heartbeat()`, whose body is out of sight (a parameter, an
// interface member) so its name is the evidence; and a timer that heartbeats
// (`setInterval(heartbeat, 10_000)` with `function heartbeat() { Context.current().heartbeat() }`).

import ts from 'typescript';
import { declarationOf, functionOfDeclaration } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

export function isInjectedHeartbeat(callee: ts.Expression, ctx: ResolveContext, depth = 0): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name !== 'heartbeat') return false;
  const declaration = declarationOf(callee, ctx.index);
  if (!declaration || declaration.getSourceFile().isDeclarationFile) return false;
  if (ts.isParameter(declaration) || ts.isBindingElement(declaration) || ts.isPropertySignature(declaration)) return true;
  if (ts.isPropertyDeclaration(declaration)) return declaration.initializer === undefined;
  // `const heartbeat = options.heartbeat ?? (() => undefined)`: the injected one when there is one.
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && depth < 2) {
    let source = skipOuterExpressions(declaration.initializer);
    if (ts.isBinaryExpression(source) && (source.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || source.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      source = skipOuterExpressions(source.left);
    }
    return (ts.isIdentifier(source) || ts.isPropertyAccessExpression(source)) && isInjectedHeartbeat(source, ctx, depth + 1);
  }
  return false;
}

const TIMERS = new Set(['setInterval', 'setTimeout']);

/** `setInterval(...)` / `setTimeout(...)`: a call that runs its first argument later, on its own. */
export function isTimerCall(call: ts.CallExpression): boolean {
  return timerName(call) !== undefined && call.arguments.length > 0;
}

/**
 * 'setInterval' or 'setTimeout' for a call of that timer: directly, or through a parameter that
 * defaults to it (`function start(schedule: typeof setInterval = setInterval) { schedule(beat, ms) }`,
 * a seam for tests).
 */
export function timerName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  if (TIMERS.has(callee.text)) return callee.text;
  for (let current: ts.Node | undefined = call.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const parameter = current.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === callee.text);
    if (!parameter) continue;
    const fallback = parameter.initializer ? skipOuterExpressions(parameter.initializer) : undefined;
    return fallback && ts.isIdentifier(fallback) && TIMERS.has(fallback.text) ? fallback.text : undefined;
  }
  return undefined;
}

/**
 * `setInterval(beat, ms)` where `beat` (a function or an arrow) heartbeats in its own body, or is
 * the heartbeat itself (`setInterval(heartbeat, 5_000)`, `setInterval(ctx.heartbeat, ms)`: told by
 * `isHeartbeatValue`).
 */
export function isTimerHeartbeat(
  call: ts.CallExpression,
  ctx: ResolveContext,
  isHeartbeatCall: (call: ts.CallExpression) => boolean,
  isHeartbeatValue?: (value: ts.Expression) => boolean,
): boolean {
  if (!isTimerCall(call)) return false;
  const callback = skipOuterExpressions(call.arguments[0]!);
  if (isHeartbeatValue?.(callback as ts.Expression)) return true;
  const fn = timerCallbackFunction(call, ctx);
  if (!fn?.body) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isHeartbeatCall(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** The function a timer call runs: an arrow or function given inline, or one declared in the code. */
export function timerCallbackFunction(call: ts.CallExpression, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  const callback = skipOuterExpressions(call.arguments[0]!);
  return ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) ? callback : ts.isIdentifier(callback) ? functionOfDeclaration(declarationOf(callback, ctx.index)) : undefined;
}

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * A timer callback that checks progress before or besides heartbeating: it compares values
 * (`if (progress.done > seen) heartbeat()`, `if (Date.now() - lastProgress > limit) abort()`), so
 * its heartbeats stop, or the work is stopped, when the work stalls. A comparison with null or
 * undefined (`if (ctx !== null)`) checks presence, not progress.
 */
export function timerChecksProgress(fn: ts.FunctionLikeDeclaration | undefined): boolean {
  if (!fn?.body) return false;
  const absent = (node: ts.Expression): boolean => {
    const expression = skipOuterExpressions(node);
    return expression.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(expression) && expression.text === 'undefined') || ts.isVoidExpression(expression) || ts.isStringLiteral(expression);
  };
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind) && !absent(node.left) && !absent(node.right)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}
