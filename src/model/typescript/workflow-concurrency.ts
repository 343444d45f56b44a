// The TypeScript side of src/model/worker-load.ts: where workflow code runs work side by side, and
// where a start sits (the loop around it, the workflow that holds a child start, a request handler).

import ts from 'typescript';
import { requestContext } from './observability/request-context.js';
import type { TemporalModel, WorkflowStart } from './types.js';
import type { StartPlacement, WorkflowConcurrencyFacts } from '../types.js';
import type { LoadSyntax } from '../worker-load.js';

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
/** Array methods whose callback runs once per element. */
const PER_ELEMENT = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every']);

export function typescriptLoadSyntax(model: TemporalModel): LoadSyntax {
  return {
    concurrency: workflowConcurrency(model),
    placement: (start) => start.placement ?? placementOf(start as WorkflowStart, model),
  };
}

function placementOf(start: WorkflowStart, model: TemporalModel): StartPlacement {
  const node = start.node;
  const parent = start.child ? model.workflows.find((w) => w.file === start.location.file && w.node.pos <= node.pos && node.end <= w.node.end) : undefined;
  const loop = loopAround(node);
  return {
    repeatedIn: loop ? { location: model.locate(loop.node), text: loop.text, fixed: loop.fixed } : null,
    parentWorkflow: parent?.name ?? null,
    requestHandler: start.child ? null : (requestContext(node, model.root) ?? null),
  };
}

/** The nearest loop or per-element callback around the node, up to the file. */
function loopAround(node: ts.Node): { node: ts.Node; text: string; fixed: boolean } | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isForOfStatement(current) || ts.isForInStatement(current)) {
      return { node: current, text: current.expression.getText(), fixed: fixedCollection(current.expression) };
    }
    if (ts.isForStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) {
      return { node: current, text: current.getText().split('\n')[0]!.slice(0, 60), fixed: false };
    }
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent) && current.parent.arguments.includes(current)) {
      const callee = current.parent.expression;
      if (ts.isPropertyAccessExpression(callee) && PER_ELEMENT.has(callee.name.text)) {
        return { node: current.parent, text: callee.expression.getText(), fixed: fixedCollection(callee.expression) };
      }
    }
  }
  return undefined;
}

/** A literal, or a top-level `const` of the file bound to a literal: a list written in the code. */
function fixedCollection(expression: ts.Expression): boolean {
  let target = expression;
  // `Object.entries(X)`, `Object.keys(X)`, `Object.values(X)`.
  if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression) && target.expression.expression.getText() === 'Object' && target.arguments.length === 1) target = target.arguments[0]!;
  if (ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) return true;
  if (!ts.isIdentifier(target)) return false;
  const file = target.getSourceFile();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== target.text || !declaration.initializer) continue;
      let init: ts.Expression = declaration.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      return ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init);
    }
  }
  return false;
}

/** Where each workflow runs work side by side; sites in helpers of a workflow file count for every workflow of the file. */
function workflowConcurrency(model: TemporalModel): WorkflowConcurrencyFacts[] {
  const facts = new Map(model.workflows.map((w) => [w.name, { workflow: w.name, sites: [] as WorkflowConcurrencyFacts['sites'] }]));
  const files = new Set([...model.workflowFiles, ...model.workflows.map((w) => w.file)]);
  for (const file of files) {
    const source = model.sourceFile(file);
    if (!source) continue;
    const inFile = model.workflows.filter((w) => w.file === file);
    const visit = (node: ts.Node): void => {
      const site = concurrencySite(node);
      if (site) {
        const owner = inFile.find((w) => w.node.pos <= node.pos && node.end <= w.node.end);
        // A helper outside any workflow: any workflow may call it (those of other files too).
        const owners = owner ? [owner] : inFile.length > 0 ? inFile : model.workflows;
        for (const w of owners) facts.get(w.name)?.sites.push({ location: model.locate(node), text: site });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...facts.values()];
}

function concurrencySite(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && PROMISE_COMBINATORS.has(callee.name.text)) {
    return `Promise.${callee.name.text}(...)`;
  }
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  if (name === 'startChild' && loopAround(node)) return 'startChild(...) in a loop';
  // A signal or update handler that awaits work: each message runs it beside the main code.
  if (name === 'setHandler' && node.arguments.length >= 2) {
    const handler = node.arguments[1]!;
    if ((ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && handler.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) && awaitsWork(handler.body)) {
      return `setHandler(${node.arguments[0]!.getText()}, async ...)`;
    }
  }
  return undefined;
}

/** An await of something other than `condition(...)` / `sleep(...)`. */
function awaitsWork(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(node)) {
      const inner = node.expression;
      const callee = ts.isCallExpression(inner) ? inner.expression : undefined;
      const name = callee && ts.isIdentifier(callee) ? callee.text : undefined;
      if (name !== 'condition' && name !== 'sleep') found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
