// Activity implementations: the exported functions of the modules the proxies' type arguments
// name, and the functions registered with Worker.create({ activities }) (namespace imports,
// object literals, factory functions returning objects of functions).

import ts from 'typescript';
import { analyzeBehaviour } from './activity-behaviour.js';
import { classActivityMethods } from './activity-classes.js';
import { declarationOf, exportsOf, functionOfDeclaration } from './declarations.js';
import { property } from './extract-workers.js';
import { extractEach, type ExtractionFailure } from './extraction-guard.js';
import { locate } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityImplementation, ActivityProxy, StaticValue, WorkerDefinition } from './types.js';

export function extractActivities(proxies: ActivityProxy[], workers: WorkerDefinition[], ctx: ResolveContext, onFailure: ExtractionFailure): ActivityImplementation[] {
  const found = new Map<string, { name: string; fn: ts.FunctionLikeDeclaration; nameNode: ts.Node }>();
  const add = (name: string, fn: ts.FunctionLikeDeclaration, nameNode: ts.Node) => {
    const key = `${name}\u0000${fn.getSourceFile().fileName}\u0000${fn.pos}`;
    if (!found.has(key)) found.set(key, { name, fn, nameNode });
  };
  const modules = new Set(proxies.flatMap((p) => p.implementationFiles));
  for (const file of modules) {
    for (const [name, declaration] of exportsOf(file, ctx.index)) {
      const fn = functionOfDeclaration(declaration);
      if (fn && name !== 'default' && !fn.getSourceFile().isDeclarationFile) add(name, fn, ts.getNameOfDeclaration(declaration) ?? fn);
    }
  }
  for (const proxy of proxies) {
    for (const { name, fn, method } of classActivityMethods(proxy, ctx.index)) add(name, fn, method.name);
  }
  for (const worker of workers) {
    const activities = property(worker.options, 'activities');
    if (activities?.kind !== 'object') continue;
    for (const [name, value] of activities.properties) {
      const fn = functionOfValue(value, ctx);
      if (fn && !fn.getSourceFile().isDeclarationFile) add(name, fn, declaredName(fn) ?? fn);
    }
  }
  const checker = (fn: ts.Node) => ctx.index.checkerFor(fn.getSourceFile().fileName);
  return extractEach([...found.values()], ({ fn }) => fn, 'an activity implementation', onFailure, ({ name, fn, nameNode }): ActivityImplementation => {
    const behaviour = analyzeBehaviour(fn, ctx);
    const typeChecker = checker(fn);
    const signature = typeChecker?.getSignatureFromDeclaration(fn);
    return {
      name,
      file: fn.getSourceFile().fileName,
      location: locate(nameNode),
      node: fn,
      heartbeat: behaviour.heartbeat,
      thrownErrors: behaviour.thrownErrors,
      longRunning: behaviour.longRunning,
      parameterTypes: typeChecker ? fn.parameters.map((p) => typeChecker.getTypeAtLocation(p)) : [],
      returnType: signature ? typeChecker!.getReturnTypeOfSignature(signature) : undefined,
    };
  }).sort((a, b) => a.file.localeCompare(b.file) || a.location.line - b.location.line || a.name.localeCompare(b.name));
}

/** The name a function is declared under: its own, or the property or variable holding it. */
function declaredName(fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  if (fn.name) return fn.name;
  const parent = fn.parent;
  return ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent) ? parent.name : undefined;
}

/** The function behind a resolved property value: `charge`, `async charge() {}`, `() => ...`. */
function functionOfValue(value: StaticValue, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  if (value.kind !== 'unknown' || !value.node) return undefined;
  const node = value.node;
  if (ts.isFunctionLike(node)) return functionOfDeclaration(node) ?? (ts.isMethodDeclaration(node) ? node : undefined);
  const expression = skipOuterExpressions(node);
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return expression;
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    // A declaration's own name (from a module namespace) or a reference to a function.
    const parent = expression.parent;
    const own = parent && (ts.isFunctionDeclaration(parent) || ts.isVariableDeclaration(parent)) && parent.name === expression ? functionOfDeclaration(parent) : undefined;
    return own ?? functionOfDeclaration(declarationOf(expression, ctx.index));
  }
  return undefined;
}
