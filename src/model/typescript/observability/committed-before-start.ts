// What a client start follows in its function: a database transaction that committed a write
// before the start (`const result = await db.transaction(async (tx) => ...)`, Prisma's
// `$transaction`), whose result the start's input or id reads (directly or through a local built
// from it), and an `if` around the start that tests that result (`if (result.created)`,
// `if (deleted)`). Such a start is for a write that is already durable: when the start fails, the
// write stays and its workflow never runs; and a repeat of the request, which finds its write
// already made, does not pass the test, so it does not start the workflow either.
// Also who calls the function that holds the start, as the reader names them: a GraphQL resolver,
// a request or message handler, an inbound (inbox) handler.

import path from 'node:path';
import ts from 'typescript';
import { enclosingFunction } from '../call-reach.js';
import { functionName } from '../declarations.js';
import { callsOfFunction } from '../named-calls.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { TemporalModel } from '../types.js';
import { handlerContext } from './request-context.js';

export interface CommittedBefore {
  /** The awaited transaction call, before the statement that holds the start. */
  transaction: ts.CallExpression;
  /** The names that hold its result and that the start reads. */
  names: string[];
  /** The `if` around the start that tests the result, if any. */
  guard?: ts.IfStatement;
}

const TRANSACTION = /^\$?transaction$/;

/**
 * The transaction committed before `statement` (the try around the start, or the start's statement)
 * in the same function, when the start reads its result.
 */
export function committedBefore(statement: ts.Node, start: ts.CallExpression, model: TemporalModel): CommittedBefore | undefined {
  const fn = enclosingFunction(statement);
  if (!fn?.body) return undefined;
  let found: { call: ts.CallExpression; declarations: Set<ts.Node>; names: string[] } | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart() >= statement.getStart()) return;
    if (ts.isCallExpression(node) && node.end <= statement.getStart() && enclosingFunction(node) === fn) {
      const held = transactionResult(node, model);
      if (held) found = { call: node, ...held };
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  if (!found) return undefined;
  const { declarations } = found;
  const read = new Set<string>();
  const readsResult = (node: ts.Node, depth: number): boolean => {
    let reads = false;
    const look = (child: ts.Node): void => {
      if (reads) return;
      if (ts.isIdentifier(child)) {
        const parent = child.parent;
        if (parent && ts.isPropertyAccessExpression(parent) && parent.name === child) return;
        const declaration = model.declarationOf(child);
        if (!declaration) return;
        if (declarations.has(declaration)) {
          reads = true;
          read.add(child.text);
        }
        // `const input = { id: deleted.id }` in the same function, one level
        else if (depth > 0 && ts.isVariableDeclaration(declaration) && declaration.initializer && enclosingFunction(declaration) === fn) reads = readsResult(declaration.initializer, depth - 1);
        return;
      }
      ts.forEachChild(child, look);
    };
    look(node);
    return reads;
  };
  if (!readsResult(start, 1)) return undefined;
  const names = found.names.filter((name) => read.has(name));
  let guard: ts.IfStatement | undefined;
  for (let node: ts.Node = statement; node.parent && node !== fn; node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node && readsResult(parent.expression, 0)) {
      guard = parent;
      break;
    }
  }
  return { transaction: found.call, names, ...(guard ? { guard } : {}) };
}

/** `const r = await db.transaction(async (tx) => ...)` / `r = await prisma.$transaction(...)`: the declarations that hold the result. */
function transactionResult(call: ts.CallExpression, model: TemporalModel): { declarations: Set<ts.Node>; names: string[] } | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !TRANSACTION.test(callee.name.text)) return undefined;
  // a callback transaction commits when its callback resolves (`$transaction([...])` when all writes succeed)
  const argument = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  if (!argument || !(ts.isArrowFunction(argument) || ts.isFunctionExpression(argument) || (callee.name.text === '$transaction' && ts.isArrayLiteralExpression(argument)))) return undefined;
  let node: ts.Node = call;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  if (!node.parent || !ts.isAwaitExpression(node.parent)) return undefined;
  node = node.parent;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const holder = node.parent;
  if (!holder) return undefined;
  if (ts.isVariableDeclaration(holder) && holder.initializer === node) {
    const declarations = new Set<ts.Node>();
    const names: string[] = [];
    const bind = (name: ts.BindingName, declaration: ts.Node): void => {
      if (ts.isIdentifier(name)) {
        declarations.add(declaration);
        names.push(name.text);
        return;
      }
      for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name, element);
    };
    bind(holder.name, holder);
    return names.length > 0 ? { declarations, names } : undefined;
  }
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === node) {
    const target = skipOuterExpressions(holder.left);
    if (!ts.isIdentifier(target)) return undefined;
    const declaration = model.declarationOf(target);
    return declaration ? { declarations: new Set([declaration]), names: [target.text] } : undefined;
  }
  return undefined;
}

export interface FunctionCaller {
  call: ts.CallExpression;
  /** The function around the call, by name (`resolve`, `handleInboundDelete`). */
  name: string;
  /** What kind of entry point it is, when the code says so. */
  kind?: 'graphql' | 'inbound' | 'request';
  /** Why it handles requests or messages (request-context.ts), for kind 'request'. */
  context?: string;
}

const GRAPHQL_FIELDS = /^(mutationField|queryField|subscriptionField|mutationFields|queryFields|subscriptionFields|field|fieldWithInput|mutation|query)$/;
const INBOUND = /inbox|inbound/i;

/** The calls of the function (at most `max`), each with what its caller is. */
export function callersOf(model: TemporalModel, fn: ts.FunctionLikeDeclaration, max: number): FunctionCaller[] {
  return callsOfFunction(model, fn).slice(0, max).map((call) => {
    const caller = enclosingFunction(call);
    const name = (caller && (functionName(caller) ?? propertyName(caller))) ?? path.basename(call.getSourceFile().fileName);
    const kind = callerKind(call, caller);
    return { call, name, ...kind };
  });
}

function callerKind(call: ts.CallExpression, caller: ts.FunctionLikeDeclaration | undefined): Pick<FunctionCaller, 'kind' | 'context'> {
  if (caller && graphqlResolver(caller)) return { kind: 'graphql' };
  const name = caller ? (functionName(caller) ?? '') : '';
  if (INBOUND.test(name) || INBOUND.test(path.basename(call.getSourceFile().fileName))) return { kind: 'inbound' };
  const context = handlerContext(call);
  if (context?.declared) return { kind: 'request', context: context.text };
  return {};
}

/** `resolve: async (_, args, ctx) => ...` given to a GraphQL field builder (`builder.mutationField('x', (t) => t.field({ resolve }))`), or a @Mutation / @Query / @ResolveField method. */
function graphqlResolver(fn: ts.FunctionLikeDeclaration): boolean {
  if (ts.canHaveDecorators(fn) && ts.getDecorators(fn)?.some((d) => /^@(Mutation|Query|ResolveField|Subscription)\b/.test(d.getText()))) return true;
  if (propertyName(fn) !== 'resolve') return false;
  for (let node: ts.Node | undefined = fn.parent; node; node = node.parent) {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (GRAPHQL_FIELDS.test(method)) return true;
    }
  }
  return false;
}

function propertyName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  if (holder && ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}
