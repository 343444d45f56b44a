// Where a workflow loop that never ends (`while (true)`, `for (;;)`, or a counted loop followed by
// continue-as-new) starts a child workflow on every round and paces its rounds with a constant
// sleep: each round is a new workflow execution, so the loop creates about one child per interval,
// all day, for every running instance of the parent. Only a child start that runs on every round
// counts (not one under an `if`, in a catch, in a nested loop or in a callback); the pace is the
// sum of the awaited `sleep(...)` calls the round always makes, resolved to a constant.

import ts from 'typescript';
import { enclosingFunction } from './call-reach.js';
import { parseDuration } from '../../engine/duration.js';
import { functionName, functionOfDeclaration } from './declarations.js';
import { activityCallSites } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel } from './types.js';

export interface ChildPerRound {
  /** The child start (`startChild(...)` or `executeChild(...)`). */
  location: SourceLocation;
  loop: SourceLocation;
  /** The workflow function the loop is in. */
  parent: string;
  child: string;
  /** The constant pause between rounds, ms. */
  intervalMs: number;
  /** Where the loop is made endless: `while (true)` or the continue-as-new after it. */
  endless: 'loop' | 'continueAsNew';
  /** The one activity the child runs, when its whole body is that call. */
  singleActivity?: string;
}

/** Only rounds at most this far apart are reported: 288 executions a day and more. */
export const MAX_INTERVAL_MS = 5 * 60_000;

const cache = new WeakMap<TemporalModel, ChildPerRound[]>();

export function childStartsPerRound(model: TemporalModel): ChildPerRound[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: ChildPerRound[] = [];
  const workflowNames = new Map(model.workflows.map((w) => [w.node as ts.Node, w.name]));
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\b(startChild|executeChild)\b/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIterationStatement(node, false)) {
        const hit = childPerRound(node, model, workflowNames);
        if (hit) found.push(hit);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

function childPerRound(loop: ts.IterationStatement, model: TemporalModel, workflowNames: Map<ts.Node, string>): ChildPerRound | undefined {
  const fn = enclosingFunction(loop);
  const parent = fn && workflowNames.get(fn);
  if (!fn || !parent) return undefined;
  const endless = isEndlessLoop(loop) ? 'loop' : continuesAsNewAfter(loop) ? 'continueAsNew' : undefined;
  if (!endless) return undefined;
  let intervalMs = 0;
  let start: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isIterationStatement(node, false) || ts.isIfStatement(node) || ts.isCatchClause(node) || ts.isSwitchStatement(node) || ts.isConditionalExpression(node)) return;
    if (ts.isBinaryExpression(node) && isShortCircuit(node.operatorToken.kind)) return;
    if (ts.isCallExpression(node)) {
      const api = model.temporalApiOf(node.expression)?.name;
      if (api === 'sleep' && ts.isAwaitExpression(node.parent) && node.arguments[0]) {
        const value = model.resolveValue(node.arguments[0]);
        const ms = value.kind === 'number' || value.kind === 'string' ? parseDuration(value.value) : null;
        intervalMs = ms === null || Number.isNaN(intervalMs) ? Number.NaN : intervalMs + ms;
      } else if ((api === 'startChild' || api === 'executeChild') && !start) start = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (!start || !(intervalMs > 0) || intervalMs > MAX_INTERVAL_MS) return undefined;
  const target = start.arguments[0] && skipOuterExpressions(start.arguments[0]);
  if (!target) return undefined;
  const childFn = ts.isIdentifier(target) ? functionOfDeclaration(model.declarationOf(target)) : undefined;
  const child = (childFn && functionName(childFn)) ?? (ts.isIdentifier(target) || ts.isStringLiteralLike(target) ? target.text : target.getText());
  const single = childFn ? singleActivity(childFn, model) : undefined;
  return {
    location: model.locate(start),
    loop: model.locate(loop),
    parent,
    child,
    intervalMs,
    endless,
    ...(single ? { singleActivity: single } : {}),
  };
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

/** `while (true)`, `do ... while (true)`, `for (;;)`. */
export function isEndlessLoop(node: ts.Node): node is ts.IterationStatement {
  if (ts.isForStatement(node)) return node.condition === undefined || node.condition.kind === ts.SyntaxKind.TrueKeyword;
  if (ts.isWhileStatement(node) || ts.isDoStatement(node)) return skipOuterExpressions(node.expression).kind === ts.SyntaxKind.TrueKeyword;
  return false;
}

/** A statement after the loop in the same block calls continueAsNew: the loop starts over in a new run. */
function continuesAsNewAfter(loop: ts.IterationStatement): boolean {
  if (!ts.isForStatement(loop) && !ts.isWhileStatement(loop) && !ts.isDoStatement(loop)) return false;
  const block = loop.parent;
  if (!block || !ts.isBlock(block)) return false;
  const rest = block.statements.slice(block.statements.indexOf(loop as ts.Statement) + 1);
  return rest.some((statement) => /\bcontinueAsNew\b|\bmakeContinueAsNewFunc\b/.test(statement.getText()));
}

/** The activity a workflow runs when its body is that one call (`await doIt(x)` or `return await doIt(x)`). */
function singleActivity(fn: ts.FunctionLikeDeclaration, model: TemporalModel): string | undefined {
  const body = fn.body;
  if (!body) return undefined;
  const statements = ts.isBlock(body) ? body.statements : undefined;
  const only = statements ? (statements.length === 1 ? statements[0] : undefined) : body;
  if (!only) return undefined;
  let expression: ts.Node | undefined = ts.isExpressionStatement(only) ? only.expression : ts.isReturnStatement(only) ? only.expression : ts.isBlock(body) ? undefined : only;
  if (!expression) return undefined;
  expression = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(expression)) expression = skipOuterExpressions(expression.expression);
  const site = activityCallSites(model).find((s) => s.call === expression);
  return site?.name;
}

