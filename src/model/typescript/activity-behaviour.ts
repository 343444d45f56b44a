// What an activity does when it runs, read from its body and from the helpers it calls (followed
// through the checker into other modules, depth-limited and cycle-safe): where it heartbeats,
// which errors it throws, and signs that it runs long (loops over awaits, sleeps, streams).

import ts from 'typescript';
import { calledFunction, declarationOf } from './declarations.js';
import { isInjectedHeartbeat, isTimerHeartbeat } from './injected-heartbeat.js';
import { locate, nodeSnippet } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, isTemporalApi, isTemporalModule, skipOuterExpressions } from './temporal-api.js';
import { classifyThrow } from './thrown-errors.js';
import type { LongRunningSign, SourceLocation, ThrownError } from './types.js';

const MAX_CALL_DEPTH = 5;

export interface ActivityBehaviour {
  heartbeat: { location: SourceLocation; via: SourceLocation[] } | null;
  thrownErrors: ThrownError[];
  longRunning: LongRunningSign[];
}

export function analyzeBehaviour(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ActivityBehaviour {
  const result: ActivityBehaviour = { heartbeat: null, thrownErrors: [], longRunning: [] };
  const visited = new Set<ts.Node>();
  const index = ctx.index;

  const visitFunction = (current: ts.FunctionLikeDeclaration, via: SourceLocation[]): void => {
    if (visited.has(current) || !current.body) return;
    visited.add(current);
    const visit = (node: ts.Node): void => {
      if (ts.isThrowStatement(node)) result.thrownErrors.push(classifyThrow(node, ctx));
      else if (isLoop(node)) {
        const sign = loopSign(node, ctx);
        if (sign) result.longRunning.push(sign);
      } else if (ts.isCallExpression(node)) {
        if (!result.heartbeat && isHeartbeatCall(node, ctx)) result.heartbeat = { location: locate(node), via };
        if (isSleepCall(node, ctx)) result.longRunning.push({ kind: 'sleep', location: locate(node), text: nodeSnippet(node) });
        else if (isStreamCall(node)) result.longRunning.push({ kind: 'stream', location: locate(node), text: nodeSnippet(node) });
        if (via.length < MAX_CALL_DEPTH) {
          const callee = calledFunction(node, index);
          if (callee && !callee.getSourceFile().fileName.includes('/node_modules/')) {
            visitFunction(callee, [...via, locate(node)]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  visitFunction(fn, []);
  return result;
}

/** Every `throw` in a function and in the helpers it calls. */
export function thrownErrorsOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ThrownError[] {
  return analyzeBehaviour(fn, ctx).thrownErrors;
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function loopSign(loop: ts.IterationStatement, ctx: ResolveContext): LongRunningSign | undefined {
  const location = locate(loop);
  const text = nodeSnippet(loop);
  if (ts.isForOfStatement(loop) && loop.awaitModifier) return { kind: 'stream', location, text };
  let awaits = false;
  let sleeps = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return; // a callback's awaits do not make this loop wait
    if (ts.isAwaitExpression(node)) awaits = true;
    if (ts.isCallExpression(node) && isSleepCall(node, ctx)) sleeps = true;
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
    if (condition) visit(condition);
  }
  if (sleeps) return { kind: 'poll', location, text };
  if (awaits) return { kind: 'loop-with-await', location, text };
  return undefined;
}

function isHeartbeatCall(call: ts.CallExpression, ctx: ResolveContext, followTimers = true): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isTemporalApi(callee, ctx.index, 'heartbeat') || isInjectedHeartbeat(callee as ts.Expression, ctx)) return true;
  if (followTimers && isTimerHeartbeat(call, ctx, (inner) => isHeartbeatCall(inner, ctx, false))) return true;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'heartbeat') return false;
  return isActivityContext(callee.expression, ctx, 0);
}

/** `Context.current()`, or a const holding it. */
function isActivityContext(node: ts.Expression, ctx: ResolveContext, depth: number): boolean {
  const expression = skipOuterExpressions(node);
  if (ts.isCallExpression(expression)) {
    const callee = skipOuterExpressions(expression.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'current' && isTemporalApi(callee.expression, ctx.index, 'Context');
  }
  if (ts.isIdentifier(expression) && depth < 3) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return isActivityContext(declaration.initializer, ctx, depth + 1);
    // A helper that takes the context: `function work(ctx: Context) { ctx.heartbeat() }`.
    if (declaration && ts.isParameter(declaration) && declaration.type && ts.isTypeReferenceNode(declaration.type)) {
      const typeName = declaration.type.typeName;
      if (ts.isIdentifier(typeName)) return isTemporalApi(typeName, ctx.index, 'Context');
      const namespace = ts.isIdentifier(typeName.left) ? importBindings(typeName.getSourceFile()).get(typeName.left.text) : undefined;
      return typeName.right.text === 'Context' && namespace?.imported === '*' && isTemporalModule(namespace.module);
    }
  }
  return false;
}

const SLEEP_NAMES = new Set(['sleep', 'delay', 'wait', 'setTimeout']);

function isSleepCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isTemporalApi(callee, ctx.index, 'sleep')) return true;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!SLEEP_NAMES.has(name)) return false;
  // `setTimeout(cb)` alone is a callback; `await sleep()` or `new Promise(r => setTimeout(r, n))` waits.
  if (name === 'setTimeout') return call.parent !== undefined && isInsidePromise(call);
  return true;
}

function isInsidePromise(node: ts.Node): boolean {
  let current = node.parent;
  for (let step = 0; current && step < 8; step++, current = current.parent) {
    if (ts.isNewExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === 'Promise') return true;
    if (ts.isAwaitExpression(current)) return true;
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}

const STREAM_NAMES = new Set(['pipe', 'pipeline', 'createReadStream', 'createWriteStream', 'getReader']);

function isStreamCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return STREAM_NAMES.has(name);
}
