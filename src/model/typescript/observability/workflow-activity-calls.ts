// Which activities a workflow schedules per execution, and how often: the input of the load
// model (activity arrivals = workflow starts x calls per execution). Follows calls into helper
// functions of the reviewed code. A call inside a loop or in a callback that may run many times
// (array methods, signal handlers) has an unknown count; calls in different branches are each
// counted once, so counts are an upper bound for branchy code.

import ts from 'typescript';
import { functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { ActivityProxy, SourceLocation, TemporalModel, WorkflowDefinition } from '../types.js';

export interface ActivityCallCount {
  activityType: string;
  /** The proxy (or executeWithOptions override) whose options apply. */
  proxy: ActivityProxy;
  /** Calls per workflow execution; 'unknown' when one of the call sites repeats. */
  count: number | 'unknown';
  /** Every call site, sorted. */
  sites: SourceLocation[];
  /** Where the repetition is (the loop or the callback), when count is 'unknown'. */
  repeatedAt?: SourceLocation;
}

export interface WorkflowActivityCalls {
  workflow: WorkflowDefinition;
  calls: ActivityCallCount[];
  /** Proxies whose object escapes (passed around): calls through them cannot be counted. */
  uncountedProxies: ActivityProxy[];
}

const MAX_DEPTH = 4;
const ONCE_CALLBACK_OWNERS = new Set(['run', 'cancellable', 'nonCancellable', 'withTimeout']);

export function workflowActivityCalls(model: TemporalModel, workflow: WorkflowDefinition): WorkflowActivityCalls {
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const counts = new Map<string, ActivityCallCount>();
  const stack = new Set<ts.Node>();

  const record = (call: ts.CallExpression, activityType: string, proxy: ActivityProxy, repeat: ts.Node | undefined) => {
    const key = `${proxy.id}\u0000${activityType}`;
    const entry = counts.get(key) ?? { activityType, proxy, count: 0, sites: [] };
    entry.sites.push(model.locate(call));
    if (repeat || entry.count === 'unknown') {
      if (entry.count !== 'unknown' && repeat) entry.repeatedAt = model.locate(repeat);
      entry.count = 'unknown';
    } else {
      entry.count += 1;
    }
    counts.set(key, entry);
  };

  const visitFunction = (fn: ts.FunctionLikeDeclaration, outerRepeat: ts.Node | undefined, depth: number) => {
    if (!fn.body || stack.has(fn) || depth > MAX_DEPTH) return;
    stack.add(fn);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const repeat = outerRepeat ?? repetitionBetween(node, fn);
        const activity = activityOfCall(node, model, proxyByNode);
        if (activity) record(node, activity.name, activity.proxy, repeat);
        else {
          const callee = functionOfDeclaration(model.declarationOf(node.expression));
          if (callee && isReviewed(model, callee)) visitFunction(callee, repeat, depth + 1);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    stack.delete(fn);
  };
  visitFunction(workflow.node, undefined, 0);

  const counted = new Set([...counts.values()].map((c) => c.proxy.baseProxyId ?? c.proxy.id));
  const uncountedProxies = model.activityProxies.filter(
    (p) => p.origin === 'proxy' && p.usedActivityTypes === 'all' && p.workflowNames.includes(workflow.name) && !counted.has(p.id),
  );
  const calls = [...counts.values()]
    .map((c) => ({ ...c, sites: c.sites.sort(compareLocations) }))
    .sort((a, b) => a.activityType.localeCompare(b.activityType) || a.proxy.id.localeCompare(b.proxy.id));
  return { workflow, calls, uncountedProxies };
}

export interface ActivityCallSite {
  call: ts.CallExpression;
  name: string;
  proxy: ActivityProxy;
}

const callSitesCache = new WeakMap<TemporalModel, ActivityCallSite[]>();

/** Every activity call written in the reviewed workflow files, in source order; one walk per model. */
export function activityCallSites(model: TemporalModel): ActivityCallSite[] {
  const cached = callSitesCache.get(model);
  if (cached) return cached;
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  const sites: ActivityCallSite[] = [];
  for (const file of model.workflowFiles) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !model.files.includes(file)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const activity = activityOfCall(node, model, proxyByNode);
        if (activity) sites.push({ call: node, ...activity });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  callSitesCache.set(model, sites);
  return sites;
}

/** The activity type and proxy a call schedules, when the callee is taken from a proxy. */
export function activityOfCall(
  call: ts.CallExpression,
  model: TemporalModel,
  proxyByNode: Map<ts.Node, ActivityProxy>,
): { name: string; proxy: ActivityProxy } | undefined {
  const callee = skipOuterExpressions(call.expression) as ts.Expression;
  // `activity.executeWithOptions(options, args)`: the override proxy carries the merged options.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'executeWithOptions') {
    const override = proxyByNode.get(call);
    const target = activityOfCallee(skipOuterExpressions(callee.expression) as ts.Expression, model, proxyByNode);
    if (override && target) return { name: target.name, proxy: override };
    return target;
  }
  return activityOfCallee(callee, model, proxyByNode);
}

function activityOfCallee(
  callee: ts.Expression,
  model: TemporalModel,
  proxyByNode: Map<ts.Node, ActivityProxy>,
): { name: string; proxy: ActivityProxy } | undefined {
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isStringLiteralLike(callee.argumentExpression)
        ? callee.argumentExpression.text
        : undefined;
    if (name === undefined) return undefined;
    const object = skipOuterExpressions(callee.expression);
    const direct = proxyByNode.get(object);
    if (direct) return { name, proxy: direct };
    if (!ts.isIdentifier(object)) return undefined;
    const declaration = model.declarationOf(object);
    const proxy = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer
      ? proxyByNode.get(skipOuterExpressions(declaration.initializer))
      : undefined;
    return proxy ? { name, proxy } : undefined;
  }
  if (ts.isIdentifier(callee)) {
    const declaration = model.declarationOf(callee);
    if (!declaration || !ts.isBindingElement(declaration)) return undefined;
    const pattern = declaration.parent;
    const holder = pattern.parent;
    if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(holder) || !holder.initializer) return undefined;
    const proxy = proxyByNode.get(skipOuterExpressions(holder.initializer));
    const nameNode = declaration.propertyName ?? declaration.name;
    const name = ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) ? nameNode.text : undefined;
    return proxy && name !== undefined ? { name, proxy } : undefined;
  }
  return undefined;
}

/** The loop or many-times callback between a call and the function it sits in, if any. */
function repetitionBetween(node: ts.Node, fn: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (
      ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) ||
      ts.isWhileStatement(current) || ts.isDoStatement(current)
    ) {
      return current;
    }
    if (ts.isFunctionLike(current) && !runsOnce(current)) return current;
  }
  return undefined;
}

/** Callbacks that run once per call: `CancellationScope.run(() => ...)` and friends. */
function runsOnce(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && ONCE_CALLBACK_OWNERS.has(callee.name.text) && /CancellationScope/.test(callee.expression.getText());
}

function isReviewed(model: TemporalModel, fn: ts.Node): boolean {
  return model.files.includes(fn.getSourceFile().fileName);
}

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
