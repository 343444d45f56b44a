// Keeps an activity's failures visible to its retry policy when the activity swallows them: a
// try whose catch only logs the error of the awaited work (a request, a write, a connection) and
// lets the activity go on, so the activity completes as a success, Temporal never retries it, and
// the work is lost without a failed activity to show for it. The sibling of
// activity-failure-returned, which reports the catches that return a failure value instead.
//
// Read in the activity's own body, in the callbacks it hands to `map`, `forEach` or a limiter,
// and in the project functions it calls (two levels down) whose result it drops or returns. A
// catch inside a loop, or in a function the activity calls once per item, is a warning: during an
// outage every round fails the same way within one attempt and the activity still reports
// success with part of the data. Any other such catch is a note, since a step that may fail on
// its own (a notification, a cache write, a cleanup) is often written this way on purpose.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { functionOfDeclaration } from '../../model/typescript/declarations.js';
import { locate } from '../../model/typescript/locate.js';
import { BEST_EFFORT } from '../../model/swallowed-failures.js';
import { commentedBestEffort, isLogCall, quietLog } from '../../model/typescript/swallowed-failures.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { throwingAwaitedCall } from '../../model/typescript/throwing-awaits.js';
import type { TransientCall } from '../../model/typescript/transient-calls.js';
import type { ActivityImplementation, TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';
import { pythonActivityFailuresWithAttempts } from '../../engine/activity-policy/python-activity-failures.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { attemptsOf, describeAttempts, implementationsWithProxies } from '../../engine/activity-policy/scheduled-implementations.js';
import { containsAwait } from '../../model/typescript/loop-shape.js';

/** How many project functions below the activity are read (the activity's helper, and its helper). */
const HELPER_DEPTH = 2;

/**
 * Calls and functions whose failure is commonly let go on purpose: notifications and messages to
 * people, caches, metrics and tracking, audit and progress records, cleanup and releasing
 * resources. A catch around them that only logs is a choice, not a lost failure.
 */
const BEST_EFFORT_WORK =
  /notif|(send|deliver|dispatch|queue)\w*mail|mail(er|gun|chimp)|(e-?mail|mail)\w*\.(send|deliver|queue)|smtp|sendgrid|postmark|slack|discord|telegram|webhook|sms\b|alert|toast|cache|metric|track|analytic|telemetry|posthog|sentry|audit|progress|heartbeat|(update|set|mark|report)\w*status|log(s|ging)?\b|clean|unlink|(?:^|\.)rm(dir)?\b|remove(file|dir|temp)|delete(file|dir|temp)|close|disconnect|release|unlock|dispose|destroy|shutdown|revalidat|invalidat|screenshot|thumbnail|preview/i;

/** Error classes (or type guards) of an I/O library: they cover the outages a retry is for. */
const IO_ERROR_CLASS = /^(?:AxiosError|FetchError|HTTPError|HttpError|RequestError|NetworkError|TimeoutError|[A-Za-z0-9]*ServiceException|MongoError|MongoServerError|PrismaClientKnownRequestError)$/;
const IO_ERROR_GUARD = /^(?:isAxiosError)$/;

/** A variable whose name says it records the failure (`failed = true`, `lastError = e`). */
const FAILURE_RECORD = /err|fail|success|succeeded|\bok$|^ok|status|problem/i;

/** Calls that report the error to a monitoring service, as logging does. */
const REPORT_CALL = /^(?:captureException|captureMessage|reportError|notifyError)$/;

interface Scope {
  fn: ts.FunctionLikeDeclaration;
  /** Helper names from the activity down to this function. */
  via: string[];
  /** The function runs once per item: it is called inside a loop or an iteration callback. */
  perItem: boolean;
}

interface SwallowedSite {
  statement: ts.TryStatement;
  clause: ts.CatchClause;
  call: TransientCall;
  scope: Scope;
  perItem: boolean;
}

export default defineCheck({
  id: 'activity-failure-swallowed',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'An activity catches the failures of the work it awaits and only logs them, then completes as a success, so its retry policy never runs',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      for (const { failure, attempts } of pythonActivityFailuresWithAttempts(pythonModelOf(model)!, 'swallowed')) {
        const where = failure.via.length > 0 ? ` through ${failure.via.join(' → ')}` : '';
        const callAt = `${relative(ctx.root, failure.callLocation.file)}:${failure.callLocation.line}`;
        ctx.report({
          location: failure.location,
          severity: failure.perItem ? 'warning' : 'info',
          message: swallowedMessage(failure.activity, where, `catches every exception of ${failure.call} (${callAt})`, attempts, failure.perItem, failure.silent),
          fix: 'Let the exception propagate (re-raise it, or raise ApplicationError with the cause) so Temporal retries the activity; ' + SKIP_ITEMS,
          related: [{ ...failure.callLocation, message: failure.silent ? 'the awaited call whose failures are dropped without a log' : 'the awaited call whose failures are only logged' }],
          data: { activityType: failure.activity, perItem: failure.perItem, via: failure.via, maximumAttempts: attempts.map((a) => (a === 0 ? null : a)), ...(failure.silent ? { silent: true } : {}) },
        });
      }
      return;
    }
    const reported = new Set<ts.Node>();
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      const attempts = reviews.map(attemptsOf);
      if (attempts.every((a) => a === 1)) continue; // nothing would be retried anyway
      const checker = model.checkerFor(implementation.file);
      if (!checker) continue;
      for (const site of swallowedSites(implementation, model, checker)) {
        if (reported.has(site.statement)) continue;
        reported.add(site.statement);
        const callAt = `${relative(ctx.root, locate(site.call.call).file)}:${locate(site.call.call).line}`;
        const where = site.scope.via.length > 0 ? ` through ${site.scope.via.join(' → ')}` : '';
        const clauseAt = locate(site.clause);
        ctx.report({
          location: clauseAt,
          severity: site.perItem ? 'warning' : 'info',
          message: swallowedMessage(
            implementation.name,
            where,
            `catches every error of ${site.call.text} (${callAt})` + (containsThrow(site.clause.block) ? ', fails the activity only for the errors its catch names as not retryable' : ''),
            attempts,
            site.perItem,
          ),
          fix: 'Let the error propagate (rethrow it, or throw ApplicationFailure.retryable with the cause) so Temporal retries the activity; ' + SKIP_ITEMS,
          related: [{ ...locate(site.call.call), message: 'the awaited call whose failures are only logged' }],
          data: { activityType: implementation.name, perItem: site.perItem, via: site.scope.via, maximumAttempts: attempts.map((a) => (a === 0 ? null : a)) },
        });
      }
    }
  },
});

const SKIP_ITEMS = 'to keep going past items that can never succeed, catch only those errors (a 404, a validation error) and rethrow the rest.';

function swallowedMessage(activity: string, where: string, catches: string, attempts: (number | undefined)[], perItem: boolean, silent = false): string {
  return (
    `Activity ${activity}${where} ${catches}, ${silent ? 'drops it without a log (`pass`)' : 'only logs it'} and goes on, so the activity completes as a success: ` +
    `a timeout, a lost connection or an outage there is never retried by its retry policy (${describeAttempts(attempts) || 'one attempt'}) and counts nowhere in Temporal's metrics.` +
    (perItem
      ? ' The catch runs once per item or page: during an outage every round fails the same way within one attempt, and the activity still reports success with part of the work done.'
      : ' (If this step may fail on its own, such as a notification or a cache write, say so in a comment at the catch; this is a note.)')
  );
}

function swallowedSites(implementation: ActivityImplementation, model: TemporalModel, checker: ts.TypeChecker): SwallowedSite[] {
  const sites: SwallowedSite[] = [];
  for (const scope of scopesOf(implementation.node, model)) {
    for (const statement of nodesOf(scope.fn, ts.isTryStatement)) {
      const clause = statement.catchClause;
      if (!clause || !swallows(clause) || commentedBestEffort(statement, clause) || functionSaysBestEffort(statement, scope.fn)) continue;
      if (insideHandler(statement, scope.fn) || failureReadAfter(statement, scope.fn)) continue;
      const call = throwingAwaitedCall(statement.tryBlock, model, checker);
      if (!call || BEST_EFFORT_WORK.test(calleeName(call.call)) || BEST_EFFORT_WORK.test(scopeName(scope.fn))) continue;
      sites.push({ statement, clause, call, scope, perItem: scope.perItem || repeated(statement, scope.fn) });
    }
  }
  return sites;
}

/**
 * The function holding the try says it may fail on its own: its doc comment, or a comment in the
 * try statements around this one (`// Best-effort: don't fail workflow`), says best effort.
 */
function functionSaysBestEffort(statement: ts.TryStatement, fn: ts.FunctionLikeDeclaration): boolean {
  const text = fn.getSourceFile().getFullText();
  const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : fn;
  const docs = (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []).map((range) => text.slice(range.pos, range.end)).join('\n');
  if (BEST_EFFORT.test(docs)) return true;
  for (let node: ts.Node = statement.parent; node && node !== fn; node = node.parent) {
    if (ts.isTryStatement(node) && BEST_EFFORT.test((node.getText().match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).join('\n'))) return true;
  }
  return false;
}

/** The activity, and the project functions it calls (two levels down) whose result it drops or returns. */
function scopesOf(activity: ts.FunctionLikeDeclaration, model: TemporalModel): Scope[] {
  const scopes: Scope[] = [{ fn: activity, via: [], perItem: false }];
  const seen = new Set<ts.Node>([activity]);
  for (let index = 0; index < scopes.length; index++) {
    const scope = scopes[index]!;
    if (scope.via.length >= HELPER_DEPTH) continue;
    for (const call of nodesOf(scope.fn, ts.isCallExpression)) {
      if (!resultNotRead(call)) continue;
      const helper = functionOfDeclaration(model.declarationOf(call.expression));
      if (!helper || seen.has(helper) || !helper.body) continue;
      const file = helper.getSourceFile();
      if (file.isDeclarationFile || !model.files.includes(file.fileName)) continue;
      seen.add(helper);
      scopes.push({ fn: helper, via: [...scope.via, nameOf(helper)], perItem: scope.perItem || repeated(call, scope.fn) });
    }
  }
  return scopes;
}

/** Nodes of one kind in the function's body and in the callbacks it passes along (not in nested declarations). */
function nodesOf<T extends ts.Node>(fn: ts.FunctionLikeDeclaration, is: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node) && !isCallback(node)) return;
    if (is(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** An arrow function or function expression passed as an argument (`items.map(async (x) => ...)`, `limit(() => ...)`). */
function isCallback(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  let holder: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(holder)) holder = holder.parent;
  return ts.isCallExpression(holder) && holder.arguments.some((argument) => skipOuterExpressions(argument) === node);
}

/**
 * The call's value goes nowhere the code could test it: `await helper();` or `helper();` as a
 * statement, `void helper()`, `return helper()`, the body of a callback, or an element of the
 * array handed to `Promise.all`.
 */
function resultNotRead(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent) || ts.isReturnStatement(parent)) return true;
  if ((ts.isArrowFunction(parent) && parent.body === node) || ts.isArrayLiteralExpression(parent)) return true;
  return false;
}

/** The node runs once per round: inside a loop or an iteration callback, below `fn`. */
function repeated(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return true;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && isCallback(current)) {
      const call = current.parent as ts.CallExpression;
      const callee = skipOuterExpressions(call.expression);
      if (ts.isPropertyAccessExpression(callee) && /^(?:map|forEach|flatMap|filter|reduce)$/.test(callee.name.text)) return true;
    }
  }
  return false;
}

/** The try sits in a catch or finally block of another try: cleanup after a failure already being handled. */
function insideHandler(statement: ts.TryStatement, fn: ts.FunctionLikeDeclaration): boolean {
  for (let node: ts.Node = statement; node.parent && node !== fn; node = node.parent) {
    const parent = node.parent;
    if (ts.isCatchClause(parent)) return true;
    if (ts.isTryStatement(parent) && parent.finallyBlock === node) return true;
  }
  return false;
}

/**
 * The catch does nothing but log (or report to a monitoring service), set a local variable that
 * does not record the failure, and leave the loop round. An `if` counts when its condition does
 * not look at the error, or tests for an I/O library's error class (`axios.isAxiosError(e)`,
 * `e instanceof S3ServiceException`); a final `else { throw e }` after such tests passes on only
 * the other errors, so the outages are still swallowed.
 */
function swallows(clause: ts.CatchClause): boolean {
  const variable = clause.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
  let logs = 0;
  const statementsSwallow = (statements: readonly ts.Statement[]): boolean => statements.every(statementSwallows);
  const statementSwallows = (statement: ts.Statement): boolean => {
    if (ts.isBlock(statement)) return statementsSwallow(statement.statements);
    if (ts.isContinueStatement(statement) || ts.isBreakStatement(statement) || ts.isEmptyStatement(statement)) return true;
    if (ts.isExpressionStatement(statement)) {
      if (isLogCall(statement.expression) || isReportCall(statement.expression)) {
        if (!quietLog(statement.expression)) logs++;
        return true;
      }
      return localUpdate(statement.expression);
    }
    if (ts.isIfStatement(statement)) return ifSwallows(statement);
    // `const errorData = error.response?.data || error.message`: working out what to log.
    if (ts.isVariableStatement(statement)) return !!variable && mentions(statement, variable) && !containsAwait(statement);
    return false;
  };
  const ifSwallows = (statement: ts.IfStatement): boolean => {
    // `if (error.response?.status === 402) throw ApplicationFailure.create({ nonRetryable: true, ... })`,
    // `if (error instanceof ApplicationFailure) throw error`: only the answers the catch names (or
    // the failures the try threw on purpose) fail the activity; every other error, an outage
    // included, falls through and is swallowed.
    if (!statement.elseStatement && variable && mentions(statement.expression, variable) && failsOnPurpose(statement.thenStatement, statement.expression, variable)) return true;
    const ioTest = testsIoError(statement.expression, variable);
    if (!ioTest && variable && mentions(statement.expression, variable)) return false;
    if (!statementSwallows(statement.thenStatement)) return false;
    const otherwise = statement.elseStatement;
    if (!otherwise) return true;
    if (ts.isIfStatement(otherwise)) return ioTest ? ioChainSwallows(otherwise) : ifSwallows(otherwise);
    // `else { throw error; }` after tests for I/O errors: only the other errors are passed on.
    if (ioTest && rethrows(otherwise, variable)) return true;
    return statementSwallows(otherwise);
  };
  const ioChainSwallows = (statement: ts.IfStatement): boolean => {
    if (!testsIoError(statement.expression, variable) || !statementSwallows(statement.thenStatement)) return false;
    const otherwise = statement.elseStatement;
    if (!otherwise) return true;
    if (ts.isIfStatement(otherwise)) return ioChainSwallows(otherwise);
    return rethrows(otherwise, variable) || statementSwallows(otherwise);
  };
  // At least one log at a level for failures (error, warn, log...): a catch that logs only at
  // debug or info level treats the failure as an expected outcome.
  return statementsSwallow(clause.block.statements) && logs > 0;
}

function isReportCall(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  if (!ts.isCallExpression(inner)) return false;
  const callee = skipOuterExpressions(inner.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  return REPORT_CALL.test(name);
}

/** `condition = false`, `before = before - 1`, `offset += limit`, `attempts++`: a local variable that does not record the failure. */
function localUpdate(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  let target: ts.Expression | undefined;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && inner.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target = inner.left;
  else if ((ts.isPrefixUnaryExpression(inner) || ts.isPostfixUnaryExpression(inner)) && (inner.operator === ts.SyntaxKind.PlusPlusToken || inner.operator === ts.SyntaxKind.MinusMinusToken)) target = inner.operand;
  if (!target) return false;
  const name = skipOuterExpressions(target);
  return ts.isIdentifier(name) && !FAILURE_RECORD.test(name.text) && !(ts.isBinaryExpression(inner) && containsAwait(inner.right));
}

/** `axios.isAxiosError(e)`, `e instanceof AxiosError`, `e instanceof S3ServiceException`. */
function testsIoError(condition: ts.Expression, variable: string | undefined): boolean {
  const test = skipOuterExpressions(condition);
  if (!variable) return false;
  if (ts.isCallExpression(test)) {
    const callee = skipOuterExpressions(test.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return IO_ERROR_GUARD.test(name) && test.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === variable);
  }
  return (
    ts.isBinaryExpression(test) &&
    test.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
    ts.isIdentifier(test.left) &&
    test.left.text === variable &&
    IO_ERROR_CLASS.test(ts.isIdentifier(test.right) ? test.right.text : ts.isPropertyAccessExpression(test.right) ? test.right.name.text : '')
  );
}

/**
 * The branch ends in a throw of a non-retryable ApplicationFailure (`ApplicationFailure.nonRetryable(...)`,
 * `ApplicationFailure.create({ nonRetryable: true })`), or rethrows the error when the condition
 * tests it for an ApplicationFailure: a failure the activity means, not an outage.
 */
function failsOnPurpose(branch: ts.Statement, condition: ts.Expression, variable: string): boolean {
  const statements = ts.isBlock(branch) ? branch.statements : [branch];
  const last = statements.at(-1);
  if (!last || !ts.isThrowStatement(last) || !last.expression) return false;
  if (!statements.slice(0, -1).every((statement) => ts.isExpressionStatement(statement) && isLogCall(statement.expression))) return false;
  const thrown = skipOuterExpressions(last.expression);
  if (ts.isIdentifier(thrown) && thrown.text === variable) {
    const test = skipOuterExpressions(condition);
    return ts.isBinaryExpression(test) && test.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && ts.isIdentifier(test.right) && /^Application(Failure|Error)$/.test(test.right.text);
  }
  const call = ts.isNewExpression(thrown) || ts.isCallExpression(thrown) ? thrown : undefined;
  if (!call) return false;
  const callee = skipOuterExpressions(call.expression).getText();
  if (callee === 'ApplicationFailure.nonRetryable') return true;
  if (callee !== 'ApplicationFailure.create' && callee !== 'ApplicationFailure.fromError') return false;
  return (call.arguments ?? []).some((argument) => {
    const options = skipOuterExpressions(argument);
    return ts.isObjectLiteralExpression(options) && options.properties.some((property) => ts.isPropertyAssignment(property) && property.name.getText() === 'nonRetryable' && property.initializer.kind === ts.SyntaxKind.TrueKeyword);
  });
}

function containsThrow(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || (current !== node && ts.isFunctionLike(current))) return;
    if (ts.isThrowStatement(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** `throw error;` or `{ throw error; }`, possibly after logging. */
function rethrows(statement: ts.Statement, variable: string | undefined): boolean {
  const statements = ts.isBlock(statement) ? statement.statements : [statement];
  const last = statements.at(-1);
  return last !== undefined && ts.isThrowStatement(last) && last.expression !== undefined && ts.isIdentifier(last.expression) && last.expression.text === variable;
}

function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(current) && current.text === name) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/**
 * After the try, the function finds out about the failure: it throws, or reads a variable the try
 * assigns (`let saved = false; try { ...; saved = true } catch (e) { log(e) } if (!saved) ...`,
 * `supplier ? ... : fallback`).
 */
function failureReadAfter(statement: ts.TryStatement, fn: ts.FunctionLikeDeclaration): boolean {
  const assigned = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuterExpressions(node.left))) assigned.add((skipOuterExpressions(node.left) as ts.Identifier).text);
    ts.forEachChild(node, collect);
  };
  collect(statement.tryBlock);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn.body && ts.isFunctionLike(node) && !isCallback(node))) return;
    if (node.pos >= statement.end) {
      if (ts.isThrowStatement(node)) found = true;
      else if (ts.isIdentifier(node) && assigned.has(node.text)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The name the call is made by (`s3.putObject` → `putObject`, `this.connect` → `connect`), with its receiver. */
function calleeName(call: ts.CallExpression): string {
  return skipOuterExpressions(call.expression).getText().replace(/\s+/g, '');
}

function scopeName(fn: ts.FunctionLikeDeclaration): string {
  return nameOf(fn);
}

function nameOf(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return 'a helper';
}
