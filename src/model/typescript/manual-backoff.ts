// An activity that retries by itself: a counted loop in its own body that sleeps a delay growing
// with each turn (`await sleep(initial * 2 ** attempt)`) and throws when the tries run out. The
// whole backoff then happens inside one attempt, on a worker slot, and the give-up at the end is
// final, where the activity's retry policy would wait between attempts durably.

import ts from 'typescript';
import { loopSign } from './activity-behaviour.js';
import { declarationOf } from './declarations.js';
import { isSleepCall } from './long-running-calls.js';
import { isLoopStatement, loopCounter } from './loop-shape.js';
import { locate, nodeSnippet } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ManualBackoffFacts } from '../types.js';

/** How far a delay is followed through the variables it is computed from. */
const MAX_DELAY_DEPTH = 3;

/** The first such loop of the activity's own body (helpers and callbacks are not read). */
export function manualBackoffOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ManualBackoffFacts | undefined {
  if (!fn.body) return undefined;
  let found: ManualBackoffFacts | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== fn)) return;
    if (isLoopStatement(node)) found = backoffLoop(node, ctx);
    if (!found) ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

function backoffLoop(loop: ts.IterationStatement, ctx: ResolveContext): ManualBackoffFacts | undefined {
  const counter = loopCounter(loop);
  if (!counter || loopSign(loop, ctx)?.kind !== 'poll') return undefined;
  const sleep = sleepsIn(loop.statement, ctx).find((call) => {
    const delay = delayOf(call);
    return delay !== undefined && grows(delay, counter, loop, ctx, 0);
  });
  if (!sleep) return undefined;
  const giveUp = throwAfter(loop) ?? throwOnLastTry(loop, counter);
  if (!giveUp) return undefined;
  return {
    location: locate(loop),
    text: nodeSnippet(loop),
    sleep: locate(sleep),
    giveUp: locate(giveUp),
    nonRetryable: /\bnonRetryable\b/.test(giveUp.expression.getText()),
  };
}

/** Sleep calls of the loop's turn, in an awaited promise executor too, not in other callbacks. */
function sleepsIn(node: ts.Node, ctx: ResolveContext): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isFunctionLike(current) && !(current.parent && ts.isNewExpression(current.parent))) return;
    if (ts.isCallExpression(current) && isSleepCall(current, ctx)) calls.push(current);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return calls;
}

/** The delay a sleep waits: `sleep(ms)`, `setTimeout(resolve, ms)`. */
export function delayOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return name === 'setTimeout' ? call.arguments[1] : call.arguments[0];
}

/**
 * A delay that grows from turn to turn: a power (`2 ** attempt`, `Math.pow`, a shift), a product
 * with the counter, or a variable the loop multiplies (`delay *= 2`), followed through the
 * variables it is computed from.
 */
export function grows(expression: ts.Node, counter: ts.Identifier, loop: ts.IterationStatement, ctx: ResolveContext, depth: number): boolean {
  if (depth > MAX_DELAY_DEPTH) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      const product = operator === ts.SyntaxKind.AsteriskAsteriskToken || operator === ts.SyntaxKind.LessThanLessThanToken || operator === ts.SyntaxKind.AsteriskToken;
      if (product && mentions(node, counter)) found = true;
    } else if (ts.isCallExpression(node) && node.expression.getText() === 'Math.pow' && mentions(node, counter)) found = true;
    else if (ts.isIdentifier(node) && node.text !== counter.text) {
      const declaration = declarationOf(node, ctx.index);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.getSourceFile() === loop.getSourceFile()) {
        if (declaration.initializer && isInside(declaration, loop) && grows(declaration.initializer, counter, loop, ctx, depth + 1)) found = true;
        else if (multipliedIn(loop, node.text)) found = true;
      }
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function mentions(node: ts.Node, counter: ts.Identifier): boolean {
  if (ts.isIdentifier(node)) return node.text === counter.text;
  return ts.forEachChild(node, (child) => mentions(child, counter) || undefined) ?? false;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** `delay *= 2` or `delay = delay * 2` (inside `Math.min(...)` too) in the loop. */
function multipliedIn(loop: ts.IterationStatement, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.left.text === name) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.AsteriskEqualsToken || operator === ts.SyntaxKind.LessThanLessThanEqualsToken) found = true;
      else if (operator === ts.SyntaxKind.EqualsToken && selfProduct(node.right, name)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

function selfProduct(node: ts.Node, name: string): boolean {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    return [node.left, node.right].some((side) => ts.isIdentifier(skipOuterExpressions(side)) && (skipOuterExpressions(side) as ts.Identifier).text === name);
  }
  return ts.forEachChild(node, (child) => (ts.isFunctionLike(child) ? undefined : selfProduct(child, name) || undefined)) ?? false;
}

/** A throw among the statements right after the loop, in the same block: the give-up. */
function throwAfter(loop: ts.IterationStatement): ts.ThrowStatement | undefined {
  const block = loop.parent;
  if (!ts.isBlock(block)) return undefined;
  const after = block.statements.slice(block.statements.indexOf(loop as unknown as ts.Statement) + 1);
  return after.find(ts.isThrowStatement);
}

/** `if (attempt === maxAttempts) throw error;` inside the loop. */
function throwOnLastTry(loop: ts.IterationStatement, counter: ts.Identifier): ts.ThrowStatement | undefined {
  let found: ts.ThrowStatement | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isIfStatement(node) && mentions(node.expression, counter)) {
      const then = node.thenStatement;
      const last = ts.isBlock(then) ? then.statements.at(-1) : then;
      if (last && ts.isThrowStatement(last)) found = last;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}
