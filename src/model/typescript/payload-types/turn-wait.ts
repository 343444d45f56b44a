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
  /**
   * The duration is the time left until a moment read from data (`expiry.getTime() - now.getTime()`,
   * `deadline - Date.now()`) and the loop leaves when none is left (`if (!left) return;` before the
   * sleep): every turn waits for that moment, so how long a turn lasts depends on data preflight
   * cannot see, but the loop never spins without sleeping.
   */
  until?: boolean;
  /**
   * The wait is `condition(fn, timeout)` and the loop's own test is false whenever `fn` is true
   * (`while (!answered && !aborted) { await condition(() => answered || aborted, '72h'); ... }`):
   * a turn goes round only after the timeout ran out, or after a message changed the state back.
   */
  timedOut?: boolean;
}

/** How many consts deep a duration is followed to its value. */
const VALUE_DEPTH = 3;

/**
 * The first `await sleep(d)` among the top-level statements of the loop body, when no `continue`
 * before it can skip it (a `return`, `break` or throw before it leaves the loop, which is fine).
 */
export function turnWait(loop: ts.IterationStatement, model: TemporalModel, options: { deadline?: boolean } = {}): TurnWait | undefined {
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  for (const [position, statement] of statements.entries()) {
    const timer = ts.isExpressionStatement(statement) ? sleepCall(statement.expression, model) : undefined;
    if (timer) {
      const { call, argument } = timer;
      const ms = argument ? leastDuration(argument, model, 0) : undefined;
      const until = argument !== undefined && timeLeftUntil(argument, model, 0) && leavesWhenNoneLeft(argument, statements.slice(0, position));
      return { location: locate(call), text: nodeSnippet(call, 60), ...(ms !== undefined && ms > 0 ? { ms } : {}), ...(until ? { until } : {}) };
    }
    // Only a loop bounded by a deadline counts a `condition(fn, timeout)` that leaves the loop when
    // `fn` comes true: every turn that goes round waited the whole timeout.
    const waited = options.deadline ? conditionTimedOut(statement, statements[position + 1], model) : undefined;
    if (waited) {
      const ms = deadlineTick(waited.argument, model);
      return { location: locate(waited.call), text: nodeSnippet(waited.call, 60), ...(ms !== undefined && ms > 0 ? { ms } : {}) };
    }
    // `await condition(fn, timeout)` where the loop's test fails whenever `fn` holds: the loop goes round only on a timeout.
    const exiting = conditionEndingLoop(statement, loop, model);
    const exitingMs = exiting ? leastDuration(exiting.arguments[1]!, model, 0) : undefined;
    // Only a timeout preflight can read: an unknown one says nothing about the pace.
    if (exiting && exitingMs !== undefined && exitingMs > 0) return { location: locate(exiting), text: nodeSnippet(exiting, 60), ms: exitingMs, timedOut: true };
    if (containsContinue(statement)) return undefined;
  }
  return undefined;
}

/**
 * `const seen = await condition(fn, timeout); if (seen) { ...; break; }`, or `if (await
 * condition(fn, timeout)) { ...; break; }`: the turn goes round only when the wait timed out.
 */
function conditionTimedOut(statement: ts.Statement, next: ts.Statement | undefined, model: TemporalModel): { call: ts.CallExpression; argument: ts.Expression } | undefined {
  if (ts.isIfStatement(statement) && !statement.elseStatement && endsByLeaving(statement.thenStatement)) {
    const call = awaitedCondition(statement.expression, model);
    return call ? { call, argument: call.arguments[1]! } : undefined;
  }
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const declaration = statement.declarationList.declarations[0]!;
  const call = declaration.initializer ? awaitedCondition(declaration.initializer, model) : undefined;
  if (!call || !ts.isIdentifier(declaration.name) || !next || !ts.isIfStatement(next) || next.elseStatement) return undefined;
  if (!isName(next.expression, declaration.name.text) || !endsByLeaving(next.thenStatement)) return undefined;
  return { call, argument: call.arguments[1]! };
}

/**
 * `await condition(() => P, timeout);` or `const seen = await condition(() => P, timeout);` as a
 * statement of a `while` / `for` loop whose test is false whenever P is true: each disjunct `d` of P
 * (split on `||`) has a conjunct `!d` in the loop's test (split on `&&`), compared as written.
 */
function conditionEndingLoop(statement: ts.Statement, loop: ts.IterationStatement, model: TemporalModel): ts.CallExpression | undefined {
  const test = ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : ts.isForStatement(loop) ? loop.condition : undefined;
  if (!test) return undefined;
  let expression: ts.Expression | undefined;
  if (ts.isExpressionStatement(statement)) expression = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) expression = statement.declarationList.declarations[0]!.initializer;
  const call = expression ? awaitedCondition(expression, model) : undefined;
  const predicate = call ? skipOuterExpressions(call.arguments[0]!) : undefined;
  if (!call || !predicate || !(ts.isArrowFunction(predicate) || ts.isFunctionExpression(predicate))) return undefined;
  const body = ts.isBlock(predicate.body)
    ? predicate.body.statements.length === 1 && ts.isReturnStatement(predicate.body.statements[0]!) ? predicate.body.statements[0].expression : undefined
    : predicate.body;
  if (!body) return undefined;
  const textOf = (e: ts.Expression) => skipOuterExpressions(e).getText().replace(/\s+/g, '');
  const negated = new Set(
    splitOn(test, ts.SyntaxKind.AmpersandAmpersandToken).flatMap((conjunct) => {
      const inner = skipOuterExpressions(conjunct);
      return ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken ? [textOf(inner.operand)] : [];
    }),
  );
  const disjuncts = splitOn(body, ts.SyntaxKind.BarBarToken);
  return negated.has(textOf(body)) || disjuncts.every((d) => negated.has(textOf(d))) ? call : undefined;
}

function splitOn(expression: ts.Expression, operator: ts.SyntaxKind): ts.Expression[] {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === operator) return [...splitOn(inner.left, operator), ...splitOn(inner.right, operator)];
  return [inner];
}

/** `await condition(fn, timeout)` with a timeout. */
function awaitedCondition(expression: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  const inner = skipOuterExpressions(expression);
  const awaited = ts.isAwaitExpression(inner) ? skipOuterExpressions(inner.expression) : undefined;
  if (!awaited || !ts.isCallExpression(awaited) || awaited.arguments.length < 2) return undefined;
  return model.temporalApiOf(awaited.expression)?.name === 'condition' ? awaited : undefined;
}

/** A block (or statement) whose last statement leaves the loop, with no `continue` in it. */
function endsByLeaving(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isBreakStatement(last) || ts.isThrowStatement(last)) && !containsContinue(statement);
}

/**
 * The wait of a turn in a loop bounded by a deadline: its least duration, or for
 * `Math.min(POLL_MS, deadline - Date.now())` (followed through consts) the poll interval, since only
 * the last turn, the one that reaches the deadline, waits less.
 */
function deadlineTick(expression: ts.Expression, model: TemporalModel, depth = 0): number | undefined {
  const least = leastDuration(expression, model, 0);
  if (least !== undefined || depth > VALUE_DEPTH) return least;
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.getText() === 'Math.min') {
    const known: number[] = [];
    for (const argument of node.arguments) {
      const ms = leastDuration(argument, model, 0);
      if (ms !== undefined) known.push(ms);
      else if (!timeLeftUntil(argument, model, 0)) return undefined;
    }
    return known.length > 0 ? Math.min(...known) : undefined;
  }
  const initializer = constInitializer(node, model);
  return initializer ? deadlineTick(initializer, model, depth + 1) : undefined;
}

/**
 * `await sleep(d)`, or `await new Promise((resolve) => setTimeout(resolve, d))`: in a workflow,
 * setTimeout is a durable timer too.
 */
function sleepCall(expression: ts.Expression, model: TemporalModel): { call: ts.CallExpression; argument: ts.Expression | undefined } | undefined {
  const inner = skipOuterExpressions(expression);
  const awaited = ts.isAwaitExpression(inner) ? skipOuterExpressions(inner.expression) : undefined;
  if (awaited && ts.isCallExpression(awaited) && model.temporalApiOf(awaited.expression)?.name === 'sleep') return { call: awaited, argument: awaited.arguments[0] };
  const timeout = awaited ? promisedTimeout(awaited as ts.Expression, model) : undefined;
  return timeout ? { call: timeout, argument: timeout.arguments[1] } : undefined;
}

/** The `setTimeout(resolve, d)` of `new Promise((resolve) => setTimeout(resolve, d))`. */
function promisedTimeout(expression: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  if (!ts.isNewExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'Promise') return undefined;
  const executor = expression.arguments?.[0] ? skipOuterExpressions(expression.arguments[0]) : undefined;
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return undefined;
  const body = executor.body;
  const single = ts.isBlock(body) ? (body.statements.length === 1 && ts.isExpressionStatement(body.statements[0]!) ? body.statements[0].expression : undefined) : body;
  const call = single ? skipOuterExpressions(single) : undefined;
  return call && ts.isCallExpression(call) && isGlobalSetTimeout(call, model) ? call : undefined;
}

/** A call of the global `setTimeout` (declared by the standard library, not by the project). */
export function isGlobalSetTimeout(call: ts.CallExpression, model: TemporalModel): boolean {
  if (!ts.isIdentifier(call.expression) || call.expression.text !== 'setTimeout') return false;
  const declaration = model.declarationOf(call.expression);
  return !declaration || declaration.getSourceFile().isDeclarationFile;
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
  const initializer = constInitializer(node, model);
  return initializer ? leastDuration(initializer, model, depth + 1) : undefined;
}

/** Calls that read a moment as milliseconds: `d.getTime()`, `d.valueOf()`, `Date.now()`, `Date.parse(s)`, `a.diff(b)` (dayjs, moment). */
const TIME_READS = new Set(['getTime', 'valueOf', 'now', 'parse', 'diff']);

/**
 * Whether a duration is the time between two moments: a subtraction or `diff` of time reads,
 * followed through consts, `Math.max`/`Math.min` and casts.
 */
function timeLeftUntil(expression: ts.Expression, model: TemporalModel, depth: number): boolean {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (depth > VALUE_DEPTH) return false;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.MinusToken) return readsTime(node.left) || readsTime(node.right);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    if (node.expression.name.text === 'diff') return true;
    if (/^Math\.(max|min)$/.test(node.expression.getText())) return node.arguments.some((argument) => timeLeftUntil(argument, model, depth + 1));
  }
  const initializer = constInitializer(node, model);
  return initializer ? timeLeftUntil(initializer, model, depth + 1) : false;
}

function readsTime(expression: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TIME_READS.has(node.expression.name.text)) {
      const name = node.expression.name.text;
      found = (name !== 'now' && name !== 'parse') || node.expression.expression.getText() === 'Date';
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** An `if (!left) return;` (or `left <= 0`, `left === 0`, `left < n`; return, break or throw) before the sleep of `left`. */
function leavesWhenNoneLeft(argument: ts.Expression, before: readonly ts.Statement[]): boolean {
  const slept = skipOuterExpressions(argument);
  if (!ts.isIdentifier(slept)) return false;
  return before.some((statement) => {
    if (!ts.isIfStatement(statement) || !leaves(statement.thenStatement)) return false;
    const condition = skipOuterExpressions(statement.expression);
    if (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) return isName(condition.operand, slept.text);
    return (
      ts.isBinaryExpression(condition) &&
      isName(condition.left, slept.text) &&
      [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(condition.operatorToken.kind)
    );
  });
}

function isName(node: ts.Node, name: string): boolean {
  const inner = skipOuterExpressions(node as ts.Expression);
  return ts.isIdentifier(inner) && inner.text === name;
}

function leaves(statement: ts.Statement): boolean {
  const first = ts.isBlock(statement) ? statement.statements[0] : statement;
  return first !== undefined && (ts.isReturnStatement(first) || ts.isBreakStatement(first) || ts.isThrowStatement(first));
}

/** A `continue` in the statement that is not inside a nested function (conservatively, any loop's). */
export function containsContinue(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isContinueStatement(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** The initializer of the `const` an identifier names, when it is one. */
function constInitializer(node: ts.Expression, model: TemporalModel): ts.Expression | undefined {
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = model.declarationOf(node);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isVariableDeclarationList(declaration.parent)) return undefined;
  return declaration.parent.flags & ts.NodeFlags.Const ? declaration.initializer : undefined;
}
