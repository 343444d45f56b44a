// Endless loops of workflow code whose catch takes a cancellation and goes round again. The
// TypeScript SDK cancels a workflow by cancelling its root CancellationScope (@temporalio/workflow
// lib/internals.js cancelWorkflow: `this.rootScope.cancel()`), and a cancelled scope stays
// cancelled: the awaited activity rejects (ActivityFailure whose cause is a CancelledFailure), and
// from then on every activity, timer, child workflow or condition started in it rejects at once
// with the scope's CancelledFailure, without a command (lib/workflow.js: each start checks
// `scope.consideredCancelled` first and rejects through `scope.cancelRequested.catch(reject)`). A
// `while (true) { try { await work() } catch (err) { log(err) } }` then turns round and round in
// microtasks without yielding: the activation never ends, the worker's isolateExecutionTimeout
// (5 s) fails the workflow task, and the task is retried for ever, so the run never finishes its
// cancellation.
//
// Read narrowly, so that the spin is certain:
// - the loop is `while (true)`, `for (;;)`, `do ... while (true)`, or `while (flag)` / `while
//   (!flag)` on a variable or property nothing on the spinning path writes;
// - the try is a statement of the loop's own body and its block awaits an activity, a timer, a
//   child workflow or a condition, directly or through one helper of workflow code, outside
//   CancellationScope.nonCancellable;
// - on the path a cancellation takes (the loop body outside the try, the try block up to its first
//   statement that always waits, the catch, the finally), nothing leaves the loop: no `throw`,
//   `return` or `break` (one under an `if` of the try block counts only when its condition can
//   change during the spin), no `await` outside the try (a cancelled wait there would throw out of
//   the loop), no mention of cancellation (`isCancellation(err)`, `CancelledFailure`, a
//   `cancelled` flag), no call of a project function handed the caught error (it may rethrow).
// A catch outside a loop is not reported: the next wait after it rejects again and ends the run.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { acrossWorkflows, firstInterruptedWait, isShieldingCall } from './cancelled-scope-cleanup.js';
import { addBindingNames, mentionsAnyName } from './name-sets.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel } from './types.js';

export interface CancellationSpinLoop {
  /** The catch clause. */
  location: SourceLocation;
  /** The loop statement. */
  loopLocation: SourceLocation;
  /** The loop's head as written (`while (true)`). */
  loopText: string;
  /** The first interrupted wait of the try block. */
  callLocation: SourceLocation;
  /** What it waits on: `activity thought`, `a timer (sleep)`, `a condition`, `a child workflow`. */
  what: string;
  /** The wait as written inside the helper of workflow code that makes it, when it is in one. */
  via?: string;
  /** The call as written in the try block (the helper's call when `via` is set). */
  text: string;
  /** Workflows whose code reaches the loop, sorted. */
  workflows: string[];
}

const WAIT_NAMES: Record<string, string> = {
  sleep: 'a timer (sleep)',
  condition: 'a condition',
  executeChild: 'a child workflow',
  startChild: 'a child workflow',
};

const cache = new WeakMap<TemporalModel, CancellationSpinLoop[]>();

export function cancellationSpinLoops(model: TemporalModel): CancellationSpinLoop[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const result = acrossWorkflows<CancellationSpinLoop>(model, (fn, add) => forEachLoop(fn, (loop) => spinsOf(loop, model).forEach(add)));
  cache.set(model, result);
  return result;
}

/** Every loop of a function body, callbacks included, outside non-cancellable scopes and nested declarations. */
function forEachLoop(fn: ts.FunctionLikeDeclaration, onLoop: (loop: ts.IterationStatement) => void): void {
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isClassLike(node) || isShieldingCall(node)) return;
    if (ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node)) onLoop(node);
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
}

const memo = new WeakMap<ts.Node, Omit<CancellationSpinLoop, 'workflows'>[]>();

function spinsOf(loop: ts.IterationStatement, model: TemporalModel): Omit<CancellationSpinLoop, 'workflows'>[] {
  const known = memo.get(loop);
  if (known) return known;
  const result: Omit<CancellationSpinLoop, 'workflows'>[] = [];
  memo.set(loop, result);
  const flag = endlessFlag(loop);
  if (flag === undefined) return result;
  const body = loop.statement;
  const statements: readonly ts.Statement[] = ts.isBlock(body) ? body.statements : [body];
  statements.forEach((statement, index) => {
    if (!ts.isTryStatement(statement) || !statement.catchClause) return;
    const region = spinRegion(statement.tryBlock, model);
    // The wait every turn makes (the statement that ends the region), else the first one.
    const last = region[region.length - 1];
    const wait = (last && isWaitStatement(last) ? firstInterruptedWait(last, model, 1) : undefined) ?? firstInterruptedWait(statement.tryBlock, model, 1);
    if (!wait) return;
    const clause = statement.catchClause;
    const binding = clause.variableDeclaration?.name;
    const errorNames = new Set<string>();
    if (binding) addBindingNames(binding, errorNames);
    // The statements that run on every turn once the scope is cancelled, outside the try block.
    const around: ts.Node[] = [...statements.slice(0, index), ...statements.slice(index + 1), clause.block];
    if (statement.finallyBlock) around.push(statement.finallyBlock);
    if (ts.isForStatement(loop) && loop.incrementor) around.push(loop.incrementor);
    if (around.some((node) => leavesOrWaits(node) || mentionsCancellation(node))) return;
    if (region.some(mentionsCancellation)) return;
    if ([clause.block, ...(statement.finallyBlock ? [statement.finallyBlock] : [])].some((node) => handsErrorToProject(node, errorNames, model))) return;
    const spinning = [...around, ...region];
    if (flag !== true && spinning.some((node) => writes(node, flag))) return;
    if (region.some((node) => exitsUnderChangingCondition(node, loop))) return;
    result.push({
      location: model.locate(clause),
      loopLocation: model.locate(loop),
      loopText: loopHead(loop),
      callLocation: wait.location,
      what: describeWait(wait.what),
      text: wait.text,
      ...(wait.via ? { via: wait.via } : {}),
    });
  });
  return result;
}

/**
 * `true` for a loop with no way to end in its condition (`while (true)`, `for (;;)`, `do ...
 * while (true)`); the flag expression for `while (flag)` / `while (!flag)` on a name or property;
 * undefined for any other loop.
 */
function endlessFlag(loop: ts.IterationStatement): true | ts.Expression | undefined {
  let condition: ts.Expression | undefined;
  if (ts.isForStatement(loop)) {
    if (!loop.condition) return true;
    condition = loop.condition;
  } else if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) condition = loop.expression;
  else return undefined;
  let inner = skipOuterExpressions(condition) as ts.Expression;
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) inner = skipOuterExpressions(inner.operand) as ts.Expression;
  return isNamePath(inner) ? inner : undefined;
}

/** `done`, `this.done`, `state.exit.requested`. */
function isNamePath(expression: ts.Expression): boolean {
  if (ts.isIdentifier(expression)) return true;
  if (ts.isPropertyAccessExpression(expression)) return expression.expression.kind === ts.SyntaxKind.ThisKeyword || isNamePath(expression.expression);
  return false;
}

/**
 * The statements of the try block that run on a turn after the cancellation: those up to and
 * including the first one that always waits (a wait in an expression, declaration or return
 * statement of the block itself); the whole block when none does.
 */
function spinRegion(block: ts.Block, model: TemporalModel): ts.Statement[] {
  const region: ts.Statement[] = [];
  for (const statement of block.statements) {
    region.push(statement);
    if (isWaitStatement(statement) && firstInterruptedWait(statement, model, 1)) break;
  }
  return region;
}

function isWaitStatement(statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) || ts.isVariableStatement(statement) || ts.isReturnStatement(statement);
}

/** A throw, return, break out of the piece, await or yield under the node (outside nested functions). */
function leavesOrWaits(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isThrowStatement(current) || ts.isReturnStatement(current) || ts.isAwaitExpression(current) || ts.isYieldExpression(current)) found = true;
    else if (ts.isBreakStatement(current)) found = !breaksInside(current, node);
    else if (ts.isContinueStatement(current) && current.label) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** An unlabelled `break` whose loop or switch sits inside `piece`. */
function breaksInside(statement: ts.BreakStatement, piece: ts.Node): boolean {
  if (statement.label) return false;
  for (let node: ts.Node = statement.parent; node && node !== piece; node = node.parent) {
    if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node)) return true;
  }
  return false;
}

/**
 * A return or break out of the loop in the try block's spinning statements that may be taken on
 * some turn: unconditional, or under an `if` (or nested loop) whose condition can change while the
 * loop spins. A condition that only reads names nothing in the loop writes, mutates or hands to a
 * call (a flag a signal handler sets) stays as it was: the handler cannot run during the spin.
 */
function exitsUnderChangingCondition(node: ts.Node, loop: ts.IterationStatement): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isReturnStatement(current) || (ts.isBreakStatement(current) && !breaksInside(current, node))) {
      const guards = guardsOf(current, node);
      if (guards === undefined || guards.length === 0 || guards.some((guard) => !fixedDuringSpin(guard, loop))) found = true;
      return;
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** The conditions of the ifs and loops between a statement and `top`; undefined when another construct (switch, conditional expression) guards it. */
function guardsOf(statement: ts.Node, top: ts.Node): ts.Expression[] | undefined {
  const guards: ts.Expression[] = [];
  let child: ts.Node = statement;
  for (let node: ts.Node | undefined = statement.parent; node; child = node, node = node.parent) {
    if (ts.isIfStatement(node) && child !== node.expression) guards.push(node.expression);
    else if (ts.isWhileStatement(node) || ts.isDoStatement(node)) guards.push(node.expression);
    else if (ts.isForStatement(node)) {
      if (node.condition) guards.push(node.condition);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isSwitchStatement(node) || ts.isCaseClause(node)) return undefined;
    if (node === top) break;
  }
  return guards;
}

/** A condition without calls or awaits whose names nothing in the loop writes, mutates or passes on. */
function fixedDuringSpin(condition: ts.Expression, loop: ts.IterationStatement): boolean {
  let fixed = true;
  const names = new Set<string>();
  const visit = (current: ts.Node): void => {
    if (!fixed) return;
    if (ts.isCallExpression(current) || ts.isAwaitExpression(current) || ts.isNewExpression(current)) fixed = false;
    else if (ts.isIdentifier(current)) names.add(current.text);
    else if (ts.isPropertyAccessExpression(current)) visit(current.expression);
    else ts.forEachChild(current, visit);
  };
  visit(condition);
  if (!fixed) return false;
  return ![...names].some((name) => changedInLoop(name, loop));
}

/** The name is assigned, incremented, the receiver of a method call or an argument of a call in the loop (outside nested functions). */
function changedInLoop(name: string, loop: ts.IterationStatement): boolean {
  let changed = false;
  const visit = (current: ts.Node): void => {
    if (changed || ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isBinaryExpression(current) && isAssignment(current.operatorToken.kind) && rootName(current.left) === name) changed = true;
    else if ((ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) && isIncrement(current.operator) && rootName(current.operand) === name) changed = true;
    else if (ts.isDeleteExpression(current) && rootName(current.expression) === name) changed = true;
    else if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee) && rootName(callee.expression) === name) changed = true;
      else if (current.arguments.some((argument) => rootName(argument) === name)) changed = true;
    }
    if (!changed) ts.forEachChild(current, visit);
  };
  visit(loop);
  return changed;
}

function rootName(expression: ts.Expression): string | undefined {
  let inner = skipOuterExpressions(expression) as ts.Expression;
  while (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner)) inner = skipOuterExpressions(inner.expression) as ts.Expression;
  return ts.isIdentifier(inner) ? inner.text : undefined;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

/** The node writes the loop's flag: assigns it (or an object it hangs on), or calls a method of the object it hangs on. */
function writes(node: ts.Node, flag: ts.Expression): boolean {
  const flagText = flag.getText();
  const owner = ts.isPropertyAccessExpression(flag) ? flag.expression.getText() : undefined;
  const touches = (target: ts.Expression): boolean => {
    const text = (skipOuterExpressions(target) as ts.Expression).getText();
    return text === flagText || flagText.startsWith(`${text}.`);
  };
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isBinaryExpression(current) && isAssignment(current.operatorToken.kind) && touches(current.left)) found = true;
    else if ((ts.isPrefixUnaryExpression(current) || ts.isPostfixUnaryExpression(current)) && isIncrement(current.operator) && touches(current.operand)) found = true;
    else if (owner && ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.getText() === owner) found = true;
    }
    if (!found) ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** `isCancellation(err)`, `CancelledFailure`, a `cancelled` flag or helper: anything that names cancellation. */
function mentionsCancellation(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(current) || ts.isPrivateIdentifier(current)) && /cancel/i.test(current.text)) found = true;
    else if (ts.isStringLiteralLike(current) && /cancel/i.test(current.text)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** A call of a function declared in the reviewed code that receives the caught error (or a value made from it). */
function handsErrorToProject(node: ts.Node, errorNames: Set<string>, model: TemporalModel): boolean {
  if (errorNames.size === 0) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current) || ts.isClassLike(current)) return;
    if (ts.isCallExpression(current) && current.arguments.some((argument) => mentionsAnyName(argument, errorNames))) {
      const fn = functionOfDeclaration(model.declarationOf(skipOuterExpressions(current.expression)));
      if (fn && model.files.includes(fn.getSourceFile().fileName)) found = true;
      // A method the reviewer cannot resolve (`this.handle(err)`, `handler.onError(err)`) may decide too.
      else if (!fn && !isKnownSink(current)) found = true;
    }
    if (!found) ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Calls that only record or format the error: logging, array and map writes, string building, JSON. */
function isKnownSink(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (!name) return false;
  if (/^(log|logger|logError|logWarning|logWarn|String|Number|Boolean|JSON|stringify|parse)$/i.test(name)) return true;
  if (/^(push|unshift|set|add|concat|join|slice|map|filter|toString|trim|substring|replace|includes|startsWith|endsWith|stringify|info|warn|warning|error|debug|trace|fatal|log)$/.test(name)) return true;
  return false;
}

function describeWait(what: string): string {
  return WAIT_NAMES[what] ?? what;
}

function loopHead(loop: ts.IterationStatement): string {
  if (ts.isForStatement(loop)) return `for (${loop.initializer?.getText() ?? ''}; ${loop.condition?.getText() ?? ''}; ${loop.incrementor?.getText() ?? ''})`.replace(/\s+/g, ' ');
  if (ts.isWhileStatement(loop)) return `while (${loop.expression.getText()})`.replace(/\s+/g, ' ');
  if (ts.isDoStatement(loop)) return `do ... while (${loop.expression.getText()})`.replace(/\s+/g, ' ');
  return 'loop';
}
