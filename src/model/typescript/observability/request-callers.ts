// Whether the function a start is written in is called from a request or event handler: a service
// function (`startEmailSync(input)` in lib/temporal.ts) that a route calls (`router.post(...,
// async (req) => { await startEmailSync(...) })`). The start then runs once per request as if it
// were written in the handler. One step only: the function around the start, and the calls that
// resolve to it (by the checker, or through `const { f } = await import('./lib')`) in production
// files. A call inside the function itself (recursion) does not count.

import path from 'node:path';
import ts from 'typescript';
import { enclosingFunction } from '../call-reach.js';
import { functionName, functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { TemporalModel } from '../types.js';
import { requestContext } from './request-context.js';

/** Why the function around `node` runs once per request or event through one of its callers, as a message fragment, or undefined. */
export function requestCallerContext(node: ts.Node, model: TemporalModel): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn || !fn.body) return undefined;
  const name = functionName(fn);
  if (!name) return undefined;
  for (const call of callsOf(fn, name, model)) {
    const context = requestContext(call, model.root);
    if (!context) continue;
    const at = model.locate(call);
    return `${name} is called at ${path.relative(model.root, at.file).split(path.sep).join('/')}:${at.line}, where ${context}`;
  }
  return undefined;
}

/** The calls in the model's production files that call `fn` (named `name`). */
function callsOf(fn: ts.FunctionLikeDeclaration, name: string, model: TemporalModel): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes(name)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && calledName(node) === name && !inside(node, fn) && callsFunction(node, fn, model)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return calls;
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function inside(node: ts.Node, fn: ts.Node): boolean {
  return node.getSourceFile() === fn.getSourceFile() && fn.pos <= node.pos && node.end <= fn.end;
}

function callsFunction(call: ts.CallExpression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  const callee = skipOuterExpressions(call.expression);
  const declaration = model.declarationOf(callee);
  if (functionOfDeclaration(declaration) === fn) return true;
  // `const { startSync } = await import('../lib/temporal.js'); await startSync(...)`
  if (declaration && ts.isBindingElement(declaration) && ts.isIdentifier(callee)) return dynamicImportOf(declaration, model) === fn;
  return false;
}

/** The function a name destructured from `await import('./module')` stands for. */
function dynamicImportOf(element: ts.BindingElement, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const pattern = element.parent;
  if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(pattern.parent) || !pattern.parent.initializer) return undefined;
  let initializer = skipOuterExpressions(pattern.parent.initializer);
  if (ts.isAwaitExpression(initializer)) initializer = skipOuterExpressions(initializer.expression);
  if (!ts.isCallExpression(initializer) || initializer.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const specifier = initializer.arguments[0];
  if (!specifier || !ts.isStringLiteralLike(specifier)) return undefined;
  const from = element.getSourceFile().fileName;
  const target = model.importsOf(from).find((edge) => edge.specifier === specifier.text)?.resolved;
  if (!target) return undefined;
  const exported = (element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName : element.name) as ts.Node;
  if (!ts.isIdentifier(exported)) return undefined;
  return functionOfDeclaration(model.exportsOf(target).get(exported.text));
}
