// Awaited calls that go over the network and so can fail for a moment and then succeed: an HTTP
// request (global fetch, axios, got, ky, node-fetch, undici, superagent) or a method of a client
// for a remote service, recognised by the receiver's name or type name (`apiClient.get`,
// `this.db.query`, `prisma.user.findMany`, an `OpenAI` instance). A timeout, a connection reset or
// a 429 from them is what an activity's retry policy is there for.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';

/** HTTP client packages whose default export or named functions make requests. */
const HTTP_PACKAGES = new Set(['axios', 'got', 'ky', 'node-fetch', 'undici', 'superagent', 'cross-fetch', 'isomorphic-fetch']);

/** A receiver (its last name, or its type's name) that is a client of a remote service. */
const REMOTE_CLIENT_NAME = /(?:client|api|sdk|http|prisma|db|database|pool|redis|octokit|openai|anthropic|stripe|s3)$/i;

export interface TransientCall {
  call: ts.CallExpression;
  /** The call as written, shortened (`fetch(...)`, `apiClient.post(...)`). */
  text: string;
}

/** The first awaited network call directly in `block` (not in nested functions). */
export function firstTransientCall(block: ts.Node, checker: ts.TypeChecker): TransientCall | undefined {
  let found: TransientCall | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (node !== block && ts.isFunctionLike(node))) return;
    if (ts.isAwaitExpression(node)) {
      const awaited = awaitedCall(node.expression);
      if (awaited && isTransient(awaited, checker)) {
        found = { call: awaited, text: `${calleeText(awaited)}(...)` };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** `await x()`, `await x().then(...)`, `await (await fetch(...)).json()`: the innermost request call. */
export function awaitedCall(expression: ts.Expression): ts.CallExpression | undefined {
  let current = skipOuterExpressions(expression);
  while (ts.isCallExpression(current)) {
    const callee = skipOuterExpressions(current.expression);
    // a chain on a call's result (`.then(...)`, `.json()`): the request is the call underneath
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(skipOuterExpressions(callee.expression))) {
      current = skipOuterExpressions(callee.expression);
      continue;
    }
    return current;
  }
  return undefined;
}

/** A request of an HTTP client, or a method of a client of a remote service. */
export function isTransient(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const callee = skipOuterExpressions(call.expression);
  const root = rootIdentifier(callee);
  if (root && root.text === 'fetch' && callee === root && isGlobalOrLibrary(root, checker)) return true;
  if (root && HTTP_PACKAGES.has(importedFrom(root, checker) ?? '')) return true;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return receiverNames(callee.expression, checker).some((name) => REMOTE_CLIENT_NAME.test(name));
}

/** The names a receiver goes by: each property or identifier of its chain, and its type's name. */
function receiverNames(receiver: ts.Expression, checker: ts.TypeChecker): string[] {
  const names: string[] = [];
  let current = skipOuterExpressions(receiver);
  while (ts.isPropertyAccessExpression(current)) {
    names.push(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  if (ts.isIdentifier(current)) names.push(current.text);
  const typeName = checker.getTypeAtLocation(receiver).getSymbol()?.getName();
  if (typeName && typeName !== '__type' && typeName !== '__object') names.push(typeName);
  return names;
}

function rootIdentifier(expression: ts.Node): ts.Identifier | undefined {
  let current = expression;
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current)) current = skipOuterExpressions(current.expression);
  return ts.isIdentifier(current) ? current : undefined;
}

/** `fetch` that is not a function of the reviewed code (the global, or a library's). */
function isGlobalOrLibrary(identifier: ts.Identifier, checker: ts.TypeChecker): boolean {
  const declaration = checker.getSymbolAtLocation(identifier)?.declarations?.[0];
  return !declaration || declaration.getSourceFile().isDeclarationFile || importedFrom(identifier, checker) !== undefined;
}

/** The package an identifier is imported from (`axios` for `import axios from 'axios'`). */
function importedFrom(identifier: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const declaration = checker.getSymbolAtLocation(identifier)?.declarations?.[0];
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
  if (node && ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) return node.moduleSpecifier.text;
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const init = skipOuterExpressions(declaration.initializer);
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteral(init.arguments[0])) return init.arguments[0].text;
  }
  return undefined;
}

export function calleeText(call: ts.CallExpression): string {
  const text = call.expression.getText().replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Past this many nested helper calls the walk stops. */
const NETWORK_CALL_DEPTH = 5;

/**
 * The first awaited network call (isTransient) in a function or the reviewed helpers it calls,
 * callbacks included: where an activity waits on another system, whose work may take any time.
 */
export function firstNetworkCall(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): TransientCall | undefined {
  const visited = new Set<ts.Node>();
  const walk = (current: ts.FunctionLikeDeclaration, depth: number): TransientCall | undefined => {
    if (visited.has(current) || !current.body) return undefined;
    visited.add(current);
    const checker = ctx.index.checkerFor(current.getSourceFile().fileName);
    if (!checker) return undefined;
    let found: TransientCall | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isAwaitExpression(node)) {
        const awaited = awaitedCall(node.expression);
        if (awaited && isTransient(awaited, checker)) {
          found = { call: awaited, text: `${calleeText(awaited)}(...)` };
          return;
        }
      }
      if (ts.isCallExpression(node) && depth < NETWORK_CALL_DEPTH) {
        const callee = calledFunction(node, ctx.index);
        if (callee && !callee.getSourceFile().fileName.includes('/node_modules/')) found = walk(callee, depth + 1);
        if (found) return;
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
    return found;
  };
  return walk(fn, 0);
}
