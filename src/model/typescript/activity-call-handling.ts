// Whether the workflow code around an activity call deals with the call's failure: the call sits
// in a `try` whose `catch` does anything but rethrow (compensates, then rethrows; retries; returns
// a fallback), or its promise has such a `.catch` handler, or a workflow-level retry loop repeats
// it, or it runs inside a callback given to a helper of workflow code that catches (a retry or
// compensation wrapper). A call in a function whose callers the reviewer does not follow (a named
// helper) is 'unknown': its callers may catch.

import ts from 'typescript';
import { promiseCatchHandler } from './sandbox/caught-errors.js';
import { functionOfDeclaration } from './declarations.js';
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
  while (node) {
    if (ts.isTryStatement(node) && child === node.tryBlock && node.catchClause && !onlyRethrows(node.catchClause)) return { handling: 'handled' };
    if (ts.isPropertyAccessExpression(node) && node.expression === child && ts.isCallExpression(node.parent) && node.parent.expression === node) {
      const handler = promiseCatchHandler(node.parent);
      if (handler && !handlerOnlyRethrows(handler)) return { handling: 'handled' };
    }
    if (ts.isCallExpression(node) && isAllSettled(node) && node.arguments.some((argument) => argument === child)) return { handling: 'handled' };
    if (ts.isFunctionLike(node)) {
      const workflow = workflowByNode.get(node);
      if (workflow) return { handling: 'uncaught', workflow };
      // A callback given to a call: the callee runs it, and may catch what it throws.
      const owner = callbackOwner(node);
      if (!owner) return { handling: 'unknown' };
      if (helperCatches(owner, model)) return { handling: 'handled' };
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
 * True when the callee of a call taking a callback is a function of the reviewed code that has a
 * `try` with a handling `catch`, or a `.catch` handler: a retry, lock or compensation wrapper.
 * Array methods, Promise combinators and SDK scopes (CancellationScope) are not declared in the
 * reviewed code and pass the failure on.
 */
function helperCatches(call: ts.CallExpression, model: TemporalModel): boolean {
  const helper = functionOfDeclaration(model.declarationOf(skipOuterExpressions(call.expression)));
  if (!helper?.body || !model.files.includes(helper.getSourceFile().fileName)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isTryStatement(node) && node.catchClause && !onlyRethrows(node.catchClause)) found = true;
    else if (ts.isCallExpression(node)) {
      const handler = promiseCatchHandler(node);
      if (handler && !handlerOnlyRethrows(handler)) found = true;
    }
    if (!found) ts.forEachChild(node, visit);
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

/** `catch (e) { throw e; }`: the catch passes the failure on and does nothing else. */
function onlyRethrows(clause: ts.CatchClause): boolean {
  const binding = clause.variableDeclaration?.name;
  return !!binding && ts.isIdentifier(binding) && blockOnlyRethrows(clause.block, binding.text);
}

/** `.catch((e) => { throw e; })` or `.catch((e) => Promise.reject(e))`; a handler the reviewer cannot read counts as handling. */
function handlerOnlyRethrows(handler: ts.Expression): boolean {
  const fn = skipOuterExpressions(handler) as ts.Expression;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const parameter = fn.parameters[0]?.name;
  if (!parameter || !ts.isIdentifier(parameter)) return false;
  if (!ts.isBlock(fn.body)) return isRejection(fn.body, parameter.text);
  return blockOnlyRethrows(fn.body, parameter.text);
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
