// What bounds a workflow loop: a counter compared with a limit (in the loop condition or in an
// `if (...) break` inside it), a finite collection it walks (`for...of`, `i < items.length`) or
// drains (`while (list.length) list.shift()`), or nothing. A collection that something pushes to
// inside the loop does not bound it; one that only signal or update handlers feed is bounded by the
// messages received (each is an event of its own, and the drain ends when they stop).
// A deadline on the workflow clock (`Date.now() - start < MAX`) bounds a loop that sleeps every turn.

import ts from 'typescript';
import { locate, nodeSnippet } from '../locate.js';
import { activityTypeCalled } from '../activity-calls.js';
import { skipOuterExpressions as skipOuter } from '../temporal-api.js';
import type { TemporalModel } from '../types.js';
import { isInMessageHandler } from './message-handlers.js';
import { finishesOutsideLoop } from './loop-overlap.js';
import { turnWait } from './turn-wait.js';

export type Loop = ts.WhileStatement | ts.DoStatement | ts.ForStatement | ts.ForOfStatement | ts.ForInStatement;

export type LoopBound =
  /** Nothing bounds it: `while (true)` with no counted exit, `while (!done)`, a cursor loop. */
  | { kind: 'none' }
  /** It walks or drains a collection that grows inside the loop or from a handler. */
  | { kind: 'grows'; collection: string; growth: ts.Node }
  /**
   * A counter or collection bounds it; `limit` is the number when the reviewer can read it.
   * `collection` is the collection it walks or drains; `takenFrom`, the collection whose items are
   * the only thing added to it (a pool of tasks, one per item taken from a queue); `putBack`, where
   * an item taken from it goes back in to be tried again.
   */
  | { kind: 'bounded'; by: string; limit?: number; collection?: string; takenFrom?: string; putBack?: ts.Node };

const MUTATING = new Set(['push', 'unshift', 'add', 'set']);
const DRAINING = new Set(['shift', 'pop', 'splice', 'delete']);
/** The comparisons a loop bound or a counter test is written with (`i < n`, `done >= limit`, `n === max`). */
export const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
]);

/** The expression inside parentheses, `as`, `!` and the like. */
function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  return skipOuter(expression) as ts.Expression;
}

export function isLoop(node: ts.Node): node is Loop {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
}

export function loopBound(loop: Loop, model: TemporalModel): LoopBound {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return collectionBound(loop.expression, loop, model);
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  const fromCondition = condition ? conditionBound(condition, loop, model) : undefined;
  if (fromCondition) return fromCondition;
  for (const exit of exitConditions(loop)) {
    const fromExit = exitBound(exit, loop, model);
    if (fromExit) return fromExit;
  }
  return settledWork(loop, model) ?? { kind: 'none' };
}

/**
 * A loop that waits for work it put in flight, as a scheduler over a graph of jobs does: a
 * statement of the loop body removes one entry from a Map or Set of in-flight work each time the
 * iteration gets through (`inFlight.delete(job.key)`), and entries are added only inside the loop,
 * for items of a collection it walks, once per key (`for (const job of ready) if
 * (!inFlight.has(job.key)) inFlight.set(job.key, run(job))`), never from a handler. It repeats at
 * most once per item it starts: the job graph bounds it.
 */
function settledWork(loop: Loop, model: TemporalModel): LoopBound | undefined {
  if (!ts.isBlock(loop.statement)) return undefined;
  for (const statement of loop.statement.statements) {
    if (!ts.isExpressionStatement(statement)) continue;
    const call = skipOuterExpressions(statement.expression);
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'delete') continue;
    const collection = skipOuterExpressions(call.expression.expression);
    if (!ts.isIdentifier(collection)) continue;
    const target = model.declarationOf(collection);
    if (!target || isInside(target, loop)) continue;
    if (addedOncePerWalkedItem(target, loop, model)) return { kind: 'bounded', by: `the jobs put in ${collection.text}` };
  }
  return undefined;
}

/** Every addition to the collection is in the loop, in a for...of it walks, under `if (!c.has(key))`. */
function addedOncePerWalkedItem(target: ts.Declaration, loop: Loop, model: TemporalModel): boolean {
  const scope = enclosingFunction(target) ?? loop.getSourceFile();
  let sound = true;
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATING.has(node.expression.name.text) && sameTarget(node.expression.expression, target, model)) {
      if (!guardedInWalk(node, target, loop, model)) sound = false;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && sameTarget(node.left, target, model) && isInside(node, loop)) sound = false;
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return sound;
}

function guardedInWalk(addition: ts.CallExpression, target: ts.Declaration, loop: Loop, model: TemporalModel): boolean {
  let guarded = false;
  for (let current: ts.Node = addition; current !== loop; current = current.parent) {
    if (!current.parent || ts.isFunctionLike(current)) return false;
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && isMissingFrom(parent.expression, target, model)) guarded = true;
    if (ts.isForOfStatement(parent) && parent.statement === current) return guarded && isInside(parent, loop);
  }
  return false;
}

/** `!collection.has(key)`. */
function isMissingFrom(condition: ts.Expression, target: ts.Declaration, model: TemporalModel): boolean {
  const inner = skipOuterExpressions(condition);
  if (!ts.isPrefixUnaryExpression(inner) || inner.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const call = skipOuterExpressions(inner.operand);
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'has' && sameTarget(call.expression.expression, target, model);
}

/**
 * `i < limit` with `i` counted in the loop, or `list.length` drained by the loop. `a && b` stops
 * when either stops, so either bound is enough; `a || b` goes on while either holds, so both
 * must be bounded.
 */
function conditionBound(condition: ts.Expression, loop: Loop, model: TemporalModel): LoopBound | undefined {
  const expression = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    const left = conditionBound(expression.left, loop, model);
    const right = conditionBound(expression.right, loop, model);
    if (left?.kind === 'bounded' && right?.kind === 'bounded') return left.limit !== undefined && (right.limit === undefined || left.limit <= right.limit) ? left : right;
    return left?.kind === 'bounded' ? left : right?.kind === 'bounded' ? right : undefined;
  }
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
    const left = conditionBound(expression.left, loop, model);
    const right = conditionBound(expression.right, loop, model);
    if (!left || !right) return undefined;
    if (left.kind !== 'bounded') return left;
    if (right.kind !== 'bounded') return right;
    // One side only holds the items the other hands out (a pool of tasks started from a queue).
    if (right.takenFrom !== undefined && right.takenFrom === left.collection) return left;
    if (left.takenFrom !== undefined && left.takenFrom === right.collection) return right;
    return { kind: 'bounded', by: `${left.by} and ${right.by}`, ...(left.limit !== undefined && right.limit !== undefined ? { limit: left.limit + right.limit } : {}) };
  }
  const drained = drainedCollection(expression, true);
  if (drained && drains(drained, loop)) return collectionBound(drained, loop, model);
  if (!ts.isBinaryExpression(expression) || !COMPARISONS.has(expression.operatorToken.kind)) return undefined;
  return counterBound(expression, loop, model) ?? deadlineBound(expression, loop, model);
}

/**
 * `while (Date.now() - start < MAX_WAIT_MS) { ...; await sleep(POLL_MS); }`, or `Date.now() <
 * deadline` with `const deadline = Date.now() + MAX_WAIT_MS`: in workflow code Date.now() is the
 * workflow's clock, which a durable sleep moves forward by at least its duration, so a loop that
 * sleeps every turn runs at most MAX_WAIT_MS / POLL_MS + 1 times. Only with a sleep every turn
 * reaches and a deadline of known length: without the sleep, how fast the clock moves per turn
 * depends on how long the activities take.
 */
function deadlineBound(comparison: ts.BinaryExpression, loop: Loop, model: TemporalModel): LoopBound | undefined {
  const kind = comparison.operatorToken.kind;
  const [now, limit] =
    kind === ts.SyntaxKind.LessThanToken || kind === ts.SyntaxKind.LessThanEqualsToken
      ? [comparison.left, comparison.right]
      : kind === ts.SyntaxKind.GreaterThanToken || kind === ts.SyntaxKind.GreaterThanEqualsToken
        ? [comparison.right, comparison.left]
        : [undefined, undefined];
  if (!now || !limit) return undefined;
  const nowSide = skipOuterExpressions(now);
  let length: number | undefined;
  if (isDateNow(nowSide)) {
    // `Date.now() < deadline`, the deadline a const written as `Date.now() + LENGTH` outside the loop.
    const deadline = skipOuterExpressions(limit);
    const declaration = ts.isIdentifier(deadline) ? model.declarationOf(deadline) : undefined;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || isInside(declaration, loop)) return undefined;
    if (!(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
    const initializer = skipOuterExpressions(declaration.initializer);
    if (!ts.isBinaryExpression(initializer) || initializer.operatorToken.kind !== ts.SyntaxKind.PlusToken || !isDateNow(skipOuterExpressions(initializer.left))) return undefined;
    length = millisecondsOf(initializer.right, model);
  } else if (ts.isBinaryExpression(nowSide) && nowSide.operatorToken.kind === ts.SyntaxKind.MinusToken && isDateNow(skipOuterExpressions(nowSide.left))) {
    // `Date.now() - start < LENGTH`, `start` a const set outside the loop.
    const start = skipOuterExpressions(nowSide.right);
    const declaration = ts.isIdentifier(start) ? model.declarationOf(start) : undefined;
    if (!declaration || !ts.isVariableDeclaration(declaration) || isInside(declaration, loop) || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
    length = millisecondsOf(limit, model);
  }
  if (length === undefined || length <= 0) return undefined;
  const wait = turnWait(loop, model, { deadline: true });
  if (!wait?.ms) return undefined;
  return { kind: 'bounded', by: `the deadline ${nodeSnippet(comparison, 40)} with ${wait.text} every turn`, limit: Math.ceil(length / wait.ms) + 1 };
}

function isDateNow(node: ts.Node): boolean {
  return ts.isCallExpression(node) && node.arguments.length === 0 && node.expression.getText() === 'Date.now';
}

/** A number of milliseconds a limit resolves to (a literal or a const). */
function millisecondsOf(node: ts.Expression, model: TemporalModel): number | undefined {
  const value = model.resolveValue(skipOuterExpressions(node));
  return value.kind === 'number' && Number.isFinite(value.value) ? value.value : undefined;
}

/**
 * A limit that never ends a counted loop: `Infinity`, `Number.POSITIVE_INFINITY`,
 * `Number.MAX_SAFE_INTEGER` or `Number.MAX_VALUE`, written in place, as a fallback (`max ?? Infinity`)
 * or as the default of the parameter or destructured binding that holds it
 * (`const { maxIterations = Infinity } = input`): unless every caller passes a number, the loop
 * runs without end, so the default is what the reviewer reads.
 */
function endlessLimit(limit: ts.Expression, model: TemporalModel, depth = 0): boolean {
  const node = skipOuter(limit);
  if (depth > 3) return false;
  if (ts.isIdentifier(node) && node.text === 'Infinity') return true;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Number' && ['POSITIVE_INFINITY', 'MAX_SAFE_INTEGER', 'MAX_VALUE'].includes(node.name.text)) return true;
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return endlessLimit(node.right, model, depth + 1);
  const value = model.resolveValue(node as ts.Expression);
  if (value.kind === 'number' && (!Number.isFinite(value.value) || value.value >= Number.MAX_SAFE_INTEGER)) return true;
  if (!ts.isIdentifier(node)) return false;
  const declaration = model.declarationOf(node);
  if (!declaration) return false;
  if ((ts.isBindingElement(declaration) || ts.isParameter(declaration)) && declaration.initializer) return endlessLimit(declaration.initializer, model, depth + 1);
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    const list = declaration.parent;
    if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) return endlessLimit(declaration.initializer, model, depth + 1);
  }
  return false;
}

/** A comparison of a counter the loop changes with a limit: `i < max`, `++i >= max`, `attempts > 5`. */
function counterBound(comparison: ts.BinaryExpression, loop: Loop, model: TemporalModel): LoopBound | undefined {
  for (const [counter, limit] of [
    [comparison.left, comparison.right],
    [comparison.right, comparison.left],
  ] as const) {
    const name = counterName(counter);
    if (!name) continue;
    // `maxIterations = Infinity` as the default: a limit that never stops the loop is no bound.
    if (endlessLimit(limit, model)) continue;
    if (!counts(name, loop)) {
      // `while (... && pool.length < MAX) { ...; pool.push(task) }` with no await: every turn adds one.
      const filled = lengthOf(counter);
      const value = model.resolveValue(limit);
      if (filled && value.kind === 'number' && fillsEveryTurn(filled, loop)) return { kind: 'bounded', by: nodeSnippet(limit, 40), limit: value.value };
      continue;
    }
    const value = model.resolveValue(limit);
    if (value.kind === 'number') return { kind: 'bounded', by: nodeSnippet(limit, 40), limit: value.value };
    const collection = lengthOf(limit);
    if (collection) return collectionBound(collection, loop, model);
    return { kind: 'bounded', by: nodeSnippet(limit, 40) };
  }
  return undefined;
}

/**
 * A loop body that runs without waiting (no `await`, no `continue`) and adds one item to the
 * collection on every turn (`pool.push(task)` as one of its statements) without taking any out:
 * nothing else can change the collection while it runs, so its length counts the turns.
 */
function fillsEveryTurn(collection: ts.Expression, loop: Loop): boolean {
  if (!ts.isBlock(loop.statement)) return false;
  const text = skipOuterExpressions(collection).getText();
  const isCallOn = (node: ts.Node, methods: Set<string>) =>
    ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && methods.has(node.expression.name.text) && skipOuterExpressions(node.expression.expression).getText() === text;
  const fills = loop.statement.statements.some((statement) => ts.isExpressionStatement(statement) && isCallOn(skipOuterExpressions(statement.expression), PUSHING));
  if (!fills) return false;
  let waitsOrTakes = false;
  const visit = (node: ts.Node): void => {
    if (waitsOrTakes || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) || ts.isContinueStatement(node) || ts.isForOfStatement(node) && node.awaitModifier || isCallOn(node, DRAINING)) waitsOrTakes = true;
    else ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return !waitsOrTakes;
}

const PUSHING = new Set(['push', 'unshift', 'add']);

/** An exit of the loop: `if (...) break` / `if (...) return` at any depth, not in an inner loop or function. */
export function exitConditions(loop: Loop): ts.Expression[] {
  const exits: ts.Expression[] = [];
  const visit = (node: ts.Node, innerLoop: boolean): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isIfStatement(node) && leaves(node.thenStatement, innerLoop)) exits.push(node.expression);
    ts.forEachChild(node, (child) => visit(child, innerLoop || (isLoop(child) && child !== loop) || ts.isSwitchStatement(child)));
  };
  visit(loop.statement, false);
  return exits;
}

function leaves(statement: ts.Statement, innerLoop: boolean): boolean {
  const first = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  if (!first) return false;
  if (ts.isReturnStatement(first) || ts.isThrowStatement(first)) return true;
  return ts.isBreakStatement(first) && !innerLoop && first.label === undefined;
}

function exitBound(exit: ts.Expression, loop: Loop, model: TemporalModel): LoopBound | undefined {
  const expression = skipOuterExpressions(exit);
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.BarBarToken || expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) {
    // `if (a || i >= max) break` exits at the counter at the latest; with && it may not.
    if (expression.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return undefined;
    return exitBound(expression.left, loop, model) ?? exitBound(expression.right, loop, model);
  }
  const drained = drainedCollection(expression, false);
  if (drained && drains(drained, loop)) return collectionBound(drained, loop, model);
  if (ts.isBinaryExpression(expression) && COMPARISONS.has(expression.operatorToken.kind)) return counterBound(expression, loop, model);
  return undefined;
}

/**
 * The collection a drain condition tests: `list.length`, `list.length > 0`, `list.length !== 0`
 * (loop while non-empty), or for an exit `!list.length`, `list.length === 0`.
 */
function drainedCollection(expression: ts.Expression, whileNonEmpty: boolean): ts.Expression | undefined {
  const inner = skipOuterExpressions(expression);
  if (whileNonEmpty) {
    if (lengthOf(inner)) return lengthOf(inner);
    if (ts.isBinaryExpression(inner) && [ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(inner.operatorToken.kind) && isZero(inner.right)) {
      return lengthOf(inner.left);
    }
    return undefined;
  }
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) return lengthOf(inner.operand);
  if (ts.isBinaryExpression(inner) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(inner.operatorToken.kind) && isZero(inner.right)) {
    return lengthOf(inner.left);
  }
  return undefined;
}

/** `items.length` or `items.size` gives `items`. */
function lengthOf(expression: ts.Expression): ts.Expression | undefined {
  const inner = skipOuterExpressions(expression);
  if (ts.isBinaryExpression(inner) && (inner.operatorToken.kind === ts.SyntaxKind.PlusToken || inner.operatorToken.kind === ts.SyntaxKind.MinusToken)) return lengthOf(inner.left);
  return ts.isPropertyAccessExpression(inner) && (inner.name.text === 'length' || inner.name.text === 'size') ? inner.expression : undefined;
}

function isZero(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return ts.isNumericLiteral(inner) && Number(inner.text) === 0;
}

/**
 * A collection the loop walks: bounded unless something adds to it while the loop runs. Two kinds
 * of addition add no new work: putting back, on some outcome only (a failure), an item just taken
 * from the collection (a retry: `const job = queue.shift(); ... catch { queue.unshift(job) }`;
 * the finding says such items come round again), and, for a pool of tasks, adding one per
 * item taken from another collection that is itself bounded (`const repo = queue.shift();
 * active.push(run(repo))`).
 */
function collectionBound(collection: ts.Expression, loop: Loop, model: TemporalModel, depth = 0): LoopBound {
  const inner = skipOuterExpressions(collection);
  const by = nodeSnippet(inner, 40);
  const named = ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) ? inner : undefined;
  const target = named ? model.declarationOf(named) : undefined;
  const putBack = (node: ts.Node) => target !== undefined && isPutBack(node, target, model);
  const growth = named ? growthOf(named, loop, model, putBack) : undefined;
  if (growth) {
    // Fed only by signal or update handlers: one iteration per message received, so the messages bound it.
    const unhandled = growthOf(named!, loop, model, (node) => isInMessageHandler(node, model) || putBack(node));
    if (!unhandled) return { kind: 'bounded', by: `${by} (fed by a signal or update handler)`, collection: by };
    const source = depth === 0 && target ? takenFrom(named!, target, loop, model) : undefined;
    if (source) return { kind: 'bounded', by: `${by} (one per item taken from ${source})`, collection: by, takenFrom: source };
    // A worklist: every addition is of an item of a collection the loop walks, at most once per item.
    const guards = new Set<string>();
    const once = (node: ts.Node): boolean => {
      const guard = addedOncePerItem(node, loop);
      if (guard) guards.add(guard);
      return guard !== undefined;
    };
    if (!growthOf(named!, loop, model, (node) => isInMessageHandler(node, model) || putBack(node) || once(node))) {
      return { kind: 'bounded', by: `${by} (each item added at most once, ${[...guards].join(' / ')})`, collection: by };
    }
    return { kind: 'grows', collection: by, growth: unhandled };
  }
  const back = named ? growthOf(named, loop, model) : undefined;
  const extra = { collection: by, ...(back ? { putBack: back } : {}) };
  // A put-back item counts again, so a known size is no longer a count of turns.
  const value = model.resolveValue(inner);
  if (value.kind === 'array' && !copiesUnknown(inner, model)) return { kind: 'bounded', by, ...(back ? {} : { limit: value.elements.length }), ...extra };
  const length = allocatedLength(inner, model);
  if (length !== undefined) return { kind: 'bounded', by, ...(back ? {} : { limit: length }), ...extra };
  // `for (const key in Timeframe)` over an enum: its keys (twice the members of a numeric enum, with the reverse mapping).
  if (target && ts.isEnumDeclaration(target)) return { kind: 'bounded', by, limit: target.members.length * 2, ...extra };
  const fetched = named && target ? fetchedLimit(target, model, 0) : undefined;
  if (fetched) {
    const text = `${by} (at most ${fetched.name === String(fetched.limit) ? '' : `${fetched.name} = `}${fetched.limit.toLocaleString('en-US')} items, the limit passed to ${fetched.activity}${back ? `; items put back at line ${locate(back).line} come round again` : ''})`;
    return back ? { kind: 'bounded', by: text, ...extra } : { kind: 'bounded', by: text, limit: fetched.limit, ...extra };
  }
  return { kind: 'bounded', by, ...extra };
}

/**
 * What bounds `items.map(...)` (or forEach): the size of `items`, read as for a collection a loop
 * walks (a literal list, an allocated length, a constant limit passed to the query that fetched it).
 */
export function fanOutBound(collection: ts.Expression, model: TemporalModel): LoopBound {
  const inner = skipOuterExpressions(collection);
  const by = nodeSnippet(inner, 40);
  const named = ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) ? inner : undefined;
  const target = named ? model.declarationOf(named) : undefined;
  const count = literalCount(inner, model);
  if (count !== undefined) return { kind: 'bounded', by, limit: count, collection: by };
  const length = allocatedLength(inner, model);
  if (length !== undefined) return { kind: 'bounded', by, limit: length, collection: by };
  const fetched = target ? fetchedLimit(target, model, 0) : undefined;
  if (fetched) return { kind: 'bounded', by: `${by} (at most ${fetched.name === String(fetched.limit) ? '' : `${fetched.name} = `}${fetched.limit.toLocaleString('en-US')} items, the limit passed to ${fetched.activity})`, limit: fetched.limit, collection: by };
  return { kind: 'bounded', by, collection: by };
}

/** `[...rows]` (directly or through a const): its length is that of `rows`, not of the literal. */
function copiesUnknown(expression: ts.Expression, model: TemporalModel): boolean {
  let literal: ts.Node = expression;
  if (ts.isIdentifier(expression)) {
    const declaration = model.declarationOf(expression);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) literal = skipOuterExpressions(declaration.initializer);
  }
  return ts.isArrayLiteralExpression(literal) && literal.elements.some((element) => ts.isSpreadElement(element) && model.resolveValue(element.expression).kind !== 'array');
}

/**
 * How many items a list written out in the code has (for a fan-out): an array literal, directly or as the
 * initializer of a `const` nothing adds to (`push`, `unshift`, `splice`). Not a list a function
 * returns (it may start empty and be filled), nor a copy `[...rows]` of a list of unknown size.
 */
function literalCount(expression: ts.Expression, model: TemporalModel): number | undefined {
  let literal: ts.Node = expression;
  if (ts.isIdentifier(expression)) {
    const declaration = model.declarationOf(expression);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isVariableDeclarationList(declaration.parent) || !(declaration.parent.flags & ts.NodeFlags.Const)) return undefined;
    literal = skipOuterExpressions(declaration.initializer);
    if (ts.isArrayLiteralExpression(literal) && isFilled(declaration, model)) return undefined;
  }
  if (ts.isPropertyAccessExpression(literal)) {
    // A list held in a property (`config.regions`): as the value reads.
    const value = model.resolveValue(literal);
    return value.kind === 'array' ? value.elements.length : undefined;
  }
  if (!ts.isArrayLiteralExpression(literal)) return undefined;
  if (literal.elements.some((element) => ts.isSpreadElement(element) && model.resolveValue(element.expression).kind !== 'array')) return undefined;
  const value = model.resolveValue(literal);
  return value.kind === 'array' ? value.elements.length : undefined;
}

/** Something adds to the list a `const` holds, anywhere in the function (or file) that declares it. */
function isFilled(declaration: ts.VariableDeclaration, model: TemporalModel): boolean {
  const scope = enclosingFunction(declaration) ?? declaration.getSourceFile();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (MUTATING.has(node.expression.name.text) || node.expression.name.text === 'splice') && sameTarget(node.expression.expression, declaration, model)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/** Names of the argument or parameter that caps how many rows a query returns. */
const LIMIT_NAME = /limit|max|batch|page|size|take|top|chunk|per_?(run|call|round)|first/i;

/**
 * Where the collection's items came from, when that is an activity asked for at most N of them: a
 * `const` set to `await fetchRows(..., LIMIT)` with LIMIT a numeric constant (or a literal passed
 * as a parameter named like a limit), or a copy of one (`[...rows]`, `rows.slice()`, `Array.from(rows)`).
 */
function fetchedLimit(target: ts.Declaration, model: TemporalModel, depth: number): { limit: number; name: string; activity: string } | undefined {
  if (depth > 3 || !ts.isVariableDeclaration(target) || !target.initializer) return undefined;
  const list = target.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const initializer = skipOuterExpressions(target.initializer);
  let source: ts.Expression | undefined;
  if (ts.isArrayLiteralExpression(initializer) && initializer.elements.length === 1 && ts.isSpreadElement(initializer.elements[0]!)) source = initializer.elements[0].expression;
  else if (ts.isCallExpression(initializer) && ts.isPropertyAccessExpression(initializer.expression) && initializer.expression.name.text === 'slice' && initializer.arguments.length === 0) source = initializer.expression.expression;
  else if (ts.isCallExpression(initializer) && initializer.expression.getText() === 'Array.from' && initializer.arguments.length === 1) source = initializer.arguments[0];
  if (source) {
    const inner = skipOuterExpressions(source);
    const declaration = ts.isIdentifier(inner) ? model.declarationOf(inner) : undefined;
    return declaration ? fetchedLimit(declaration, model, depth + 1) : undefined;
  }
  if (!ts.isAwaitExpression(initializer)) return undefined;
  const call = skipOuterExpressions(initializer.expression);
  if (!ts.isCallExpression(call)) return undefined;
  const activity = activityTypeCalled(call.expression, model);
  if (!activity) return undefined;
  const signature = model.checkerFor(call.getSourceFile().fileName)?.getResolvedSignature(call);
  for (const [index, argument] of call.arguments.entries()) {
    const value = model.resolveValue(argument);
    if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value <= 0) continue;
    const inner = skipOuterExpressions(argument);
    const argumentName = ts.isIdentifier(inner) ? inner.text : ts.isPropertyAccessExpression(inner) ? inner.name.text : undefined;
    const parameterName = signature?.parameters[index]?.name;
    if ((argumentName && LIMIT_NAME.test(argumentName)) || (!argumentName && parameterName && LIMIT_NAME.test(parameterName))) {
      return { limit: value.value, name: argumentName ?? String(value.value), activity };
    }
  }
  return undefined;
}

/**
 * `queue.unshift(job)` (or push) where `job` was taken from the same collection: a `const` set to
 * `queue.shift()` / `queue.pop()`, or a parameter of a function every call of which passes such a const.
 */
function isPutBack(addition: ts.Node, target: ts.Declaration, model: TemporalModel): boolean {
  if (!ts.isCallExpression(addition) || !ts.isPropertyAccessExpression(addition.expression) || !PUSHING.has(addition.expression.name.text)) return false;
  if (!onSomePaths(addition)) return false;
  const argument = addition.arguments.length === 1 ? skipOuterExpressions(addition.arguments[0]!) : undefined;
  if (!argument || !ts.isIdentifier(argument)) return false;
  const declaration = model.declarationOf(argument);
  if (!declaration) return false;
  if (takenFromTarget(declaration, target, model)) return true;
  if (!ts.isParameter(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const fn = declaration.parent;
  const index = fn.parameters.indexOf(declaration);
  const fnName = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  const scope = fnName ? enclosingFunction(fn) : undefined;
  if (!fnName || !scope) return false;
  const fnDeclaration = ts.isFunctionDeclaration(fn) ? fn : fn.parent;
  let calls = 0;
  let all = true;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === fnName.text && model.declarationOf(node.expression) === fnDeclaration) {
      calls++;
      const passed = node.arguments[index] ? skipOuterExpressions(node.arguments[index]!) : undefined;
      const passedDeclaration = passed && ts.isIdentifier(passed) ? model.declarationOf(passed) : undefined;
      if (!passedDeclaration || !takenFromTarget(passedDeclaration, target, model)) all = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return calls > 0 && all;
}

/**
 * The node runs only on some outcomes of its function: in a branch of an `if`, a `catch` clause, a
 * `switch` case or a `? :`. An item put back on every turn would come round forever.
 */
function onSomePaths(node: ts.Node): boolean {
  for (let current = node; current.parent && !ts.isFunctionLike(current); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && current !== parent.expression) return true;
    if (ts.isConditionalExpression(parent) && current !== parent.condition) return true;
    if (ts.isCatchClause(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return true;
  }
  return false;
}

/** `const job = queue.shift()` (or pop) on the collection declared by `target`. */
function takenFromTarget(declaration: ts.Declaration, target: ts.Declaration, model: TemporalModel): boolean {
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isVariableDeclarationList(declaration.parent) || !(declaration.parent.flags & ts.NodeFlags.Const)) return false;
  const taken = takenCollection(declaration.initializer);
  return taken !== undefined && sameTarget(taken, target, model);
}

/** `queue.shift()` or `queue.pop()` (with a `!` or cast around it) gives `queue`. */
function takenCollection(expression: ts.Expression): ts.Expression | undefined {
  const inner = skipOuterExpressions(expression);
  return ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && TAKING.has(inner.expression.name.text) && inner.arguments.length === 0 ? inner.expression.expression : undefined;
}

const TAKING = new Set(['shift', 'pop']);

/**
 * A pool the loop adds to only right after taking an item from another collection in the same
 * block (`const repo = queue.shift(); const task = run(repo); active.push(task)`), where that other
 * collection is itself bounded: the pool gets at most one entry per item. Gives that collection.
 */
function takenFrom(pool: ts.Identifier | ts.PropertyAccessExpression, target: ts.Declaration, loop: Loop, model: TemporalModel): string | undefined {
  let source: ts.Expression | undefined;
  let sound = true;
  const scope = enclosingFunction(target) ?? loop.getSourceFile();
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (MUTATING.has(node.expression.name.text) || node.expression.name.text === 'splice' && node.arguments.length > 2) && sameTarget(node.expression.expression, target, model)) {
      const taken = isInside(node, loop) ? takenBefore(node) : undefined;
      if (!taken || (source && skipOuterExpressions(source).getText() !== skipOuterExpressions(taken).getText())) sound = false;
      else source = taken;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && sameTarget(node.left, target, model) && isInside(node, loop)) sound = false;
    ts.forEachChild(node, visit);
  };
  visit(scope);
  if (!sound || !source || skipOuterExpressions(source).getText() === pool.getText()) return undefined;
  const bound = collectionBound(source, loop, model, 1);
  return bound.kind === 'bounded' && drains(source, loop) ? nodeSnippet(skipOuterExpressions(source), 40) : undefined;
}

/** The collection an earlier statement of the addition's block takes an item from (`const x = queue.shift()`). */
function takenBefore(addition: ts.Node): ts.Expression | undefined {
  let statement: ts.Node = addition;
  while (statement.parent && !ts.isBlock(statement.parent)) {
    if (ts.isFunctionLike(statement.parent)) return undefined;
    statement = statement.parent;
  }
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  for (const earlier of block.statements) {
    if (earlier === statement) break;
    if (!ts.isVariableStatement(earlier)) continue;
    for (const declaration of earlier.declarationList.declarations) {
      const taken = declaration.initializer ? takenCollection(declaration.initializer) : undefined;
      if (taken) return taken;
    }
  }
  return undefined;
}

/** `Array.from({ length: 5 })`, `new Array(5)` or `Array(5)`, written in place or in a constant. */
function allocatedLength(expression: ts.Expression, model: TemporalModel): number | undefined {
  let inner = expression;
  if (ts.isIdentifier(inner)) {
    const declaration = model.declarationOf(inner);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    inner = skipOuterExpressions(declaration.initializer);
  }
  let length: ts.Expression | undefined;
  if (ts.isCallExpression(inner) && inner.expression.getText() === 'Array.from') {
    const options = inner.arguments[0];
    const property = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText() === 'length') : undefined;
    if (property && ts.isPropertyAssignment(property)) length = property.initializer;
  } else if ((ts.isCallExpression(inner) || ts.isNewExpression(inner)) && inner.expression.getText() === 'Array' && inner.arguments?.length === 1) {
    length = inner.arguments[0];
  }
  const value = length ? model.resolveValue(length) : undefined;
  return value?.kind === 'number' ? value.value : undefined;
}

/**
 * An addition a worklist makes at most once per item: `queue.push(edge.target)` inside a `for
 * (const edge of ...)` of the loop, under either `if (waiting[key] === 0)` where the loop only ever
 * lowers `waiting[...]` by one (an in-degree reaches zero once), or `if (!seen.has(key))` with
 * `seen.add(key)` in the same branch and nothing in the loop taking from `seen` (a visited set).
 * Returns how it is guarded, for the message.
 */
function addedOncePerItem(addition: ts.Node, loop: Loop): string | undefined {
  if (!ts.isCallExpression(addition) || addition.arguments.length !== 1) return undefined;
  const key = skipOuterExpressions(addition.arguments[0]!).getText();
  const root = /^[\w$]+/.exec(key)?.[0];
  let walked = false;
  let guard: string | undefined;
  for (let current: ts.Node = addition; current !== loop; current = current.parent) {
    if (!current.parent || ts.isFunctionLike(current)) return undefined;
    const parent = current.parent;
    if (ts.isForOfStatement(parent) && parent.statement === current && ts.isVariableDeclarationList(parent.initializer)) {
      if (parent.initializer.declarations.some((d) => declaredNames(d.name).includes(root ?? ''))) walked = true;
    }
    if (ts.isIfStatement(parent) && parent.thenStatement === current) guard ??= inDegreeGuard(parent.expression, key, loop) ?? visitedGuard(parent.expression, key, current, loop);
  }
  return walked ? guard : undefined;
}

function declaredNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : declaredNames(e.name)));
}

/** `waiting[key] === 0` (or `waiting.get(key) === 0`) where every write of `waiting[...]` in the loop lowers it by one. */
function inDegreeGuard(condition: ts.Expression, key: string, loop: Loop): string | undefined {
  const test = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(test) || (test.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && test.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken) || !isZero(test.right)) return undefined;
  let read = skipOuterExpressions(test.left);
  if (ts.isPrefixUnaryExpression(read) && read.operator === ts.SyntaxKind.MinusMinusToken) read = skipOuterExpressions(read.operand);
  let counts: string | undefined;
  if (ts.isElementAccessExpression(read) && skipOuterExpressions(read.argumentExpression).getText() === key) counts = read.expression.getText();
  if (ts.isCallExpression(read) && ts.isPropertyAccessExpression(read.expression) && read.expression.name.text === 'get' && read.arguments[0] && skipOuterExpressions(read.arguments[0]).getText() === key) counts = read.expression.expression.getText();
  if (!counts) return undefined;
  let sound = true;
  let lowered = false;
  const lowers = (value: ts.Expression, target: string) => {
    const right = skipOuterExpressions(value);
    return ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.MinusToken && right.right.getText() === '1' && skipOuterExpressions(right.left).getText().startsWith(target);
  };
  const visit = (node: ts.Node): void => {
    if (!sound) return;
    if (ts.isElementAccessExpression(node) && node.expression.getText() === counts) {
      const parent = node.parent;
      if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && parent.operand === node) {
        if (parent.operator === ts.SyntaxKind.MinusMinusToken) lowered = true;
        else if (parent.operator === ts.SyntaxKind.PlusPlusToken) sound = false;
      } else if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        if (parent.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken && parent.right.getText() === '1') lowered = true;
        else if (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && lowers(parent.right, node.getText())) lowered = true;
        else sound = false;
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === counts) {
      const method = node.expression.name.text;
      if (method === 'set') {
        if (node.arguments[1] && lowers(node.arguments[1], `${counts}.get(`)) lowered = true;
        else sound = false;
      } else if (method === 'clear' || method === 'delete') sound = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return sound && lowered ? `when ${counts}[...] falls to 0` : undefined;
}

/** `!seen.has(key)` with `seen.add(key)` in the branch, and nothing in the loop deleting from, clearing or replacing `seen`. */
function visitedGuard(condition: ts.Expression, key: string, branch: ts.Node, loop: Loop): string | undefined {
  const test = skipOuterExpressions(condition);
  if (!ts.isPrefixUnaryExpression(test) || test.operator !== ts.SyntaxKind.ExclamationToken) return undefined;
  const call = skipOuterExpressions(test.operand);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'has' || !call.arguments[0] || skipOuterExpressions(call.arguments[0]).getText() !== key) return undefined;
  const seen = call.expression.expression.getText();
  let marks = false;
  let forgets = false;
  const visit = (node: ts.Node, inBranch: boolean): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === seen) {
      const method = node.expression.name.text;
      if (inBranch && method === 'add' && node.arguments[0] && skipOuterExpressions(node.arguments[0]).getText() === key) marks = true;
      if (method === 'delete' || method === 'clear') forgets = true;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && node.left.getText() === seen) forgets = true;
    ts.forEachChild(node, (child) => visit(child, inBranch || child === branch));
  };
  visit(loop.statement, false);
  return marks && !forgets ? `once per item not yet in ${seen}` : undefined;
}

/**
 * Where the collection grows while the loop runs: a push/unshift/add/set or a reassignment inside
 * the loop, or inside a function nested in the one that declares it (a signal or update handler,
 * a helper the loop calls, a promise left running), unless that function runs to completion before
 * the loop starts or after it ends (`await collect()` before the loop: a phase that filled the list).
 */
function growthOf(collection: ts.Identifier | ts.PropertyAccessExpression, loop: Loop, model: TemporalModel, excluded?: (node: ts.Node) => boolean): ts.Node | undefined {
  const target = model.declarationOf(collection);
  if (!target) return undefined;
  // Read from where the collection is declared: a handler beside the helper that loops still feeds it.
  const scope = enclosingFunction(target) ?? loop.getSourceFile();
  let found: ts.Node | undefined;
  const visit = (node: ts.Node, inCallback: boolean): void => {
    if (found) return;
    const live = inCallback || isInside(node, loop);
    if (live && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && sameTarget(node.expression.expression, target, model)) {
      const method = node.expression.name.text;
      if ((MUTATING.has(method) || (method === 'splice' && node.arguments.length > 2)) && !excluded?.(node) && (isInside(node, loop) || !finishesOutsideLoop(node, loop, scope, model))) found = node;
    }
    if (live && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && sameTarget(node.left, target, model) && isInside(node, loop)) found = node;
    ts.forEachChild(node, (child) => visit(child, inCallback || (ts.isFunctionLike(child) && child !== scope)));
  };
  visit(scope, false);
  return found;
}

function sameTarget(expression: ts.Expression, target: ts.Declaration, model: TemporalModel): boolean {
  const inner = skipOuterExpressions(expression);
  return (ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner)) && model.declarationOf(inner) === target;
}

/** The loop takes items out of the collection: `list.shift()`, `queue.pop()`, `pending.splice(i, 1)`. */
function drains(collection: ts.Expression, loop: Loop): boolean {
  const text = skipOuterExpressions(collection).getText();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && DRAINING.has(node.expression.name.text) && skipOuterExpressions(node.expression.expression).getText() === text) {
      found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (!found && (ts.isWhileStatement(loop) || ts.isDoStatement(loop))) visit(loop.expression);
  return found;
}

/** `i`, `++i`, `i++`, `state.attempts`: the variable a comparison counts with. */
function counterName(expression: ts.Expression): string | undefined {
  let inner = skipOuterExpressions(expression);
  if (ts.isPrefixUnaryExpression(inner) || ts.isPostfixUnaryExpression(inner)) inner = inner.operand;
  return ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) ? inner.getText() : undefined;
}

/** The loop changes the counter by steps: `i++`, `--i`, `i += n`, `i -= n`, `i = i + 1`. */
function counts(name: string, loop: Loop): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      if (skipOuterExpressions(node.operand).getText() === name) found = true;
    } else if (ts.isBinaryExpression(node) && skipOuterExpressions(node.left).getText() === name) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusEqualsToken || operator === ts.SyntaxKind.MinusEqualsToken) found = true;
      else if (operator === ts.SyntaxKind.EqualsToken) {
        const right = skipOuterExpressions(node.right);
        found = ts.isBinaryExpression(right) && (right.operatorToken.kind === ts.SyntaxKind.PlusToken || right.operatorToken.kind === ts.SyntaxKind.MinusToken) && skipOuterExpressions(right.left).getText() === name;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(loop, visit);
  return found;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}
