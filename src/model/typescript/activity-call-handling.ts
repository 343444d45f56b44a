// Whether the workflow code around an activity call deals with the call's failure: the call sits
// in a `try` whose `catch` has a way out that is not a throw (retries; returns a fallback; logs and
// goes on), or its promise has such a `.catch` handler, or a workflow-level retry loop repeats it,
// or it runs inside a callback given to a helper of workflow code that catches (a retry wrapper).
// A catch that only cleans up and then throws on every path (compensates, logs or writes a status,
// then `throw err` or `throw new ApplicationFailure(...)`, or ends and is always followed by such a
// throw after the try statement) does not handle the failure: the
// workflow still fails, and the call is 'rethrown' when nothing further out handles it. A call in a
// function whose callers the reviewer does not follow (a named helper) is 'unknown': its callers
// may catch.

import ts from 'typescript';
import { promiseCatchHandler } from './sandbox/caught-errors.js';
import { functionOfDeclaration } from './declarations.js';
import { throwsAfterCatch } from './contained-activity-failures.js';
import { activityCallSites } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import { workflowRetryLoops } from './workflow-retry-loops.js';
import type { ActivityProxy, SourceLocation, TemporalModel } from './types.js';
import type { ActivityCallHandling } from '../types.js';

export type CallHandling = ActivityCallHandling;

export interface HandledActivityCall {
  activityType: string;
  proxy: ActivityProxy;
  location: SourceLocation;
  /** The workflow whose body makes the call, when it is one. */
  workflow?: string;
  handling: CallHandling;
}

const cache = new WeakMap<TemporalModel, HandledActivityCall[]>();

/** Every activity call of workflow code, with what happens to its failure. */
export function activityCallHandling(model: TemporalModel): HandledActivityCall[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const workflowByNode = new Map<ts.Node, string>(model.workflows.map((w) => [w.node, w.name]));
  const retried = new Set(workflowRetryLoops(model).map((loop) => key(loop.location)));
  const calls = activityCallSites(model).map(({ call, name, proxy }): HandledActivityCall => {
    const location = model.locate(call);
    const found = handlingOf(call, model, workflowByNode);
    const handling = retried.has(key(location)) ? 'handled' : found.handling;
    return { activityType: name, proxy, location, handling, ...(found.workflow ? { workflow: found.workflow } : {}) };
  });
  cache.set(model, calls);
  return calls;
}

/** Walks out from the call to the workflow function, looking for what catches its rejection. */
function handlingOf(call: ts.CallExpression, model: TemporalModel, workflowByNode: Map<ts.Node, string>): { handling: CallHandling; workflow?: string } {
  let child: ts.Node = call;
  let node: ts.Node | undefined = call.parent;
  // A catch on the way cleaned up and threw again: the failure goes on.
  let rethrown = false;
  while (node) {
    if (ts.isTryStatement(node) && child === node.tryBlock && node.catchClause) {
      // A `return` in `finally` drops what the catch throws.
      const caught = node.finallyBlock && leavesEarly(node.finallyBlock) ? 'handles' : catchOutcome(node.catchClause);
      // A catch that ends normally but is always followed by a throw (`catch (e) { log(e) } throw ...`) hands the failure on.
      if (caught === 'handles' && !throwsAfterCatch(node)) return { handling: 'handled' };
      if (caught === 'throws' || caught === 'handles') rethrown = true;
    }
    if (ts.isPropertyAccessExpression(node) && node.expression === child && ts.isCallExpression(node.parent) && node.parent.expression === node) {
      const handler = promiseCatchHandler(node.parent);
      const caught = handler ? handlerOutcome(handler) : 'passes';
      if (caught === 'handles') return { handling: 'handled' };
      if (caught === 'throws') rethrown = true;
    }
    if (ts.isCallExpression(node) && isAllSettled(node) && node.arguments.some((argument) => argument === child)) return { handling: 'handled' };
    if (ts.isFunctionLike(node)) {
      const workflow = workflowByNode.get(node);
      if (workflow) return { handling: rethrown ? 'rethrown' : 'uncaught', workflow };
      // A callback given to a call: the callee runs it, and may catch what it throws.
      const owner = callbackOwner(node);
      if (!owner) return { handling: 'unknown' };
      const caught = helperCatches(owner, model);
      if (caught === 'handles') return { handling: 'handled' };
      if (caught === 'throws') rethrown = true;
      child = owner;
      node = owner.parent;
      continue;
    }
    child = node;
    node = node.parent;
  }
  return { handling: 'unknown' };
}

/** The call an arrow function or function expression is an argument of (`run(async () => ...)`). */
function callbackOwner(fn: ts.Node): ts.CallExpression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return ts.isCallExpression(parent) && parent.arguments.some((argument) => argument === node) ? parent : undefined;
}

/**
 * What the callee of a call taking a callback does with a failure, when it is a function of the
 * reviewed code: 'handles' when it has a `try` with a handling `catch`, or a handling `.catch`
 * handler (a retry or lock wrapper); 'throws' when its catches all clean up and throw again (a
 * compensation wrapper); 'passes' otherwise. Array methods, Promise combinators and SDK scopes
 * (CancellationScope) are not declared in the reviewed code and pass the failure on.
 */
function helperCatches(call: ts.CallExpression, model: TemporalModel): CatchOutcome {
  const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  if (!helper?.body || !model.files.includes(helper.getSourceFile().fileName)) return 'passes';
  let found: CatchOutcome = 'passes';
  const visit = (node: ts.Node): void => {
    if (found === 'handles') return;
    let outcome: CatchOutcome = 'passes';
    if (ts.isTryStatement(node) && node.catchClause) outcome = catchOutcome(node.catchClause);
    else if (ts.isCallExpression(node)) {
      const handler = promiseCatchHandler(node);
      if (handler) outcome = handlerOutcome(handler);
    }
    if (outcome !== 'passes') found = outcome === 'handles' || found === 'passes' ? outcome : found;
    if (found !== 'handles') ts.forEachChild(node, visit);
  };
  visit(helper.body);
  return found;
}

function isAllSettled(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'allSettled';
}

function key(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * What a catch does with the failure: 'passes' it on unchanged and does nothing else (`catch (e) {
 * throw e; }`); 'throws' again on every path after some cleanup (a compensation, a log line, a
 * status write, then `throw e` or `throw new ApplicationFailure(...)`): the workflow still fails;
 * 'handles' it when some path ends other than in a throw (returns a fallback, goes on, continues a
 * retry loop), or the reviewer cannot tell.
 */
type CatchOutcome = 'passes' | 'throws' | 'handles';

function catchOutcome(clause: ts.CatchClause): CatchOutcome {
  const binding = clause.variableDeclaration?.name;
  if (binding && ts.isIdentifier(binding) && blockOnlyRethrows(clause.block, binding.text)) return 'passes';
  return alwaysThrows(clause.block) ? 'throws' : 'handles';
}

/** `.catch((e) => { throw e; })` or `.catch((e) => Promise.reject(e))` pass it on; a handler the reviewer cannot read counts as handling. */
function handlerOutcome(handler: ts.Expression): CatchOutcome {
  const fn = skipOuterExpressions(handler) as ts.Expression;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return 'handles';
  const parameter = fn.parameters[0]?.name;
  const name = parameter && ts.isIdentifier(parameter) ? parameter.text : undefined;
  if (!ts.isBlock(fn.body)) return name && isRejection(fn.body, name) ? 'passes' : 'handles';
  if (name && blockOnlyRethrows(fn.body, name)) return 'passes';
  return alwaysThrows(fn.body) ? 'throws' : 'handles';
}

/**
 * True when every path through the statement ends in a `throw`: a `throw`, a block with a
 * statement that always throws and nothing before it that returns, breaks or continues, an `if`
 * whose branches both always throw. Anything else (a `switch`, a nested `try`, a call of a helper
 * that may throw) is not read and counts as a way out.
 */
function alwaysThrows(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    for (const inner of statement.statements) {
      if (alwaysThrows(inner)) return true;
      if (leavesEarly(inner)) return false;
    }
    return false;
  }
  if (ts.isIfStatement(statement)) return !!statement.elseStatement && alwaysThrows(statement.thenStatement) && alwaysThrows(statement.elseStatement);
  return false;
}

/** True when a `return`, `break` or `continue` sits in the statement, outside nested functions. */
function leavesEarly(statement: ts.Statement): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function blockOnlyRethrows(block: ts.Block, name: string): boolean {
  return (
    block.statements.length > 0 &&
    block.statements.every(
      (statement) => (ts.isThrowStatement(statement) && isName(statement.expression, name)) || (ts.isReturnStatement(statement) && !!statement.expression && isRejection(statement.expression, name)),
    )
  );
}

function isRejection(expression: ts.Expression, name: string): boolean {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  return ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'reject' && inner.arguments[0] !== undefined && isName(inner.arguments[0], name);
}

function isName(expression: ts.Expression, name: string): boolean {
  const inner = skipOuterExpressions(expression) as ts.Expression;
  return ts.isIdentifier(inner) && inner.text === name;
}
