// A loop over a collection whose every turn is a few quick awaited calls (one query, one client
// call, one email per member): it ends in seconds unless the collection holds thousands of items,
// which the code does not say. The heartbeat check keeps its warning for loops that sleep, poll,
// nest loops, stream or wait on child processes, and for long startToClose timeouts; this tells
// the quick ones apart.

import ts from 'typescript';
import { calledFunction, declarationOf } from './declarations.js';
import { nodeSnippet } from './locate.js';
import { lengthBound, walkedCollection, writtenPageSize } from './loop-shape.js';
import { isChildProcessCall, isSleepCall, isStreamCall } from './long-running-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import { QUICK_AWAITS_PER_TURN, QUICK_HELPER_DEPTH as HELPER_DEPTH, THOUSANDS } from '../loop-caps.js';


/**
 * The collection a loop walks (`org.members` in `for (const m of org.members)`, `rows` in
 * `for (let i = 0; i < rows.length; i++)`) when each turn makes between one and
 * QUICK_AWAITS_PER_TURN awaited calls and nothing in the turn, nor in the project helpers it calls,
 * loops, sleeps, streams or starts a child process. Undefined for any other loop.
 */
export function quickLoopCollection(loop: ts.IterationStatement, ctx: ResolveContext): string | undefined {
  const collection = walkedCollection(loop, { forAwait: false });
  if (!collection) return undefined;
  // The code itself says the collection can hold thousands (`listStale({ limit: 5000 })`).
  const written = ts.isForOfStatement(loop) ? writtenPageSize(loop.expression, ctx) : undefined;
  if (written !== undefined && written >= THOUSANDS) return undefined;
  const awaits = quickTurnAwaits(loop, ctx, itemNames(loop));
  return awaits !== undefined && awaits > 0 && awaits <= QUICK_AWAITS_PER_TURN ? collection : undefined;
}

/**
 * The awaited calls one turn makes, or undefined when a turn is not quick. A loop nested in the
 * turn is allowed once, over a list the item itself holds (`for (const a of item.logs)`), when its
 * own turns are quick: the two loops together are one quick loop over every (item, entry) pair.
 */
function quickTurnAwaits(loop: ts.IterationStatement, ctx: ResolveContext, items: Set<string> | undefined): number | undefined {
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
    if (isLoopStatement(node)) {
      const inner = items && ts.isForOfStatement(node) && ownsList(node.expression, items) ? quickTurnAwaits(node, ctx, undefined) : undefined;
      if (inner === undefined || inner > QUICK_AWAITS_PER_TURN) slow = true;
      else awaits = Math.max(awaits, 1);
      return;
    }
    if (ts.isAwaitExpression(node)) awaits++;
    // A promise the turn starts and drops (`notify(...)` as a statement, `void notify(...)`) does not make the turn wait.
    else if (ts.isCallExpression(node) && isDropped(node) && cannotHold(calledFunction(node, ctx.index), ctx)) return;
    else if (ts.isCallExpression(node) && !callIsQuick(node, ctx, 0, seen)) slow = true;
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return slow ? undefined : awaits;
}

/** The names a `for...of` binds for its item (`item`, or the names of `{ date }` / `[key, value]`). */
function itemNames(loop: ts.IterationStatement): Set<string> | undefined {
  if (!ts.isForOfStatement(loop) || !ts.isVariableDeclarationList(loop.initializer)) return undefined;
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (ts.isBindingElement(element)) collect(element.name);
  };
  for (const declaration of loop.initializer.declarations) collect(declaration.name);
  return names.size > 0 ? names : undefined;
}

/** `item.logs`, `item['assessment-logs']`, or a bound name of the item that is itself a list. */
function ownsList(expression: ts.Expression, items: Set<string>): boolean {
  let root = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  return ts.isIdentifier(root) && items.has(root.text);
}

function isDropped(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return ts.isExpressionStatement(parent) || ts.isVoidExpression(parent);
}

/**
 * A dropped call of this function cannot hold the turn: an async function runs on while the turn
 * goes on, and a plain function cannot wait on anything but a child process or a blocking sleep
 * (the promises it starts, `notifyAsync(...).catch(log)`, run on too).
 */
function cannotHold(fn: ts.Node | undefined, ctx: ResolveContext): boolean {
  if (!fn || !ts.isFunctionLike(fn)) return false;
  if ((ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0) return true;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  let blocks = false;
  const visit = (node: ts.Node): void => {
    if (blocks || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && (isChildProcessCall(node, ctx) || isSleepCall(node, ctx))) blocks = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return !blocks;
}

/** A call that does not sleep, stream or start a process, and whose project helper (if any) is quick too. */
function callIsQuick(call: ts.CallExpression, ctx: ResolveContext, depth: number, seen: Set<ts.Node>): boolean {
  if (isSleepCall(call, ctx) || isStreamCall(call, ctx) || isChildProcessCall(call, ctx)) return false;
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

/**
 * Where a quick loop's collection comes from, when the code shows it is finite before the loop
 * starts: 'parameter' when it is (a part of) a parameter of the function the loop sits in (an
 * activity's input arrives whole in one payload, sized by the workflow), 'fetched-once' when it is
 * (a part of) the result of one call made before the loop, outside any loop, through a call that
 * does not page (a project helper with no loop in it, or a library call). A collection built up
 * in a loop, or read page by page, has neither.
 */
export function finiteSource(loop: ts.IterationStatement, ctx: ResolveContext): 'parameter' | 'fetched-once' | undefined {
  const iterated = ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? loop.expression : ts.isForStatement(loop) && loop.condition ? lengthBound(loop.condition) : undefined;
  if (!iterated) return undefined;
  // A loop that walks its collection in strides (`i += BATCH`) says the collection is large enough to split.
  if (ts.isForStatement(loop) && loop.incrementor && !stepsByOne(loop.incrementor)) return undefined;
  const fn = enclosingFunction(loop);
  return fn ? sourceOf(iterated, fn, ctx, 0) : undefined;
}

function sourceOf(expression: ts.Expression, fn: ts.SignatureDeclaration, ctx: ResolveContext, depth: number): 'parameter' | 'fetched-once' | undefined {
  let root = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!ts.isIdentifier(root) || depth > 3) return undefined;
  const declaration = declarationOf(root, ctx.index);
  if (!declaration) return undefined;
  let holder: ts.Node = declaration;
  while (ts.isBindingElement(holder) || ts.isObjectBindingPattern(holder) || ts.isArrayBindingPattern(holder)) holder = holder.parent;
  // The loop may sit in a callback of the function that holds the collection (`qx.tx(async (tx) => { for ... })`).
  if (ts.isParameter(holder)) return ts.isFunctionLike(holder.parent) && encloses(holder.parent, fn) ? 'parameter' : undefined;
  const owner = enclosingFunction(holder);
  if (!ts.isVariableDeclaration(holder) || !holder.initializer || !owner || !encloses(owner, fn)) return undefined;
  if (!(ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const) || insideLoop(holder, owner)) return undefined;
  const initializer = skipOuterExpressions(holder.initializer);
  const call = ts.isAwaitExpression(initializer) ? skipOuterExpressions(initializer.expression) : initializer;
  if (ts.isCallExpression(call)) {
    if (isArrayIsArray(call)) return undefined;
    // `rows.map(...).filter(...)`: the same items, rearranged.
    const callee = skipOuterExpressions(call.expression);
    if (ts.isPropertyAccessExpression(callee) && ARRAY_METHODS.has(callee.name.text)) return sourceOf(callee.expression, owner, ctx, depth + 1);
    const helper = calledFunction(call, ctx.index);
    // A project helper with a loop may gather page after page: not one fetch.
    if (helper?.body && !helper.getSourceFile().fileName.includes('/node_modules/') && containsLoop(helper.body)) return undefined;
    return 'fetched-once';
  }
  // `const steps = input.steps ? (Array.isArray(input.steps) ? input.steps : [input.steps]) : []`:
  // a value rearranged from another finite one, with no call but Array.isArray.
  if (containsOtherCall(initializer)) return undefined;
  const sources = new Set<'parameter' | 'fetched-once' | undefined>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && node.text !== 'Array' && node.text !== 'undefined') {
      const declared = declarationOf(node, ctx.index);
      if (declared) sources.add(sourceOf(node, owner, ctx, depth + 1));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(initializer);
  if (sources.size !== 1) return undefined;
  return [...sources][0];
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  let current = node.parent;
  while (current && !ts.isFunctionLike(current)) current = current.parent;
  return current as ts.SignatureDeclaration | undefined;
}

function insideLoop(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) if (isLoopStatement(current)) return true;
  return false;
}

function containsLoop(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (isLoopStatement(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

function isArrayIsArray(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && callee.name.text === 'isArray';
}

function containsOtherCall(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(current) || (ts.isCallExpression(current) && !isArrayIsArray(current)) || ts.isNewExpression(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

const ARRAY_METHODS = new Set(['map', 'filter', 'slice', 'flat', 'flatMap', 'concat', 'sort', 'toSorted', 'reverse', 'toReversed']);

function encloses(outer: ts.Node, inner: ts.Node): boolean {
  for (let current: ts.Node | undefined = inner; current; current = current.parent) if (current === outer) return true;
  return false;
}

/** `i++`, `++i`, `i += 1`. */
function stepsByOne(incrementor: ts.Expression): boolean {
  const node = skipOuterExpressions(incrementor);
  if (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.PlusPlusToken;
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && ts.isNumericLiteral(node.right) && node.right.text === '1';
}
