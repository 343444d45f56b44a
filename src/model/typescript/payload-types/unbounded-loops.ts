// Workflow loops that grow the history without bound: a loop with no fixed bound (while, do,
// for(;;) or a for whose limit is not a constant) whose body schedules activities, timers, child
// workflows or waits for signals, directly or through helper functions, and that neither checks
// workflowInfo().continueAsNewSuggested / historyLength / historySize nor calls continueAsNew.
// for...of and for...in loops are bounded by the collection they walk and are not reported.

import ts from 'typescript';
import { locate, nodeSnippet } from '../locate.js';
import { activityTypeCalled } from '../activity-calls.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowDefinition } from '../types.js';

export type ScheduledWork = 'activity' | 'timer' | 'child workflow' | 'signal wait';

export interface HistoryGrowth {
  kind: ScheduledWork;
  /** Activity type, child workflow, or the API called (`sleep`, `condition`). */
  name: string;
  location: SourceLocation;
}

export interface UnboundedLoop {
  location: SourceLocation;
  /** The loop's first line, e.g. `while (true) {`. */
  text: string;
  /** What each iteration adds to the history (first few, in source order). */
  growth: HistoryGrowth[];
}

/** Loops larger than this constant bound are treated as unbounded. */
const MAX_CONSTANT_BOUND = 1000;
const HELPER_DEPTH = 3;
const TIMER_APIS = new Set(['sleep']);
const CHILD_APIS = new Set(['executeChild', 'startChild']);
const GUARD_PROPERTIES = new Set(['continueAsNewSuggested', 'historyLength', 'historySize']);
const CONTINUE_AS_NEW_APIS = new Set(['continueAsNew', 'makeContinueAsNewFunc']);

export function unboundedLoops(model: TemporalModel, workflow: WorkflowDefinition): UnboundedLoop[] {
  const proxyCalls = new Set<ts.Node>(model.activityProxies.map((proxy) => proxy.node));
  const loops: UnboundedLoop[] = [];
  const body = workflow.node.body;
  if (!body) return loops;
  const visit = (node: ts.Node): void => {
    if (isLoop(node) && !isBounded(node, model) && !hasContinueAsNewGuard(node, model)) {
      const growth = historyGrowth(loopBody(node), model, proxyCalls, 0, new Set());
      if (growth.length > 0) loops.push({ location: locate(node), text: nodeSnippet(node, 60), growth: growth.slice(0, 4) });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return loops;
}

type Loop = ts.WhileStatement | ts.DoStatement | ts.ForStatement;

function isLoop(node: ts.Node): node is Loop {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node);
}

function loopBody(loop: Loop): ts.Node {
  return loop.statement;
}

/** `for (...; i < 10; ...)` and `while (n <= MAX)` with a constant limit up to MAX_CONSTANT_BOUND. */
function isBounded(loop: Loop, model: TemporalModel): boolean {
  const condition = loop.kind === ts.SyntaxKind.ForStatement ? (loop as ts.ForStatement).condition : (loop as ts.WhileStatement | ts.DoStatement).expression;
  if (!condition) return false;
  const expression = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(expression)) return false;
  const operator = expression.operatorToken.kind;
  const limit =
    operator === ts.SyntaxKind.LessThanToken || operator === ts.SyntaxKind.LessThanEqualsToken
      ? expression.right
      : operator === ts.SyntaxKind.GreaterThanToken || operator === ts.SyntaxKind.GreaterThanEqualsToken
        ? expression.left
        : undefined;
  if (!limit) return false;
  const value = model.resolveValue(limit);
  return value.kind === 'number' && value.value <= MAX_CONSTANT_BOUND;
}

/** The loop checks continueAsNewSuggested / history length or size, or continues-as-new itself. */
function hasContinueAsNewGuard(loop: Loop, model: TemporalModel): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && GUARD_PROPERTIES.has(node.name.text)) found = true;
    else if (ts.isCallExpression(node) && CONTINUE_AS_NEW_APIS.has(model.temporalApiOf(node.expression)?.name ?? '')) found = true;
    else if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && isContinueAsNewFunction(node.expression, model)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(loop);
  return found;
}

/** A local `const next = makeContinueAsNewFunc(...)` called inside the loop. */
function isContinueAsNewFunction(callee: ts.Expression, model: TemporalModel): boolean {
  const declaration = model.declarationOf(callee);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && model.temporalApiOf(initializer.expression)?.name === 'makeContinueAsNewFunc';
}

/** What a piece of workflow code schedules, following calls into helper functions of the project. */
function historyGrowth(node: ts.Node, model: TemporalModel, proxyCalls: Set<ts.Node>, depth: number, seen: Set<ts.Node>): HistoryGrowth[] {
  const growth: HistoryGrowth[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isCallExpression(current)) {
      const scheduled = scheduledBy(current, model, proxyCalls);
      if (scheduled) growth.push(scheduled);
      else if (depth < HELPER_DEPTH) growth.push(...throughHelper(current, model, proxyCalls, depth, seen));
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return growth;
}

function scheduledBy(call: ts.CallExpression, model: TemporalModel, proxyCalls: Set<ts.Node>): HistoryGrowth | undefined {
  const api = model.temporalApiOf(call.expression)?.name;
  const location = locate(call);
  if (api && TIMER_APIS.has(api)) return { kind: 'timer', name: api, location };
  if (api === 'condition') return { kind: call.arguments.length > 1 ? 'timer' : 'signal wait', name: api, location };
  if (api && CHILD_APIS.has(api)) {
    const target = call.arguments[0];
    return { kind: 'child workflow', name: target ? nodeSnippet(target, 40) : api, location };
  }
  const activity = activityTypeCalled(call.expression, model);
  return activity ? { kind: 'activity', name: activity, location } : undefined;
}

function throughHelper(call: ts.CallExpression, model: TemporalModel, proxyCalls: Set<ts.Node>, depth: number, seen: Set<ts.Node>): HistoryGrowth[] {
  const declaration = model.declarationOf(call.expression);
  const fn = declaration && functionOf(declaration);
  if (!fn?.body || seen.has(fn) || fn.getSourceFile().isDeclarationFile || !model.files.includes(fn.getSourceFile().fileName)) return [];
  seen.add(fn);
  return historyGrowth(fn.body, model, proxyCalls, depth + 1, seen);
}

function functionOf(declaration: ts.Declaration): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}
