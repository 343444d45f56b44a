// Calls into the project's own code that the review could not follow from an activity: a function
// imported from a project module whose body was not found (made by a factory, say), a method
// declared without a body in the project (an interface, an abstract method), or a method called on
// a value declared with a project type whose method is not in view (an injected service). What such
// a call throws, or whether it reads cancellation, is not known, so a message must not say that
// nothing is thrown or that cancellation is never read. Calls into packages (imports that resolve
// to node_modules or not at all, globals, values typed by a package) are package code, which the
// review never follows anyway.

import ts from 'typescript';
import { calledFunction, declarationOf, dispatchedFunctions } from './declarations.js';
import { locate } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation } from './types.js';

const MAX_CALL_DEPTH = 5;
/** Enough to name them in a message; the first ones in source order are kept. */
const MAX_CALLS = 10;

export interface UnfollowedCall {
  /** The callee as written: `jobs.finish`. */
  text: string;
  location: SourceLocation;
  /** A function-typed parameter or member (`opts.onTick()`): a callback passed in, not a method. */
  callback?: boolean;
}

export function unfollowedCalls(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): UnfollowedCall[] {
  return readCalls(fn, ctx).unfollowed;
}

/**
 * Functions of the project handed as values (an argument, a property of an object argument) that
 * the review cannot read: a method of an interface or a function-typed member or parameter
 * (`{ onProgress: this.reporter.tick }`). Whoever receives it may call it, and what it does then
 * (heartbeat, wait) is not known.
 */
export function unreadCallbacks(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): UnfollowedCall[] {
  return readCalls(fn, ctx).callbacks;
}

const readCache = new WeakMap<ts.Node, { unfollowed: UnfollowedCall[]; callbacks: UnfollowedCall[] }>();

function readCalls(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): { unfollowed: UnfollowedCall[]; callbacks: UnfollowedCall[] } {
  const cached = readCache.get(fn);
  if (cached) return cached;
  const found = new Map<string, UnfollowedCall>();
  const callbacks = new Map<string, UnfollowedCall>();
  const noteCallback = (value: ts.Expression): void => {
    if (!unreadFunctionValue(value, ctx)) return;
    const location = locate(value);
    const key = `${location.file}:${location.line}:${location.column}`;
    if (!callbacks.has(key)) callbacks.set(key, { text: skipOuterExpressions(value).getText(), location });
  };
  const visited = new Set<ts.Node>();
  const walk = (current: ts.FunctionLikeDeclaration, depth: number): void => {
    if (visited.has(current) || !current.body) return;
    visited.add(current);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        // A call through a table of functions (`handlers[kind](input)`) runs one of its entries: each is followed.
        const callee = calledFunction(node, ctx.index);
        const targets = callee ? [callee] : dispatchedFunctions(node, ctx.index);
        if (targets.length > 0) {
          for (const target of targets) {
            if (depth < MAX_CALL_DEPTH && !target.getSourceFile().fileName.includes('/node_modules/')) walk(target, depth + 1);
          }
        } else if (projectCallNotFollowed(node, current, ctx)) {
          const location = locate(node);
          const key = `${location.file}:${location.line}:${location.column}`;
          if (!found.has(key)) found.set(key, { text: skipOuterExpressions(node.expression).getText(), location, ...(isCallbackCall(node, ctx) ? { callback: true } : {}) });
        }
        for (const argument of node.arguments) {
          const value = skipOuterExpressions(argument);
          if (ts.isObjectLiteralExpression(value)) {
            for (const property of value.properties) if (ts.isPropertyAssignment(property)) noteCallback(property.initializer);
          } else noteCallback(value as ts.Expression);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  walk(fn, 0);
  const read = { unfollowed: [...found.values()].slice(0, MAX_CALLS), callbacks: [...callbacks.values()].slice(0, MAX_CALLS) };
  readCache.set(fn, read);
  return read;
}

/**
 * A name of the project's code that holds a function whose body is not in view: a method or a
 * function-typed property of an interface or type, or a function-typed parameter, field or variable
 * with no function written as its value.
 */
function unreadFunctionValue(value: ts.Expression, ctx: ResolveContext): boolean {
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return false;
  const declaration = declarationOf(value, ctx.index);
  if (!declaration || !inProject(declaration)) return false;
  if (ts.isMethodSignature(declaration)) return true;
  if (ts.isMethodDeclaration(declaration)) return declaration.body === undefined;
  if (ts.isPropertySignature(declaration) || ts.isParameter(declaration) || ts.isPropertyDeclaration(declaration) || ts.isVariableDeclaration(declaration)) {
    if ('initializer' in declaration && declaration.initializer) return false;
    const type = declaration.type && skipOptional(declaration.type);
    return type !== undefined && ts.isFunctionTypeNode(type);
  }
  return false;
}

/** `(() => void) | undefined` as the function type. */
function skipOptional(type: ts.TypeNode): ts.TypeNode | undefined {
  let current = type;
  while (ts.isParenthesizedTypeNode(current)) current = current.type;
  if (!ts.isUnionTypeNode(current)) return current;
  const present = current.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword));
  if (present.length !== 1) return undefined;
  let only = present[0]!;
  while (ts.isParenthesizedTypeNode(only)) only = only.type;
  return only;
}

function projectCallNotFollowed(call: ts.CallExpression, within: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return importedFromProject(callee, ctx) || madeByProjectFactory(callee, within, ctx);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const declaration = declarationOf(callee, ctx.index);
  // A method declared without a body in the project (an interface, an abstract method): the code
  // that runs is elsewhere.
  if (declaration) return inProject(declaration) && !('body' in declaration && declaration.body);
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(receiver) && !ts.isPropertyAccessExpression(receiver)) return false;
  const holder = declarationOf(receiver, ctx.index);
  const type = holder && (ts.isParameter(holder) || ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) ? holder.type : undefined;
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const named = declarationOf(type.typeName, ctx.index);
  return named !== undefined && inProject(named) && (ts.isClassDeclaration(named) || ts.isInterfaceDeclaration(named) || ts.isTypeAliasDeclaration(named));
}

/**
 * A const holding what a project function returned, made outside the function being walked (in an
 * outer factory or at module level: `const sync = createSync(ctx); ... await sync(targets)`): the
 * function that runs is made by that factory, and its body is not followed from here. Made inside
 * the walked function, the factory call itself was walked, closures it returns included.
 */
function madeByProjectFactory(identifier: ts.Identifier, within: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  const declaration = declarationOf(identifier, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  if (declaration.getSourceFile() === within.getSourceFile() && declaration.pos >= within.pos && declaration.end <= within.end) return false;
  let initializer = skipOuterExpressions(declaration.initializer);
  if (ts.isAwaitExpression(initializer)) initializer = skipOuterExpressions(initializer.expression);
  if (!ts.isCallExpression(initializer)) return false;
  const factory = calledFunction(initializer, ctx.index);
  if (factory) return inProject(factory);
  const name = skipOuterExpressions(initializer.expression);
  return ts.isIdentifier(name) && importedFromProject(name, ctx);
}

/** An identifier bound by an import of a module that resolves into the reviewed code. */
function importedFromProject(identifier: ts.Identifier, ctx: ResolveContext): boolean {
  const binding = importBindings(identifier.getSourceFile()).get(identifier.text);
  if (!binding) return false;
  const resolved = ctx.index.resolveModule(identifier.getSourceFile().fileName, binding.module);
  return resolved !== null && !resolved.includes('/node_modules/') && !/\.d\.[mc]?ts$/.test(resolved);
}

function inProject(declaration: ts.Node): boolean {
  const sourceFile = declaration.getSourceFile();
  return !sourceFile.isDeclarationFile && !sourceFile.fileName.includes('/node_modules/');
}

/** The callee is a function-typed parameter or property (`onTick()`, `opts.onTick()`), not a method or a function. */
function isCallbackCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  if (!name) return false;
  const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
  const declarations = checker?.getSymbolAtLocation(name)?.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => ts.isParameter(d) || ts.isPropertySignature(d) || ts.isPropertyDeclaration(d));
}
