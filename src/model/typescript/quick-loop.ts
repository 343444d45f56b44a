// A loop over a collection whose every turn is a few quick awaited calls (one query, one client
// call, one email per member): it ends in seconds unless the collection holds thousands of items,
// which the code does not say. The heartbeat check keeps its warning for loops that sleep, poll,
// nest loops, stream or wait on child processes, and for long startToClose timeouts; this tells
// the quick ones apart.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import { nodeSnippet } from './locate.js';
import { writtenPageSize } from './loop-shape.js';
import { isChildProcessCall, isSleepCall, isStreamCall } from './long-running-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { QUICK_AWAITS_PER_TURN, QUICK_HELPER_DEPTH as HELPER_DEPTH, THOUSANDS } from '../loop-caps.js';


/**
 * The collection a loop walks (`org.members` in `for (const m of org.members)`, `rows` in
 * `for (let i = 0; i < rows.length; i++)`) when each turn makes between one and
 * QUICK_AWAITS_PER_TURN awaited calls and nothing in the turn, nor in the project helpers it calls,
 * loops, sleeps, streams or starts a child process. Undefined for any other loop.
 */
export function quickLoopCollection(loop: ts.IterationStatement, ctx: ResolveContext): string | undefined {
  const collection = iteratedCollection(loop);
  if (!collection) return undefined;
  // The code itself says the collection can hold thousands (`listStale({ limit: 5000 })`).
  const written = ts.isForOfStatement(loop) ? writtenPageSize(loop.expression, ctx) : undefined;
  if (written !== undefined && written >= THOUSANDS) return undefined;
  let awaits = 0;
  let slow = false;
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (slow) return;
    // A callback's awaits run somewhere this reader does not follow (`Promise.all(items.map(async ...))`);
    // a callback without awaits still makes its calls (`db.transaction((tx) => closeOne(tx))`).
    if (ts.isFunctionLike(node) && containsAwait(node)) {
      slow = true;
      return;
    }
    if (isLoopStatement(node)) slow = true;
    else if (ts.isAwaitExpression(node)) awaits++;
    else if (ts.isCallExpression(node) && !callIsQuick(node, ctx, 0, seen)) slow = true;
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return !slow && awaits > 0 && awaits <= QUICK_AWAITS_PER_TURN ? collection : undefined;
}

/** The iterated collection's text, for `for...of`, `for...in` and a counted loop up to `x.length`. */
function iteratedCollection(loop: ts.IterationStatement): string | undefined {
  if (ts.isForOfStatement(loop)) return loop.awaitModifier ? undefined : nodeSnippet(loop.expression, 60);
  if (ts.isForInStatement(loop)) return nodeSnippet(loop.expression, 60);
  if (!ts.isForStatement(loop) || !loop.condition || !ts.isBinaryExpression(loop.condition)) return undefined;
  const { operatorToken, right } = loop.condition;
  const below = operatorToken.kind === ts.SyntaxKind.LessThanToken || operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken;
  return below && ts.isPropertyAccessExpression(right) && right.name.text === 'length' ? nodeSnippet(right.expression, 60) : undefined;
}

/** A call that does not sleep, stream or start a process, and whose project helper (if any) is quick too. */
function callIsQuick(call: ts.CallExpression, ctx: ResolveContext, depth: number, seen: Set<ts.Node>): boolean {
  if (isSleepCall(call, ctx) || isStreamCall(call) || isChildProcessCall(call, ctx)) return false;
  const helper = calledFunction(call, ctx.index);
  // A library call (a client's signalWithStart, a query builder) is one call: quick for this purpose.
  if (!helper?.body || helper.getSourceFile().fileName.includes('/node_modules/') || seen.has(helper)) return true;
  if (depth >= HELPER_DEPTH) return false;
  seen.add(helper);
  let quick = true;
  const visit = (node: ts.Node): void => {
    if (!quick) return;
    if (isLoopStatement(node)) quick = false;
    else if (ts.isCallExpression(node) && !callIsQuick(node, ctx, depth + 1, seen)) quick = false;
    else ts.forEachChild(node, visit);
  };
  visit(helper.body);
  return quick;
}

function isLoopStatement(node: ts.Node): boolean {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function containsAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(current) || (ts.isForOfStatement(current) && current.awaitModifier)) found = true;
    else ts.forEachChild(current, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}
