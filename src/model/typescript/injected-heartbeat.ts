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

/** `setInterval(beat, ms)` where `beat` (a function or an arrow) heartbeats in its own body. */
export function isTimerHeartbeat(call: ts.CallExpression, ctx: ResolveContext, isHeartbeatCall: (call: ts.CallExpression) => boolean): boolean {
  const callee = skipOuterExpressions(call.expression);
  const [first] = call.arguments;
  if (!first || !ts.isIdentifier(callee) || !TIMERS.has(callee.text)) return false;
  const callback = skipOuterExpressions(first);
  const fn = ts.isArrowFunction(callback) || ts.isFunctionExpression(callback) ? callback : ts.isIdentifier(callback) ? functionOfDeclaration(declarationOf(callback, ctx.index)) : undefined;
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
