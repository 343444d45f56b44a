// TypeScript workflows that report their own failure (see ../failure-reports.ts): the workflow
// function's body is one try, with only statements holding no await and no throw before it, whose
// catch awaits an activity that notifies or records the failure and ends in a `throw`.

import ts from 'typescript';
import { activityOfCall } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityProxy, TemporalModel, WorkflowDefinition } from './types.js';
import { failureCarriers, reportsFailure, type FailureReport } from '../failure-reports.js';

export function workflowFailureReport(model: TemporalModel, workflow: WorkflowDefinition): FailureReport | undefined {
  const body = functionBody(workflow.node as ts.Node);
  if (!body) return undefined;
  const statements = [...body.statements];
  const last = statements.at(-1);
  if (!last || !ts.isTryStatement(last) || !last.catchClause) return undefined;
  if (statements.slice(0, -1).some((statement) => holds(statement, (node) => ts.isAwaitExpression(node) || ts.isThrowStatement(node)))) return undefined;
  const handler = last.catchClause.block.statements;
  const rethrow = handler.at(-1);
  if (!rethrow || !ts.isThrowStatement(rethrow)) return undefined;
  // a return or another throw before the last statement may leave the catch without reporting or rethrowing
  if (handler.slice(0, -1).some((statement) => holds(statement, (node) => ts.isReturnStatement(node) || ts.isThrowStatement(node)))) return undefined;
  // `return executeChild(...)` without await: the promise's failure comes after the try is left, and the catch does not see it
  if (holds(last.tryBlock, (node) => ts.isReturnStatement(node) && !!node.expression && ts.isCallExpression(skipOuterExpressions(node.expression)))) return undefined;
  const caught = last.catchClause.variableDeclaration?.name;
  const caughtName = caught && ts.isIdentifier(caught) ? caught.text : undefined;
  const assignments: { name: string; valueText: string }[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) assignments.push({ name: node.name.text, valueText: node.initializer.getText() });
    ts.forEachChild(node, collect);
  };
  collect(last.catchClause.block);
  const carriers = failureCarriers(caughtName, assignments);
  const proxyByNode = new Map<ts.Node, ActivityProxy>(model.activityProxies.map((p) => [p.node, p]));
  let found: FailureReport | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && ts.isAwaitExpression(skipParents(node))) {
      // a report under an `if` (a callback that may be unset) does not run on every failure
      if (conditional(node, last.catchClause!.block)) return;
      const activity = activityOfCall(node, model, proxyByNode);
      const text = node.arguments.map((argument) => argument.getText()).join(', ');
      if (activity && reportsFailure(activity.name, text, carriers)) {
        found = { activity: activity.name, line: node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1 };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of handler.slice(0, -1)) visit(statement);
  return found;
}

function skipParents(node: ts.Node): ts.Node {
  let current = node.parent;
  while (current && ts.isParenthesizedExpression(current)) current = current.parent;
  return current ?? node;
}

function functionBody(fn: ts.Node): ts.Block | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn)) && fn.body && ts.isBlock(fn.body)) return fn.body;
  if (ts.isVariableDeclaration(fn) && fn.initializer) return functionBody(skipOuterExpressions(fn.initializer) as ts.Node);
  return undefined;
}

function holds(node: ts.Node, test: (node: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || ts.isFunctionLike(child)) return;
    if (test(child)) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function conditional(node: ts.Node, stop: ts.Node): boolean {
  for (let current = node.parent; current && current !== stop; current = current.parent) {
    if (ts.isIfStatement(current) || ts.isConditionalExpression(current) || ts.isIterationStatement(current, false) || ts.isTryStatement(current) || ts.isSwitchStatement(current)) return true;
    if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || current.operatorToken.kind === ts.SyntaxKind.BarBarToken || current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return true;
  }
  return false;
}
