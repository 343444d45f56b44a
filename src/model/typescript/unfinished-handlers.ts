// TypeScript workflows that can complete while an async signal or update handler is still running
// (see ../unfinished-handlers.ts). A handler counts when it is registered by `setHandler(def, fn)` in
// the workflow function or a helper it calls, `def` is a defineSignal/defineUpdate, `fn` is an async
// function, no `unfinishedPolicy` option is given (an explicit policy is a decision), and `fn` awaits
// durable work: an activity of a proxyActivities proxy, executeChild/startChild, sleep or condition
// from @temporalio/workflow, directly or through a project helper it awaits. The workflow counts when
// its code never reads `allHandlersFinished` and it can end: it continues as new, or its function
// returns (a function whose body is an endless loop with no break or return, and no continue-as-new,
// never completes while handlers run, and is left alone).

import ts from 'typescript';
import type { DurableWorkKind, UnfinishedHandler, WorkflowHandlersUnfinished } from '../unfinished-handlers.js';
import { activityTypeCalled } from './activity-calls.js';
import { functionOfDeclaration } from './declarations.js';
import { locateOffset, nodeSnippet } from './locate.js';
import { definitionName } from './message-sends.js';
import { projectFunctionsReachedFrom, projectFunctionCalled } from './reached-functions.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel, WorkflowDefinition } from './types.js';

/** How deep helpers are followed from the workflow function (to setHandler) and from a handler (to the work). */
const MAX_CALL_DEPTH = 4;
const HELPER_DEPTH = 3;
const WORKFLOW_MODULE = '@temporalio/workflow';
const DURABLE_APIS: Record<string, DurableWorkKind> = { sleep: 'timer', condition: 'condition', executeChild: 'child', startChild: 'child' };

export function typescriptUnfinishedHandlers(model: TemporalModel): WorkflowHandlersUnfinished[] {
  const found: WorkflowHandlersUnfinished[] = [];
  for (const workflow of model.workflows) {
    if (!workflow.handlers.some((h) => h.kind === 'signal' || h.kind === 'update') || !workflow.node.body) continue;
    const reached = projectFunctionsReachedFrom(workflow.node, model, MAX_CALL_DEPTH);
    if ([...reached].some((fn) => readsAllHandlersFinished(fn, model))) continue;
    const exit = exitOf(workflow, reached, model);
    if (!exit) continue;
    const handlers = durableHandlers(reached, model);
    if (handlers.length === 0) continue;
    found.push({ workflow: workflow.name, location: workflow.location, handlers, exit });
  }
  return found;
}

function workflowApi(node: ts.Node, model: TemporalModel): string | undefined {
  const api = model.temporalApiOf(node);
  return api?.module === WORKFLOW_MODULE ? api.name : undefined;
}

function readsAllHandlersFinished(fn: ts.Node, model: TemporalModel): boolean {
  if (!fn.getText().includes('allHandlersFinished')) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) && /allHandlersFinished$/.test(node.getText()) && workflowApi(node, model) === 'allHandlersFinished') found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** Where the run can end while handlers run: a continue-as-new, else the function's return; undefined when it never ends. */
function exitOf(workflow: WorkflowDefinition, reached: Set<ts.FunctionLikeDeclaration>, model: TemporalModel): WorkflowHandlersUnfinished['exit'] | undefined {
  for (const fn of reached) {
    let call: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (call) return;
      if (ts.isCallExpression(node) && workflowApi(node.expression, model) === 'continueAsNew') call = node;
      else ts.forEachChild(node, visit);
    };
    visit(fn);
    if (call) return { kind: 'continue-as-new', location: model.locate(call) };
  }
  const body = workflow.node.body!;
  if (!ts.isBlock(body)) return { kind: 'return', location: model.locate(body) };
  const returns = ownReturns(body);
  if (returns.length === 0 && body.statements.some((statement) => isEndlessLoop(statement))) return undefined;
  // The function's closing brace: where `await condition(allHandlersFinished)` goes when it falls off the end.
  return { kind: 'return', location: locateOffset(body.getSourceFile(), body.end - 1) };
}

/** The return statements of a function body, not of the functions nested in it. */
function ownReturns(body: ts.Node): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `while (true)`, `for (;;)`, `do ... while (true)` with no break that leaves it. */
function isEndlessLoop(statement: ts.Statement): boolean {
  let condition: ts.Expression | undefined;
  if (ts.isWhileStatement(statement) || ts.isDoStatement(statement)) condition = statement.expression;
  else if (ts.isForStatement(statement)) condition = statement.condition;
  else return false;
  if (condition && condition.kind !== ts.SyntaxKind.TrueKeyword) return false;
  let breaks = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (breaks || ts.isFunctionLike(node)) return;
    if (ts.isBreakStatement(node) && (node.label || !nested)) breaks = true;
    const inner = nested || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(statement.statement, (child) => visit(child, false));
  return !breaks;
}

function durableHandlers(reached: Set<ts.FunctionLikeDeclaration>, model: TemporalModel): UnfinishedHandler[] {
  const handlers: UnfinishedHandler[] = [];
  const seen = new Set<ts.Node>();
  for (const fn of reached) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !seen.has(node) && workflowApi(node.expression, model) === 'setHandler' && node.arguments.length >= 2) {
        seen.add(node);
        const handler = durableHandler(node, model);
        if (handler) handlers.push(handler);
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
  }
  return handlers.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
}

function durableHandler(call: ts.CallExpression, model: TemporalModel): UnfinishedHandler | undefined {
  const definition = definitionName(call.arguments[0]!, model);
  const kind = definition?.kind;
  if (kind !== 'signal' && kind !== 'update') return undefined;
  // An explicit policy (ABANDON, or WARN_AND_ABANDON spelled out) is a decision about this very case.
  if (call.arguments[2] && setsUnfinishedPolicy(call.arguments[2], model)) return undefined;
  const fn = handlerFunction(call.arguments[1]!, model);
  if (!fn?.body || !isAsync(fn)) return undefined;
  const work = durableWork(fn, model, HELPER_DEPTH, new Set());
  if (!work) return undefined;
  return { kind, name: definition!.name, location: model.locate(call), work };
}

function setsUnfinishedPolicy(options: ts.Expression, model: TemporalModel): boolean {
  const value = skipOuterExpressions(options);
  if (ts.isObjectLiteralExpression(value)) return value.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'unfinishedPolicy');
  if (ts.isIdentifier(value)) {
    const declaration = model.declarationOf(value);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return setsUnfinishedPolicy(declaration.initializer, model);
  }
  // Options the reviewer cannot read may set a policy.
  return true;
}

function handlerFunction(argument: ts.Expression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const value = skipOuterExpressions(argument);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) return functionOfDeclaration(model.declarationOf(value));
  return undefined;
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** The first durable call the function awaits, directly or through a project helper it awaits. */
function durableWork(fn: ts.FunctionLikeDeclaration, model: TemporalModel, depth: number, seen: Set<ts.Node>): UnfinishedHandler['work'] | undefined {
  seen.add(fn);
  let work: UnfinishedHandler['work'] | undefined;
  const visit = (node: ts.Node): void => {
    if (work) return;
    if (ts.isCallExpression(node) && isAwaited(node, fn)) {
      const api = workflowApi(node.expression, model);
      const kind = api ? DURABLE_APIS[api] : activityTypeCalled(node.expression, model) ? 'activity' : undefined;
      if (kind) {
        work = { kind, text: `${nodeSnippet(node.expression, 50)}(…)`, location: model.locate(node) };
        return;
      }
      if (!api && depth > 0) {
        const callee = projectFunctionCalled(node, model);
        if (callee && !seen.has(callee) && isAsync(callee)) {
          const inner = durableWork(callee, model, depth - 1, seen);
          if (inner) {
            work = { ...inner, via: inner.via ?? nodeSnippet(node.expression, 40) };
            return;
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  return work;
}

/**
 * Whether the handler waits for the call: it sits under an `await` (the awaited call itself, an
 * argument of an awaited Promise.all, an awaited async callback's body) or is returned by an async
 * function, between it and the handler.
 */
function isAwaited(call: ts.Node, root: ts.FunctionLikeDeclaration): boolean {
  for (let node: ts.Node = call; node !== root && node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isAwaitExpression(parent)) return true;
    // `async () => act()`: the arrow's expression body is what it returns.
    if (parent === root && ts.isArrowFunction(root) && root.body === node && !ts.isBlock(node)) return true;
    if (ts.isReturnStatement(parent) && ts.findAncestor(parent.parent, ts.isFunctionLike) === root) return true;
  }
  return false;
}
