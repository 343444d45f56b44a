// Where workflow code catches the failure of an activity or child workflow and only logs it: the
// catch holds nothing but logging calls (and `continue`/`break`), so the workflow carries on and
// the run completes as a success. Also a dropped `.catch(handler)` on such a call whose handler only
// logs, `Promise.allSettled` over such calls whose rejected results are only logged (or pushed to a
// local list that is itself only logged), and a function of workflow code that takes settled results
// (`PromiseSettledResult[]`) from its caller and does the same. A catch that throws, returns, assigns, pushes, schedules other work, signals,
// mentions cancellation, or is commented (or logged) as best effort is left alone, as is a try
// followed by a throw in the same block (the workflow fails anyway), and a try whose block
// sets a variable of the enclosing function that the code reads after the try (a success flag
// or a result the code goes on to test).

import ts from 'typescript';
import { enclosingFunction } from './call-reach.js';
import { functionOfDeclaration } from './declarations.js';
import { activityCallSites } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import { promiseCatchHandler } from './sandbox/caught-errors.js';
import type { ActivityProxy, TemporalModel } from './types.js';
import { BEST_EFFORT, LOG_METHODS, type SwallowedFailure } from '../swallowed-failures.js';

export type { SwallowedFailure };

export interface Work {
  call: ts.CallExpression;
  what: string;
  /** The proxy an activity call goes through (for its retry policy). */
  proxy?: ActivityProxy;
  /** The activity type of an activity call, or the workflow a child call starts, when known. */
  activity?: string;
  child?: string;
}

const cache = new WeakMap<TemporalModel, SwallowedFailure[]>();

export function swallowedFailures(model: TemporalModel): SwallowedFailure[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const work = new Map<ts.Node, Work>();
  for (const site of activityCallSites(model)) work.set(site.call, { call: site.call, what: `activity ${site.name}`, proxy: site.proxy });
  const files = [...model.workflowFiles].filter((file) => model.files.includes(file));
  const tries: ts.TryStatement[] = [];
  const settled: ts.CallExpression[] = [];
  const settledReaders: ts.FunctionLikeDeclaration[] = [];
  const promiseCatches: { call: ts.CallExpression; handler: ts.ArrowFunction | ts.FunctionExpression }[] = [];
  for (const file of files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const child = childWorkflowOf(node);
        if (child && !work.has(node)) work.set(node, { call: node, what: `child workflow ${child}` });
        if (isAllSettled(node)) settled.push(node);
        const handler = promiseCatchHandler(node);
        const fn = handler && skipOuterExpressions(handler);
        if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) promiseCatches.push({ call: node, handler: fn });
      }
      if (ts.isTryStatement(node) && node.catchClause) tries.push(node);
      if (ts.isFunctionLike(node) && settledParameter(node as ts.FunctionLikeDeclaration)) settledReaders.push(node as ts.FunctionLikeDeclaration);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  const found: SwallowedFailure[] = [];
  const report = (location: ts.Node, hit: { work: Work; via?: string }, shape: SwallowedFailure['shape'], inLoop: boolean, results?: SwallowedFailure['results'], cleanup?: boolean) =>
    found.push({
      location: model.locate(location),
      callLocation: model.locate(hit.work.call),
      what: hit.work.what,
      ...(hit.via ? { via: hit.via } : {}),
      shape,
      ...(results ? { results } : {}),
      ...(cleanup ? { inCleanup: true } : {}),
      inLoop,
      ...(hit.work.proxy ? { proxy: hit.work.proxy } : {}),
    });

  for (const statement of tries) {
    const clause = statement.catchClause!;
    if (!onlyLogs(clause.block.statements)) continue;
    if (mentionsCancellation(clause) || commentedBestEffort(statement, clause) || throwFollows(statement)) continue;
    const hit = firstWork(statement.tryBlock, work, model);
    if (!hit) continue;
    if (setsValueReadLater(statement)) continue;
    report(clause, hit, 'catch', inLoop(statement));
  }

  // `await chargeCard(id).catch((err) => log.warn(...))` as a statement of its own: the value is
  // dropped, so nothing after it can tell that the call failed.
  for (const { call, handler } of promiseCatches) {
    if (!handlerOnlyLogs(handler) || mentionsCancellation(handler)) continue;
    const statement = discardedStatement(call);
    if (!statement || commentedBestEffort(statement, handler) || throwFollows(statement)) continue;
    const promise = (call.expression as ts.PropertyAccessExpression).expression;
    const hit = firstWork(promise, work, model);
    if (!hit) continue;
    report(handler, hit, 'promiseCatch', inLoop(call));
  }

  for (const call of settled) {
    const fn = enclosingFunction(call);
    if (!fn?.body) continue;
    const hit = settledWork(call, fn.body, work, model);
    if (!hit) continue;
    const logging = rejectedLogging(fn.body);
    if (logging) {
      if (resultsReturned(call, fn.body) || commentedBestEffort(logging, logging)) continue;
      report(logging, hit, 'allSettled', inLoop(call), 'logged');
      continue;
    }
    // Results nobody checks for rejections: dropped, never read, or read only for the fulfilled ones.
    // (A startChild promise rejects only when the start fails, not with the child's result.)
    if (calleeText(hit.work.call) === 'startChild') continue;
    const unchecked = uncheckedSettled(call, fn.body, model);
    if (!unchecked || commentedBestEffort(unchecked.statement, unchecked.statement) || throwFollows(unchecked.statement)) continue;
    report(unchecked.statement, hit, 'allSettled', inLoop(call), unchecked.results, inCleanup(unchecked.statement, fn));
  }

  // A function of workflow code that takes settled results (`results: PromiseSettledResult<T>[]`)
  // from its caller, only logs the rejected ones and returns nothing.
  for (const fn of settledReaders) {
    const parameter = settledParameter(fn)!;
    if (!fn.body || returnsValue(fn.body) || !onlyIterated(parameter, fn.body)) continue;
    const logging = rejectedLogging(fn.body);
    if (!logging || commentedBestEffort(logging, logging) || commentedBestEffort(fn, fn)) continue;
    const caller = settledCaller(fn, model);
    if (!caller) continue;
    report(logging, { work: caller }, 'settledResults', inLoop(caller.call));
  }

  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  cache.set(model, found);
  return found;
}

/** `executeChild(shipOrder, ...)`, `workflow.startChild('shipOrder', ...)`: the child's name. */
export function childWorkflowOf(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name !== 'executeChild' && name !== 'startChild') return undefined;
  const target = call.arguments[0];
  if (!target) return undefined;
  const inner = skipOuterExpressions(target);
  if (ts.isIdentifier(inner) || ts.isStringLiteralLike(inner)) return inner.text;
  return inner.getText();
}

/**
 * The first activity or child call a block makes, directly (including in callbacks written in it)
 * or through a function of the reviewed code it calls (one level). A call inside a nested try
 * with a catch is that try's business.
 */
export function firstWork(root: ts.Node, work: Map<ts.Node, Work>, model: TemporalModel): { work: Work; via?: string } | undefined {
  let hit: { work: Work; via?: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (hit) return;
    if (ts.isTryStatement(node) && node.catchClause && node !== root) {
      visit(node.catchClause);
      if (node.finallyBlock) visit(node.finallyBlock);
      return;
    }
    // `act(id).catch(handler)`: the handler takes the failure before anything around it sees it.
    if (ts.isCallExpression(node) && promiseCatchHandler(node) && node !== root) return;
    if (ts.isCallExpression(node)) {
      const direct = work.get(node);
      if (direct) {
        hit = { work: direct };
        return;
      }
      const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression)));
      if (helper?.body && model.files.includes(helper.getSourceFile().fileName) && !helper.getSourceFile().isDeclarationFile) {
        const inner = directWork(helper.body, work);
        if (inner) {
          hit = { work: inner, via: helperName(helper) ?? skipOuterExpressions(node.expression).getText() };
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return hit;
}

/** A work call written in a helper's body outside any try that catches it. */
function directWork(body: ts.Node, work: Map<ts.Node, Work>): Work | undefined {
  let hit: Work | undefined;
  const visit = (node: ts.Node): void => {
    if (hit) return;
    if (ts.isTryStatement(node) && node.catchClause) return;
    if (ts.isCallExpression(node) && promiseCatchHandler(node)) return;
    if (ts.isCallExpression(node) && work.has(node)) {
      hit = work.get(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return hit;
}

function helperName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  return holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
}

/** Statements that do nothing but log (and leave the loop round): the failure goes nowhere else. */
export function onlyLogs(statements: ts.NodeArray<ts.Statement> | ts.Statement[]): boolean {
  let logs = 0;
  for (const statement of statements) {
    if (ts.isContinueStatement(statement) || ts.isBreakStatement(statement) || ts.isEmptyStatement(statement)) continue;
    if (ts.isExpressionStatement(statement) && isLogCall(statement.expression)) {
      logs++;
      continue;
    }
    return false;
  }
  return logs > 0;
}

/** `(err) => console.error(err)` or `(err) => { log.warn(...); }`. */
function handlerOnlyLogs(handler: ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (ts.isBlock(handler.body)) return onlyLogs(handler.body.statements);
  return isLogCall(handler.body);
}

/** The statement a `.catch(...)` call is, when its value is dropped (`await p.catch(h);`, `void p.catch(h);`). */
function discardedStatement(call: ts.CallExpression): ts.Statement | undefined {
  let node: ts.Node = call;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isVoidExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent) ? node.parent : undefined;
}

/**
 * `logger.debug(...)`, `log.info(...)`, `console.trace(...)`: logged at a level for expected
 * outcomes, so the author took the failure for one (a schedule already gone), not for an outage.
 */
export function quietLog(expression: ts.Expression): boolean {
  let inner = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(inner)) inner = skipOuterExpressions(inner.expression);
  if (!ts.isCallExpression(inner)) return false;
  const callee = skipOuterExpressions(inner.expression);
  return ts.isPropertyAccessExpression(callee) && /^(?:debug|info|trace|verbose)$/.test(callee.name.text);
}

/** `console.error(...)`, `log.warn(...)`, `logger.info(...)`, `workflow.log.error(...)`, `log(...)`. */
export function isLogCall(expression: ts.Expression): boolean {
  let inner = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isAwaitExpression(inner) || ts.isVoidExpression(inner)) inner = skipOuterExpressions(inner.expression) as ts.Expression;
  if (!ts.isCallExpression(inner)) return false;
  const callee = skipOuterExpressions(inner.expression);
  if (ts.isIdentifier(callee)) return /^(log|logger|logError|logWarning|logWarn)$/i.test(callee.text);
  if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return false;
  const owner = skipOuterExpressions(callee.expression);
  const ownerName = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : owner.kind === ts.SyntaxKind.ThisKeyword ? '' : undefined;
  return ownerName !== undefined && /^(console|log|logger|_?log(ger)?)$/i.test(ownerName);
}

function mentionsCancellation(clause: ts.Node): boolean {
  return /cancel/i.test(clause.getText());
}

/** A comment in the catch, between the try block and the catch, or right above the try, saying the step may fail. */
export function commentedBestEffort(statement: ts.Node, clause: ts.Node): boolean {
  const text = statement.getSourceFile().getFullText();
  const above = (ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? []).map((range) => text.slice(range.pos, range.end)).join('\n');
  return BEST_EFFORT.test(above) || BEST_EFFORT.test(clause.getText()) || (ts.isCatchClause(clause) && BEST_EFFORT.test(commentsIn(clause.parent.tryBlock)));
}

/** The comments written inside a node (roughly: line and block comments in its text). */
function commentsIn(node: ts.Node): string {
  const text = node.getText();
  return (text.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).join('\n');
}

/** A throw statement follows the try in the same block: the workflow fails anyway (a catch that records, then rethrows). */
function throwFollows(statement: ts.Statement): boolean {
  const block = statement.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  const index = block.statements.indexOf(statement);
  return block.statements.slice(index + 1).some((next) => ts.isThrowStatement(next));
}

/**
 * The try block assigns a variable declared outside it (`ok = true`, `result = await ...`) and the
 * enclosing function tests or returns that variable after the try: the code finds out about the
 * failure. State the code only carries along (a cache, the arguments handed to continueAsNew) does
 * not tell it anything.
 */
function setsValueReadLater(statement: ts.TryStatement): boolean {
  const fn = enclosingFunction(statement);
  if (!fn?.body) return false;
  const assigned = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = skipOuterExpressions(node.left);
      if (ts.isIdentifier(target)) assigned.add(target.text);
      else if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
        const base = rootIdentifier(target);
        if (base) assigned.add(base);
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(push|set|add|unshift)$/.test(node.expression.name.text)) {
      const base = rootIdentifier(node.expression.expression);
      if (base) assigned.add(base);
    }
    ts.forEachChild(node, visit);
  };
  visit(statement.tryBlock);
  if (assigned.size === 0) return false;
  const declaredInside = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) declaredInside.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(statement.tryBlock);
  const outer = [...assigned].filter((name) => !declaredInside.has(name));
  if (outer.length === 0) return false;
  let read = false;
  const after = (node: ts.Node): void => {
    if (read) return;
    if (node.getStart() >= statement.getEnd() && ts.isIdentifier(node) && outer.includes(node.text) && isTested(node)) read = true;
    else ts.forEachChild(node, after);
  };
  after(fn.body);
  // A loop re-runs the code before the try too: a read anywhere else in the loop body counts.
  const loop = loopAround(statement, fn);
  if (!read && loop) {
    const before = (node: ts.Node): void => {
      if (read || node === statement) return;
      if (ts.isIdentifier(node) && outer.includes(node.text) && !isAssignmentTarget(node) && isTested(node)) read = true;
      else ts.forEachChild(node, before);
    };
    before(loop);
  }
  return read;
}

/**
 * A read that decides something or hands the value back: in a condition (`if (!ok)`,
 * `while (!done)`, `x ? a : b`), in a comparison or logical operand, under `!`, or returned or
 * thrown, possibly through a member or method of it (`if (results.length === 0)`).
 */
function isTested(node: ts.Identifier): boolean {
  let current: ts.Node = node;
  for (let parent = current.parent; parent; current = parent, parent = parent.parent) {
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) && parent.expression === current) continue;
    if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isAwaitExpression(parent)) continue;
    if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
    if (ts.isBinaryExpression(parent)) return TEST_OPERATORS.has(parent.operatorToken.kind);
    if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent) || ts.isSwitchStatement(parent)) return parent.expression === current;
    if (ts.isForStatement(parent)) return parent.condition === current;
    if (ts.isConditionalExpression(parent)) return parent.condition === current;
    return ts.isReturnStatement(parent) || ts.isThrowStatement(parent);
  }
  return false;
}

const TEST_OPERATORS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
]);

function isAssignmentTarget(node: ts.Identifier): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function rootIdentifier(expression: ts.Expression): string | undefined {
  let current = skipOuterExpressions(expression) as ts.Expression;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuterExpressions(current.expression) as ts.Expression;
  if (current.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return ts.isIdentifier(current) ? current.text : undefined;
}

function loopAround(node: ts.Node, stop: ts.Node): ts.IterationStatement | undefined {
  for (let current = node.parent; current && current !== stop; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return current;
    if (ts.isFunctionLike(current)) return undefined;
  }
  return undefined;
}

function inLoop(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return !!fn && loopAround(node, fn) !== undefined;
}

function isAllSettled(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'allSettled';
}

/**
 * The `if (r.status === 'rejected') { log }` of a function, when every test of a result for
 * 'rejected' there is such an if whose branch only logs; undefined otherwise (a rejected result
 * counted, filtered, returned or thrown).
 */
function rejectedLogging(body: ts.Node): ts.IfStatement | undefined {
  let first: ts.IfStatement | undefined;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isStringLiteralLike(node) && node.text === 'rejected') {
      const test = node.parent;
      const statement = test && ts.isBinaryExpression(test) ? ifTesting(test) : undefined;
      if (!statement) other = true;
      else if (!first) first = statement;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return other ? undefined : first;
}

function ifTesting(test: ts.BinaryExpression): ts.IfStatement | undefined {
  const op = test.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
  const statement = test.parent;
  if (!statement || !ts.isIfStatement(statement) || statement.expression !== test || statement.elseStatement) return undefined;
  const then = statement.thenStatement;
  const statements = ts.isBlock(then) ? [...then.statements] : [then];
  if (onlyLogs(statements)) return statement;
  // `failed.push(message)` into a list of the function that is itself only logged.
  const fn = enclosingFunction(statement);
  return fn?.body && statements.length > 0 && statements.every((s) => isLogOnlyCollect(s, fn.body!) || (ts.isVariableStatement(s) && !/\bawait\b/.test(s.getText())) || (ts.isExpressionStatement(s) && isLogCall(s.expression)))
    && statements.some((s) => isLogOnlyCollect(s, fn.body!))
    ? statement
    : undefined;
}

/** `failed.push(...)` into a local list that the function reads only to log it (`if (failed.length) log.warn(..., { failed })`). */
function isLogOnlyCollect(statement: ts.Statement, body: ts.Node): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const call = skipOuterExpressions(statement.expression);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'push') return false;
  const list = skipOuterExpressions(call.expression.expression);
  if (!ts.isIdentifier(list)) return false;
  const declaration = localArray(list.text, body);
  return !!declaration && readOnlyToLog(list.text, declaration, body);
}

/** `const failed: string[] = []` declared in the function (not in a nested one). */
function localArray(name: string, body: ts.Node): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== body.parent)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isArrayLiteralExpression(value) && value.elements.length === 0) found = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** Every other mention of the list pushes to it, sits in a log call, or is the condition of an if that only logs. */
function readOnlyToLog(name: string, declaration: ts.VariableDeclaration, body: ts.Node): boolean {
  let ok = true;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      if (!mentionLogsOrPushes(node)) ok = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return ok;
}

function mentionLogsOrPushes(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'push' && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return true;
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const up = current.parent;
    if (ts.isCallExpression(up) && up.arguments.includes(current as ts.Expression) && isLogCall(up)) return true;
    if (ts.isIfStatement(up) && up.expression === current) {
      const then = up.thenStatement;
      return !up.elseStatement && onlyLogs(ts.isBlock(then) ? then.statements : [then]);
    }
    if (ts.isStatement(up) || ts.isFunctionLike(up)) return false;
  }
  return false;
}

/** The parameter typed as settled results: `PromiseSettledResult<T>[]` (or an array of them). */
function settledParameter(fn: ts.FunctionLikeDeclaration): ts.ParameterDeclaration | undefined {
  if (!fn.body) return undefined;
  return fn.parameters.find((p) => ts.isIdentifier(p.name) && p.type !== undefined && /\bPromiseSettledResult\b/.test(p.type.getText()));
}

/** A `return <value>` of the function itself (not of a nested function). */
function returnsValue(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== body.parent)) return;
    if (ts.isReturnStatement(node) && node.expression) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The results parameter is only walked (`for (const r of results)`, `results.forEach(...)`), not kept or passed on. */
function onlyIterated(parameter: ts.ParameterDeclaration, body: ts.Node): boolean {
  const name = (parameter.name as ts.Identifier).text;
  let ok = true;
  let used = false;
  const visit = (node: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(node) && node.text === name) {
      used = true;
      const parent = node.parent;
      const iterated =
        (ts.isForOfStatement(parent) && parent.expression === node) ||
        (ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'forEach');
      if (!iterated) ok = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return ok && used;
}

/**
 * The call of workflow code that hands the function its settled results: a variable set from
 * `await collect(...)` and used for nothing else. Named after the function that settled them.
 */
function settledCaller(fn: ts.FunctionLikeDeclaration, model: TemporalModel): Work | undefined {
  const sourceFile = fn.getSourceFile();
  let found: Work | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && functionOfDeclaration(model.declarationOf(skipOuterExpressions(node.expression))) === fn) {
      const argument = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      const declaration = argument && ts.isIdentifier(argument) ? model.declarationOf(argument) : undefined;
      const caller = enclosingFunction(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && caller?.body && mentions(caller.body, (argument as ts.Identifier).text) === 2) {
        let source = skipOuterExpressions(declaration.initializer) as ts.Expression;
        if (ts.isAwaitExpression(source)) source = skipOuterExpressions(source.expression) as ts.Expression;
        const settler = ts.isCallExpression(source) ? calleeText(source) : undefined;
        found = { call: node, what: settler ? `the promises settled by ${settler}` : `the settled results handed to ${helperName(fn) ?? 'it'}` };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** How often a name appears in a body (its declaration and its uses). */
function mentions(body: ts.Node, name: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) count++;
    ts.forEachChild(node, visit);
  };
  visit(body);
  return count;
}

function calleeText(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The variable the allSettled results are held in is returned or thrown, so the caller sees them. */
function resultsReturned(call: ts.CallExpression, body: ts.Node): boolean {
  const declaration = settledHolder(call).holder.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return true;
  const name = declaration.name.text;
  let returned = false;
  const visit = (node: ts.Node): void => {
    if (returned) return;
    if ((ts.isReturnStatement(node) || ts.isThrowStatement(node)) && node.expression && new RegExp(`\\b${name}\\b`).test(node.expression.getText())) returned = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return returned;
}

/**
 * The first activity or child call whose failure ends up among the results of a
 * `Promise.allSettled(...)`: written in its arguments (callbacks included), made by a helper called
 * there (one level), or in the values of a local array of the function that the arguments name
 * (`const jobs = ids.map((id) => notify(id))`, `jobs.push(executeChild(...))`).
 */
function settledWork(call: ts.CallExpression, body: ts.Node, work: Map<ts.Node, Work>, model: TemporalModel): { work: Work; via?: string } | undefined {
  const roots: ts.Node[] = [...call.arguments];
  for (const argument of call.arguments) for (const name of localNames(argument, body, model)) roots.push(...arrayValues(name, body));
  for (const root of roots) {
    const hit = firstWork(root, work, model);
    if (hit) return hit;
  }
  return undefined;
}

/** The variables of the function (declared in its body with a value) that an expression names, outside callbacks. */
function localNames(expression: ts.Node, body: ts.Node, model: TemporalModel): ts.VariableDeclaration[] {
  const found: ts.VariableDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && enclosingFunction(declaration) === body.parent) found.push(declaration);
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** What a local array holds: its initializer and the values pushed to it in the function. */
function arrayValues(declaration: ts.VariableDeclaration, body: ts.Node): ts.Node[] {
  const name = (declaration.name as ts.Identifier).text;
  const values: ts.Node[] = [declaration.initializer!];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(push|unshift)$/.test(node.expression.name.text)) {
      const list = skipOuterExpressions(node.expression.expression);
      if (ts.isIdentifier(list) && list.text === name) values.push(...node.arguments);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return values;
}

/**
 * An awaited `Promise.allSettled(...)` whose results nothing checks for rejections: the statement
 * drops them, the variable that holds them is never read, or it is read only through
 * `.filter((r) => r.status === 'fulfilled')` (the rejected ones dropped without being counted:
 * no `.length` of the filtered list is read). Undefined when anything else reads them, or when
 * the function tests a result for 'rejected', reads a `.reason`, or compares a status otherwise.
 */
function uncheckedSettled(call: ts.CallExpression, body: ts.Node, model: TemporalModel): { statement: ts.Statement; results: 'dropped' | 'unread' | 'fulfilledOnly' } | undefined {
  const { holder, awaited } = settledHolder(call);
  if (!awaited) return undefined;
  if (ts.isExpressionStatement(holder.parent)) return { statement: holder.parent, results: 'dropped' };
  const declaration = holder.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== holder || !ts.isIdentifier(declaration.name)) return undefined;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement)) return undefined;
  const reads = readsOf(declaration, body, model);
  if (reads.length === 0) return { statement, results: 'unread' };
  return onlyFulfilledRead(reads, body, model) ? { statement, results: 'fulfilledOnly' } : undefined;
}

/** The outermost expression that is the settled call's value (through `await`, parentheses, `as`, `!`), and whether it is awaited. */
function settledHolder(call: ts.CallExpression): { holder: ts.Node; awaited: boolean } {
  let holder: ts.Node = call;
  let awaited = false;
  while (ts.isAwaitExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent) || ts.isNonNullExpression(holder.parent)) {
    awaited ||= ts.isAwaitExpression(holder.parent);
    holder = holder.parent;
  }
  return { holder, awaited };
}

/** The reads of a variable in the function (identifiers that resolve to its declaration). */
function readsOf(declaration: ts.VariableDeclaration, body: ts.Node, model: TemporalModel): ts.Identifier[] {
  const name = (declaration.name as ts.Identifier).text;
  const reads: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name && model.declarationOf(node) === declaration) reads.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return reads;
}

/** Every read is `results.filter(<test for 'fulfilled'>)`, the filtered list is not counted, and nothing in the function looks at a rejection. */
function onlyFulfilledRead(reads: ts.Identifier[], body: ts.Node, model: TemporalModel): boolean {
  const text = body.getText();
  if (/['"`]rejected['"`]|\.reason\b|!==?\s*['"`]fulfilled|['"`]fulfilled['"`]\s*!==?/.test(text)) return false;
  return reads.every((read) => {
    const access = read.parent;
    const filter = access.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== read || access.name.text !== 'filter') return false;
    if (!ts.isCallExpression(filter) || filter.expression !== access || !/['"`]fulfilled['"`]/.test(filter.arguments[0]?.getText() ?? '')) return false;
    return !counted(filter, body, model);
  });
}

/** The filtered list's length is read, directly or through a variable (and `.map(...)`s) it is kept in: the failures are counted. */
function counted(filter: ts.CallExpression, body: ts.Node, model: TemporalModel): boolean {
  let node: ts.Node = filter;
  for (;;) {
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      if (parent.name.text === 'length') return true;
      if (ts.isCallExpression(parent.parent) && parent.parent.expression === parent && /^(map|filter)$/.test(parent.name.text)) {
        node = parent.parent;
        continue;
      }
      return false;
    }
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) {
      node = parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) {
      return readsOf(parent, body, model).some((read) => ts.isPropertyAccessExpression(read.parent) && read.parent.name.text === 'length');
    }
    return false;
  }
}

/** The statement sits in a catch or finally block of its function: the run may be failing anyway. */
function inCleanup(statement: ts.Node, fn: ts.Node): boolean {
  for (let current: ts.Node = statement; current.parent && current.parent !== fn; current = current.parent) {
    if (ts.isCatchClause(current.parent)) return true;
    if (ts.isTryStatement(current.parent) && current.parent.finallyBlock === current) return true;
  }
  return false;
}
