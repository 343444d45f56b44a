// Where the project reads a workflow's outcome later, by its id, outside the code that starts it:
//
//   app.get('/exports/:id/result', async (req, res) => {
//     res.json(await client.workflow.getHandle(req.params.id).result());   // another request reads the run
//   });
//
// `result()` on `getHandle<typeof exportTable>(id)` reads that workflow's result; on an untyped
// `getHandle(id)` it reads some workflow's result the review cannot name, so it counts for every
// workflow. A query (`handle.query(progressQuery)`, `handle.query('progress')`) reads the state of the
// workflows that handle that query name. The handle is the getHandle call itself or a variable it
// initialized (`const handle = client.workflow.getHandle(id)`). Workflow code is not read.
// workflow-failure-swallowed uses this so that it never says nobody reads a result the project
// fetches in another place.

import ts from 'typescript';
import type { SourceLocation } from '../types.js';
import type { TemporalModel } from './types.js';

export interface ResultReader {
  location: SourceLocation;
  kind: 'result' | 'query';
  /** The workflow types it may read; null when the handle names none (an untyped result()). */
  workflows: string[] | null;
}

const cache = new WeakMap<TemporalModel, ResultReader[]>();

export function resultReaders(model: TemporalModel): ResultReader[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: ResultReader[] = [];
  for (const file of model.files) {
    if (model.workflowFiles.has(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('getHandle')) continue;
    const checker = model.checkerFor(file);
    const visit = (node: ts.Node): void => {
      ts.forEachChild(node, visit);
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const member = node.expression.name.text;
      if (member !== 'result' && member !== 'query') return;
      const made = handleMaker(skip(node.expression.expression), checker);
      if (!made) return;
      const typed = typedWorkflows(made, model);
      if (member === 'result') {
        found.push({ location: model.locate(node), kind: 'result', workflows: typed });
        return;
      }
      const queried = queriedWorkflows(node, model, checker);
      const names = typed ? (queried ? queried.filter((name) => typed.includes(name)) : typed) : queried;
      if (names && names.length > 0) found.push({ location: model.locate(node), kind: 'query', workflows: names });
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

/** `x.getHandle(id)` itself, or the const / let it initialized (every write of it such a call). */
function handleMaker(expr: ts.Expression, checker: ts.TypeChecker | undefined): ts.CallExpression | undefined {
  if (isGetHandle(expr)) return expr;
  if (!ts.isIdentifier(expr) || !checker) return undefined;
  const declaration = checker.getSymbolAtLocation(expr)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  const initializer = skip(declaration.initializer);
  return isGetHandle(initializer) ? initializer : undefined;
}

function isGetHandle(expr: ts.Expression): expr is ts.CallExpression {
  return ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'getHandle' && expr.arguments.length >= 1;
}

/** `getHandle<typeof exportTable>(id)`: the workflow named by the type argument, when the code defines it. */
function typedWorkflows(call: ts.CallExpression, model: TemporalModel): string[] | null {
  const argument = call.typeArguments?.[0];
  if (!argument || !ts.isTypeQueryNode(argument)) return null;
  const name = argument.exprName.getText().split('.').pop()!;
  const matched = model.workflows.filter((w) => w.name === name).map((w) => w.name);
  return matched.length > 0 ? matched : null;
}

/** The workflows with a query handler of the name the call queries: a string, or a const made by defineQuery('name'). */
function queriedWorkflows(call: ts.CallExpression, model: TemporalModel, checker: ts.TypeChecker | undefined): string[] | null {
  const first = call.arguments[0];
  if (!first) return null;
  let name: string | undefined;
  const value = skip(first);
  if (ts.isStringLiteralLike(value)) name = value.text;
  else if (ts.isIdentifier(value) && checker) {
    let symbol = checker.getSymbolAtLocation(value);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skip(declaration.initializer) : undefined;
    if (initializer && ts.isCallExpression(initializer) && /(?:^|\.)defineQuery$/.test(initializer.expression.getText())) {
      const literal = initializer.arguments[0];
      if (literal && ts.isStringLiteralLike(literal)) name = literal.text;
    }
  }
  if (!name) return null;
  const matched = model.workflows.filter((w) => w.handlers.some((h) => h.kind === 'query' && h.name === name)).map((w) => w.name);
  return matched.length > 0 ? matched : null;
}

function skip(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isAsExpression(expr) || ts.isAwaitExpression(expr)) expr = expr.expression;
  return expr;
}
