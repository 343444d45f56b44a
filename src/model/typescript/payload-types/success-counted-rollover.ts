// Workflow loops whose continue-as-new is triggered only by a counter that the loop increments on
// the success path of a try, where the catch lets the loop go round again:
//
//   let processed = 0;
//   while (true) {
//     try { await doWork(); processed++; } catch (e) { log(e); }
//     if (processed >= LIMIT) await continueAsNew(...);
//     await sleep(...);
//   }
//
// While the work keeps failing (a dependency outage), every round adds failed activity events and
// timers to the history and the counter stands still: the run never rolls over. Only work that
// gives up in bounded time (an activity with maximumAttempts or scheduleToCloseTimeout, a child
// workflow) reaches the catch during an outage: with unlimited retries the activity retries in place. The loop looks
// guarded (it calls continueAsNew), so workflow-unbounded-history leaves it alone.

import ts from 'typescript';
import { enclosingFunction } from '../call-reach.js';
import { functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import { activityOfCall } from '../observability/workflow-activity-calls.js';
import { continueAsNewCalls } from '../continue-as-new-calls.js';
import type { ActivityProxy, StaticValue } from '../types.js';
import { COMPARISONS } from './loop-bounds.js';
import { historyGrowthOf, type HistoryGrowth } from './unbounded-loops.js';

export interface SuccessCountedRollover {
  /** The increment on the success path (`processed++`). */
  location: SourceLocation;
  /** The counter as written (`processed`, `state.processed`). */
  counter: string;
  /** The condition that triggers continue-as-new (`processed >= LIMIT`). */
  condition: string;
  conditionLocation: SourceLocation;
  continueAsNew: SourceLocation;
  /** The catch clause that lets the loop go round again without counting. */
  catchLocation: SourceLocation;
  loop: SourceLocation;
  /** The function the loop is in. */
  functionName?: string;
  /** What each round schedules (first few). */
  growth: HistoryGrowth[];
  /** The work in the try that gives up in bounded time and so fails to the catch (`activity fetchPage (maximumAttempts 5)`). */
  failsOver: string;
}

/** How many helper calls deep the work in the try block is followed. */
const HELPER_DEPTH = 2;
const GUARD_PROPERTIES = new Set(['continueAsNewSuggested', 'historyLength', 'historySize']);

const cache = new WeakMap<TemporalModel, SuccessCountedRollover[]>();

export function successCountedRollovers(model: TemporalModel): SuccessCountedRollover[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: SuccessCountedRollover[] = [];
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\bcontinueAsNew\b/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isWhileStatement(node) || ts.isDoStatement(node) || (ts.isForStatement(node) && !node.incrementor)) {
        const hit = successCounted(node, model);
        if (hit) found.push(hit);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

function successCounted(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement, model: TemporalModel): SuccessCountedRollover | undefined {
  // A loop that reads the server's suggestion or the history length rolls over on it, whatever the counter does.
  if (mentionsGuardProperty(loop)) return undefined;
  const rollovers = continueAsNewCalls(loop.statement, model);
  if (!rollovers.length) return undefined;
  let counter: string | undefined;
  let condition: ts.Expression | undefined;
  for (const call of rollovers) {
    const guard = guardingCondition(call, loop.statement);
    if (!guard) return undefined;
    // The counter is the compared name the loop writes; the other side is the limit.
    const names = counterComparisons(guard).filter((name) => writesTo(loop.statement, name).length > 0);
    // Every continue-as-new must hang on the same single counter.
    if (names.length !== 1 || (counter !== undefined && names[0] !== counter)) return undefined;
    counter = names[0];
    condition ??= guard;
  }
  if (!counter || !condition) return undefined;
  const loopCondition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (loopCondition && mentions(loopCondition, counter)) return undefined;
  const writes = writesTo(loop.statement, counter);
  if (!writes.length) return undefined;
  let catchClause: ts.CatchClause | undefined;
  let failsOver: string | undefined;
  for (const write of writes) {
    if (!isIncrement(write, counter)) return undefined;
    const tryStatement = successPathOf(write, loop);
    if (!tryStatement?.catchClause || !catchContinues(tryStatement.catchClause)) return undefined;
    catchClause ??= tryStatement.catchClause;
    failsOver ??= boundedWorkBefore(tryStatement.tryBlock, write.getStart(), model);
  }
  // With unlimited retries an outage keeps the activity retrying in place (no new events, the
  // workflow waits): only work that gives up in bounded time reaches the catch round after round.
  if (!failsOver) return undefined;
  if (!catchClause || declaredInside(counter, writes[0]!, loop, model)) return undefined;
  const growth = historyGrowthOf(loop.statement, model);
  if (!growth.length) return undefined;
  const fn = enclosingFunction(loop);
  const functionName = fn && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : fn && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  return {
    location: model.locate(writes[0]!),
    counter,
    condition: condition.getText(),
    conditionLocation: model.locate(condition),
    continueAsNew: model.locate(rollovers[0]!),
    catchLocation: model.locate(catchClause),
    loop: model.locate(loop),
    ...(functionName ? { functionName } : {}),
    growth: growth.slice(0, 3),
    failsOver,
  };
}

/**
 * The first call in the try block, before the increment, that fails to the workflow in bounded
 * time when what it depends on is down: an activity whose options set retry.maximumAttempts or
 * scheduleToCloseTimeout, or a child workflow, called there or in a helper function of the project
 * (`await doWork()`), where a try of the helper's own that catches it does not count. Undefined
 * when the activities there retry without limit or their options cannot be read.
 */
function boundedWorkBefore(block: ts.Block, position: number, model: TemporalModel): string | undefined {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const seen = new Set<ts.Node>();
  let found: string | undefined;
  const visit = (current: ts.Node, depth: number, limit: number): void => {
    if (found || current.getStart() >= limit || ts.isFunctionLike(current)) return;
    // In a helper, a failure its own try catches never reaches the loop's catch.
    if (depth > 0 && ts.isTryStatement(current) && current.catchClause) {
      visit(current.catchClause, depth, limit);
      if (current.finallyBlock) visit(current.finallyBlock, depth, limit);
      return;
    }
    if (ts.isCallExpression(current)) {
      const api = model.temporalApiOf(current.expression)?.name;
      if (api === 'executeChild') {
        found = `child workflow ${current.arguments[0] ? current.arguments[0].getText() : 'executeChild'}`;
        return;
      }
      const activity = activityOfCall(current, model, proxyByNode);
      const bound = activity && retryBound(activity.proxy.options);
      if (activity && bound) {
        found = `activity ${activity.name} (${bound})`;
        return;
      }
      if (!activity && !api && depth < HELPER_DEPTH) {
        const helper = functionOfDeclaration(model.declarationOf(current.expression));
        const body = helper?.body;
        if (body && !seen.has(body) && !body.getSourceFile().isDeclarationFile && model.files.includes(body.getSourceFile().fileName)) {
          seen.add(body);
          visit(body, depth + 1, Number.POSITIVE_INFINITY);
          if (found) return;
        }
      }
    }
    ts.forEachChild(current, (child) => visit(child, depth, limit));
  };
  visit(block, 0, position);
  return found;
}

/** `maximumAttempts 3` or `scheduleToCloseTimeout 10m` when the options bound the retries. */
function retryBound(options: StaticValue): string | undefined {
  if (options.kind !== 'object') return undefined;
  const retry = options.properties.get('retry');
  const attempts = retry?.kind === 'object' ? retry.properties.get('maximumAttempts') : undefined;
  if (attempts?.kind === 'number' && attempts.value > 0 && Number.isFinite(attempts.value)) return `maximumAttempts ${attempts.value}`;
  const deadline = options.properties.get('scheduleToCloseTimeout');
  if (deadline && (deadline.kind === 'string' || deadline.kind === 'number')) return `scheduleToCloseTimeout ${deadline.kind === 'string' ? deadline.value : `${deadline.value} ms`}`;
  return undefined;
}

/** True when the node reads workflowInfo().continueAsNewSuggested, historyLength or historySize. */
export function mentionsGuardProperty(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(current) && GUARD_PROPERTIES.has(current.name.text)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * The condition of the `if` whose then-branch holds the call, inside the loop body; undefined when
 * the call is unconditional, in an else-branch, or under anything else that decides it (`?:`, `&&`).
 */
export function guardingCondition(call: ts.Node, body: ts.Node): ts.Expression | undefined {
  for (let child: ts.Node = call, current = call.parent; current && child !== body; child = current, current = current.parent) {
    if (ts.isIfStatement(current)) return child === current.thenStatement ? current.expression : undefined;
    if (ts.isConditionalExpression(current) || ts.isBinaryExpression(current) || ts.isSwitchStatement(current) || ts.isCaseClause(current) || ts.isCatchClause(current) || ts.isIterationStatement(current, false)) return undefined;
    if (ts.isFunctionLike(current)) return undefined;
  }
  return undefined;
}

/**
 * The names a condition compares (`processed >= LIMIT`, `LIMIT <= state.processed`,
 * `processed % 100 === 0`), when the condition joins its parts by `&&` only: with `||`, something
 * else may roll the run over.
 */
function counterComparisons(condition: ts.Expression): string[] {
  const names = new Set<string>();
  let plain = true;
  const visit = (expression: ts.Expression): void => {
    const current = skipOuterExpressions(expression);
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      visit(current.left);
      visit(current.right);
      return;
    }
    if (ts.isBinaryExpression(current) && COMPARISONS.has(current.operatorToken.kind)) {
      for (const side of [current.left, current.right]) {
        const bare = skipOuterExpressions(side);
        // `processed % 100 === 0` rolls over every hundredth success.
        const name = counterName(ts.isBinaryExpression(bare) && bare.operatorToken.kind === ts.SyntaxKind.PercentToken ? bare.left : side);
        if (name) names.add(name);
      }
      return;
    }
    // Another condition joined by `&&` only narrows it; `||` lets something else roll the run over.
    if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.BarBarToken || current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) plain = false;
  };
  visit(condition);
  return plain ? [...names] : [];
}

/** `processed`, `state.processed`, `this.processed`: a plain name or property chain. */
function counterName(expression: ts.Expression): string | undefined {
  const current = skipOuterExpressions(expression);
  if (ts.isIdentifier(current)) return current.text;
  if (ts.isPropertyAccessExpression(current)) {
    const base = current.expression.kind === ts.SyntaxKind.ThisKeyword ? 'this' : counterName(current.expression);
    return base ? `${base}.${current.name.text}` : undefined;
  }
  return undefined;
}

function mentions(node: ts.Node, counter: string): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(current) || ts.isPropertyAccessExpression(current)) && counterName(current as ts.Expression) === counter) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Assignments and ++/-- of the counter in the loop body, nested functions included. */
function writesTo(body: ts.Node, counter: string): ts.Expression[] {
  const writes: ts.Expression[] = [];
  const visit = (current: ts.Node): void => {
    if ((ts.isPostfixUnaryExpression(current) || ts.isPrefixUnaryExpression(current)) && (current.operator === ts.SyntaxKind.PlusPlusToken || current.operator === ts.SyntaxKind.MinusMinusToken) && counterName(current.operand) === counter) {
      writes.push(current);
    } else if (ts.isBinaryExpression(current) && isAssignment(current.operatorToken.kind) && counterName(current.left) === counter) {
      writes.push(current);
    }
    ts.forEachChild(current, visit);
  };
  visit(body);
  return writes;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `c++`, `++c`, `c += n`, `c = c + n`. */
function isIncrement(write: ts.Expression, counter: string): boolean {
  if (ts.isPostfixUnaryExpression(write) || ts.isPrefixUnaryExpression(write)) return write.operator === ts.SyntaxKind.PlusPlusToken;
  if (!ts.isBinaryExpression(write)) return false;
  if (write.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return true;
  if (write.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const right = skipOuterExpressions(write.right);
  return ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.PlusToken && (counterName(right.left) === counter || counterName(right.right) === counter);
}

/**
 * The try statement (inside the loop) whose try block holds the write after an await that can
 * fail: the write runs only when that await succeeds. Undefined when the write is outside a try
 * block, in a catch or finally, or comes before any await of its try block.
 */
function successPathOf(write: ts.Node, loop: ts.Node): ts.TryStatement | undefined {
  for (let child: ts.Node = write, current = write.parent; current && current !== loop; child = current, current = current.parent) {
    if (ts.isTryStatement(current)) {
      if (child !== current.tryBlock) return undefined;
      return awaitsBefore(current.tryBlock, write.getStart()) ? current : undefined;
    }
  }
  return undefined;
}

function awaitsBefore(block: ts.Block, position: number): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || current.getStart() >= position) return;
    if (ts.isFunctionLike(current)) return;
    if (ts.isAwaitExpression(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(block);
  return found;
}

/** The catch clause lets the loop go on: nothing at its top level throws, returns or breaks out. */
function catchContinues(clause: ts.CatchClause): boolean {
  return !clause.block.statements.some((statement) => ts.isThrowStatement(statement) || ts.isReturnStatement(statement) || ts.isBreakStatement(statement));
}

/** A counter declared inside the loop starts at zero every round: another shape, not this one. */
function declaredInside(counter: string, write: ts.Node, loop: ts.Node, model: TemporalModel): boolean {
  if (counter.includes('.')) return false;
  let identifier: ts.Node | undefined;
  const find = (current: ts.Node): void => {
    if (identifier) return;
    if (ts.isIdentifier(current) && current.text === counter) identifier = current;
    else ts.forEachChild(current, find);
  };
  find(write);
  const declaration = identifier && model.declarationOf(identifier);
  if (!declaration) return true;
  return declaration.pos >= loop.pos && declaration.end <= loop.end && declaration.getSourceFile() === loop.getSourceFile();
}
