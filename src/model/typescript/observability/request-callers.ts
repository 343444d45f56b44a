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

/**
 * Why the function around `node` runs once per request or event through one of its callers, as a
 * message fragment, or undefined. `steps` callers up (a hook called by a service method that a
 * route calls is two).
 */
export function requestCallerContext(node: ts.Node, model: TemporalModel, steps = 1): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn || !fn.body) return undefined;
  const name = functionName(fn);
  if (!name) return undefined;
  const calls = callsOf(fn, name, model);
  const where = (call: ts.CallExpression) => {
    const at = model.locate(call);
    return `${name} is called at ${path.relative(model.root, at.file).split(path.sep).join('/')}:${at.line}`;
  };
  for (const call of calls) {
    const context = requestContext(call, model.root);
    if (context) return `${where(call)}, where ${context}`;
  }
  if (steps <= 1) return undefined;
  for (const call of calls) {
    const further = requestCallerContext(call, model, steps - 1);
    if (further) return `${where(call)}; ${further}`;
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
  // Through a declared member: the hook an object literal fills (`{ onTaskAssigned: async (task) => ... }`
  // for `callbacks.onTaskAssigned(task)`), or the interface method a class implements (`ITaskService.assign`).
  if (declaration && (ts.isPropertySignature(declaration) || ts.isMethodSignature(declaration))) return memberImplementedBy(declaration, fn, model);
  // `const { startSync } = await import('../lib/temporal.js'); await startSync(...)`
  if (declaration && ts.isBindingElement(declaration) && ts.isIdentifier(callee)) return dynamicImportOf(declaration, model) === fn;
  return false;
}

/**
 * True when `fn` fills the declared member: it is the value of that property in an object literal
 * whose contextual type declares it, or the method of that name in a class that implements the
 * interface declaring it.
 */
function memberImplementedBy(member: ts.PropertySignature | ts.MethodSignature, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  const checker = model.checkerFor(fn.getSourceFile().fileName);
  if (!checker || !member.name || !ts.isIdentifier(member.name)) return false;
  const name = member.name.text;
  const same = (declaration: ts.Declaration) => declaration.getSourceFile().fileName === member.getSourceFile().fileName && declaration.pos === member.pos && declaration.end === member.end;
  const holder = fn.parent;
  if ((ts.isPropertyAssignment(holder) && holder.initializer === fn) || (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent))) {
    const property = ts.isPropertyAssignment(holder) && holder.initializer === fn ? holder : (fn as ts.MethodDeclaration);
    if (!ts.isIdentifier(property.name) || property.name.text !== name || !ts.isObjectLiteralExpression(property.parent)) return false;
    const type = checker.getContextualType(property.parent);
    // `callbacks?: TaskServiceCallbacks` gives `TaskServiceCallbacks | undefined`.
    const types = !type ? [] : type.isUnion() ? type.types : [type];
    return types.some((member) => (member.getProperty(name)?.declarations ?? []).some(same));
  }
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && fn.name && ts.isIdentifier(fn.name) && fn.name.text === name) {
    for (const clause of fn.parent.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const implemented of clause.types) {
        const declared = checker.getTypeAtLocation(implemented).getProperty(name)?.declarations ?? [];
        if (declared.some(same)) return true;
      }
    }
  }
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
