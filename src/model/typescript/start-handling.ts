// How the code around a client start (client.workflow.start, client.schedule.create) handles the
// call's failure: the nearest `catch` clause whose try block holds the call (no function in
// between), or a `.catch(handler)` chained on the call itself. Also which part of a handler runs
// for the errors other than "already exists" (WorkflowExecutionAlreadyStartedError,
// ScheduleAlreadyRunning), and whether that part does anything at all. A start inside a callback
// whose outcome an outer call hands on (a `.then` callback, the function given to the client's
// `withDeadline` / `withMetadata` / `withAbortSignal` / `withApiKey`) is handled where that outer
// call is.

import ts from 'typescript';
import { skipOuterExpressions } from './temporal-api.js';

export type StartHandling =
  | { kind: 'try'; clause: ts.CatchClause; body: ts.Block; statement: ts.TryStatement }
  | { kind: 'promise'; catchCall: ts.CallExpression; handler: ts.ArrowFunction | ts.FunctionExpression };

/**
 * The handler that receives the call's failure, if the code around the call has one it can read.
 * A try only catches the failure of a call it awaits: `return client.workflow.start(...)` in a
 * try hands the rejected promise to the caller, and the catch never sees it.
 */
export function startHandling(call: ts.CallExpression): StartHandling | undefined {
  const chained = chainedCatch(call);
  if (chained) return chained;
  let awaited = false;
  let returned = false;
  for (let node: ts.Node = call; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent)) {
      // `getClient().then((client) => client.workflow.start(...))`: a failure that leaves the
      // callback rejects the promise `.then` returns, so the chain's own handler takes it. The same
      // for `client.withDeadline(deadline, () => client.workflow.start(...))`, which returns what
      // its callback returns.
      const outer = callbackOuterCall(parent);
      const leaves = awaited || returned || (ts.isArrowFunction(parent) && parent.body === node && isCall(parent.body, call));
      return outer && leaves ? startHandling(outer) : undefined;
    }
    if (ts.isClassLike(parent) || ts.isSourceFile(parent)) return undefined;
    if (ts.isAwaitExpression(parent) || ts.isYieldExpression(parent)) awaited = true;
    if (ts.isReturnStatement(parent) && parent.expression && isCall(parent.expression, call)) returned = true;
    if (ts.isTryStatement(parent) && parent.tryBlock === node) {
      if (!awaited) return undefined;
      if (parent.catchClause) return { kind: 'try', clause: parent.catchClause, body: parent.catchClause.block, statement: parent };
    }
  }
  return undefined;
}

/** The expression is the call itself, through parentheses, casts, `await` and the branches of `cond ? a : b`. */
function isCall(expression: ts.Node, call: ts.CallExpression): boolean {
  let node = skipOuterExpressions(expression);
  while (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  if (ts.isConditionalExpression(node)) return isCall(node.whenTrue, call) || isCall(node.whenFalse, call);
  return node === call;
}

/**
 * Methods of the Temporal client (Client, BaseClient, WorkflowClient...) and of Connection that run
 * a callback with a deadline, metadata, an abort signal or an API key and return the callback's
 * promise (@temporalio/client 1.x: `withDeadline(deadline, fn)`, `withMetadata(md, fn)`,
 * `withAbortSignal(signal, fn)`, Connection's `withApiKey(key, fn)`).
 */
const CLIENT_SCOPES = new Set(['withDeadline', 'withMetadata', 'withAbortSignal', 'withApiKey']);

/**
 * The call whose promise settles with the callback's outcome: `x.then(callback)` (its fulfilment
 * callback), or `client.withDeadline(deadline, callback)` and the other client scopes.
 */
export function callbackOuterCall(fn: ts.SignatureDeclaration): ts.CallExpression | undefined {
  return thenOfCallback(fn) ?? clientScopeOfCallback(fn);
}

/** `client.withDeadline(deadline, callback)`: the scope call a function is the callback (second and last argument) of. */
export function clientScopeOfCallback(fn: ts.SignatureDeclaration): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments.length !== 2 || call.arguments[1] !== node) return undefined;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && CLIENT_SCOPES.has(callee.name.text) ? call : undefined;
}

/** The `x.then(callback)` call a function is the first argument of (its fulfilment callback). */
function thenOfCallback(fn: ts.SignatureDeclaration): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== node) return undefined;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' ? call : undefined;
}

/** The comments of a handler and of the statement it belongs to (a try's leading comment, the catch's own). */
export function handlerComments(handling: StartHandling): string {
  const file = (handling.kind === 'try' ? handling.statement : handling.catchCall).getSourceFile();
  const text = file.getFullText();
  const comments: string[] = [];
  const add = (ranges: ts.CommentRange[] | undefined) => ranges?.forEach((r) => comments.push(text.slice(r.pos, r.end)));
  let holder: ts.Node = handling.kind === 'try' ? handling.statement : handling.catchCall;
  while (holder.parent && !ts.isBlock(holder.parent) && !ts.isSourceFile(holder.parent)) holder = holder.parent;
  add(ts.getLeadingCommentRanges(text, holder.getFullStart()));
  const handler = handling.kind === 'try' ? handling.clause : handling.handler;
  for (const match of handler.getText().matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) comments.push(match[0]);
  return comments.join('\n');
}

/** `start(...).catch(handler)` (also after `.then(...)`), with a handler written in place. */
function chainedCatch(call: ts.CallExpression): StartHandling | undefined {
  let current: ts.Expression = call;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current) return undefined;
    const outer = access.parent;
    if (!outer || !ts.isCallExpression(outer) || outer.expression !== access) return undefined;
    if (access.name.text === 'catch') {
      const handler = outer.arguments[0] ? skipOuterExpressions(outer.arguments[0]) : undefined;
      if (handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) return { kind: 'promise', catchCall: outer, handler };
      return undefined;
    }
    if (access.name.text !== 'then' || outer.arguments.length > 1) return undefined;
    current = outer;
  }
}

/** The statements of a handler (an expression body is one statement). */
export function handlerStatements(handling: StartHandling): readonly ts.Node[] {
  if (handling.kind === 'try') return handling.body.statements;
  const body = handling.handler.body;
  return ts.isBlock(body) ? body.statements : [body];
}

/**
 * The part of a handler that runs for the other errors, when it tests for the "already exists"
 * error at its top level: `if (alreadyExists) A else B` leaves B (and the statements around the
 * `if`), `if (!alreadyExists) A` leaves A. `tested` says whether such a test was seen.
 */
export function otherErrorsPart(statements: readonly ts.Node[], alreadyExists: RegExp): { nodes: ts.Node[]; tested: boolean } {
  const nodes: ts.Node[] = [];
  let tested = false;
  for (const statement of statements) {
    if (ts.isIfStatement(statement) && alreadyExists.test(statement.expression.getText())) {
      tested = true;
      if (negated(statement.expression)) nodes.push(statement.thenStatement);
      else if (statement.elseStatement) nodes.push(statement.elseStatement);
      continue;
    }
    nodes.push(statement);
  }
  return { nodes, tested };
}

/** `!(e instanceof X)`, `e.name !== 'X'`, `!isAlreadyStarted(e)`. */
function negated(condition: ts.Expression): boolean {
  const inner = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken) return true;
  return (
    ts.isBinaryExpression(inner) &&
    (inner.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || inner.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)
  );
}

/**
 * True when the nodes do nothing with the error: no call (logging, reporting, cleanup), no throw,
 * no returned value, no assignment, no `new`. Such a handler drops the failure without a trace.
 */
export function doesNothing(nodes: readonly ts.Node[]): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isThrowStatement(node) || ts.isAwaitExpression(node) || ts.isYieldExpression(node)) return false;
    if (ts.isReturnStatement(node) && node.expression && !isNothing(node.expression)) return false;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) return false;
    if (ts.isVariableDeclaration(node)) return false;
    return ts.forEachChild(node, (child) => (visit(child) ? undefined : true)) === undefined;
  };
  return nodes.every((node) => {
    // an expression body: `() => {}` is a block, `() => undefined` / `() => null` an expression
    if (ts.isExpression(node) && !ts.isBlock(node)) return isNothing(node);
    return visit(node);
  });
}

/** `undefined`, `null`, `void 0`. */
function isNothing(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  if (inner.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(inner) && inner.text === 'undefined') return true;
  return ts.isVoidExpression(inner) && ts.isLiteralExpression(skipOuterExpressions(inner.expression));
}

/** The statement that holds an expression, through `await`, `void` and parentheses. */
export function resultDropped(expression: ts.Expression): boolean {
  let node: ts.Node = expression;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isVoidExpression(node.parent) || ts.isParenthesizedExpression(node.parent))) node = node.parent;
  return node.parent !== undefined && ts.isExpressionStatement(node.parent);
}

const LOG_METHODS = /^(error|warn|warning|info|debug|log|fatal|trace|exception|captureException|captureMessage|critical)$/;
const PURE_CALLS = /^(String|Boolean|includes|toLowerCase|toUpperCase|startsWith|endsWith|test|match|isArray|toString|indexOf|some|every)$/;

/**
 * The handler logs the failure and carries on: every statement is a logger or console call, a
 * local read from the error (`const msg = String(err)`), a reset of state to nothing
 * (`this.client = undefined`, `ready = false`), a return of nothing from a function that never
 * returns a value, or an `if` over such statements whose test only reads values. No throw, no
 * other call (a status update, a queue publish, a retry), no value handed back.
 */
export function onlyLogsOrResets(nodes: readonly ts.Node[], fn: ts.FunctionLikeDeclaration | undefined): boolean {
  const ok = (node: ts.Node): boolean => {
    if (ts.isBlock(node)) return node.statements.every(ok);
    if (ts.isEmptyStatement(node)) return true;
    if (ts.isIfStatement(node)) return pure(node.expression) && ok(node.thenStatement) && (!node.elseStatement || ok(node.elseStatement));
    if (ts.isReturnStatement(node)) return (!node.expression || isNothing(node.expression)) && !!fn && !returnsValue(fn);
    if (ts.isVariableStatement(node)) return node.declarationList.declarations.every((d) => !d.initializer || pure(d.initializer));
    if (ts.isExpressionStatement(node)) return ok(node.expression);
    if (ts.isExpression(node)) {
      const inner = skipOuterExpressions(node) as ts.Expression;
      if (isLog(inner)) return true;
      if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const target = skipOuterExpressions(inner.left);
        return (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) && (isNothing(inner.right) || inner.right.kind === ts.SyntaxKind.FalseKeyword);
      }
    }
    return false;
  };
  return nodes.length > 0 && nodes.every(ok);
}

function isLog(expression: ts.Expression): boolean {
  let call = expression;
  if (ts.isVoidExpression(call) || ts.isAwaitExpression(call)) call = skipOuterExpressions(call.expression) as ts.Expression;
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return /^(log|logError|logWarning|logWarn)$/.test(callee.text);
  return ts.isPropertyAccessExpression(callee) && LOG_METHODS.test(callee.name.text) && !/process/.test(callee.expression.getText());
}

/** No await, yield, assignment, `new` or call other than one that reads a value. */
function pure(expression: ts.Expression): boolean {
  let clean = true;
  const visit = (node: ts.Node): void => {
    if (!clean) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || ts.isNewExpression(node) || ts.isFunctionLike(node)) clean = false;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) clean = false;
    else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (!name || !PURE_CALLS.test(name)) clean = false;
    }
    if (clean) ts.forEachChild(node, visit);
  };
  visit(expression);
  return clean;
}

/** The function returns a value somewhere (not in a nested function): its result may carry the failure. */
function returnsValue(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.body && !ts.isBlock(fn.body)) return true;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression && !isNothing(node.expression)) found = true;
    ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}
