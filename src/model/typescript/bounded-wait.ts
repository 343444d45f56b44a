// A bounded wait: a loop that runs at most N turns (a constant cap) and whose only waits per turn
// are a constant pause (`await sleep(20)`, `await new Promise((r) => setTimeout(r, 20))`) and quick
// local file operations (`fs.readFile`, the rule of local-file-calls.ts). It ends within about
// N x pause: `for (let i = 0; i < 400; i += 1) { try { x = await fs.readFile(p); } catch { await sleep(20); } }`
// waits at most eight seconds for a file to appear. Under BOUNDED_WAIT_MS it is not a long run:
// nothing in it talks to another system, and it is over before a heartbeat could say anything.

import ts from 'typescript';
import { BOUNDED_WAIT_MS, BOUNDED_WAIT_TURNS } from '../loop-caps.js';
import { isLocalFileCall } from './local-file-calls.js';
import { isChildProcessCall, isSleepCall, isStreamCall, sleepPauseMs } from './long-running-calls.js';
import { isLoopStatement, iterationBound, type RestParameterCounts } from './loop-shape.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

/** The most a bounded wait can last, in milliseconds, or undefined when the loop is not one (or lasts BOUNDED_WAIT_MS or more). */
export function boundedWaitMs(loop: ts.IterationStatement, ctx: ResolveContext, rest: RestParameterCounts = new Map()): number | undefined {
  if (ts.isForOfStatement(loop) && loop.awaitModifier) return undefined;
  const turns = iterationBound(loop, ctx, rest, BOUNDED_WAIT_TURNS);
  if (turns === undefined) return undefined;
  const pause = turnPauseMs(loop, ctx);
  if (pause === undefined || pause === 0) return undefined;
  const total = turns * pause;
  return total < BOUNDED_WAIT_MS ? total : undefined;
}

/**
 * The sum of the constant pauses one turn can take (every sleep in the body and the condition,
 * those in a `catch` too), when every other await is a local file operation and the turn holds no
 * nested loop, stream or child process. Undefined otherwise.
 */
function turnPauseMs(loop: ts.IterationStatement, ctx: ResolveContext): number | undefined {
  let pause = 0;
  let fits = true;
  const visit = (node: ts.Node): void => {
    if (!fits) return;
    // A callback's awaits do not hold up the turn.
    if (ts.isFunctionLike(node)) return;
    if (isLoopStatement(node)) {
      fits = false;
      return;
    }
    if (ts.isAwaitExpression(node)) {
      const waited = awaitedPauseMs(node.expression, ctx);
      if (waited !== undefined) {
        pause += waited;
        return;
      }
      if (!isLocalFileCall(node.expression, ctx)) {
        fits = false;
        return;
      }
    }
    if (ts.isCallExpression(node)) {
      if (isSleepCall(node, ctx)) {
        // A sleep that is not awaited directly (`await Promise.race([sleep(20), ...])`) is not a plain pause.
        fits = false;
        return;
      }
      if (isStreamCall(node, ctx) || isChildProcessCall(node, ctx)) {
        fits = false;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
    if (condition) visit(condition);
  }
  return fits ? pause : undefined;
}

/** `sleep(20)` or `new Promise((resolve) => setTimeout(resolve, 20))` with a constant pause: its milliseconds. */
function awaitedPauseMs(expression: ts.Expression, ctx: ResolveContext): number | undefined {
  const awaited = skipOuterExpressions(expression);
  if (ts.isCallExpression(awaited)) return isSleepCall(awaited, ctx) ? sleepPauseMs(awaited, ctx) : undefined;
  if (!ts.isNewExpression(awaited) || !ts.isIdentifier(awaited.expression) || awaited.expression.text !== 'Promise') return undefined;
  const executor = awaited.arguments?.[0] && skipOuterExpressions(awaited.arguments[0]);
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return undefined;
  // The executor does nothing but set the timer: `(resolve) => setTimeout(resolve, 20)`.
  const calls: ts.CallExpression[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, collect);
  };
  collect(executor.body);
  const timer = calls[0];
  return calls.length === 1 && timer && isSleepCall(timer, ctx) ? sleepPauseMs(timer, ctx) : undefined;
}
