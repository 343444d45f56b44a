// Activities that factories make: `proxyActivities<ReturnType<typeof createActivities>>` names the
// object a factory returns (each function property an activity, often itself made by a factory
// such as `createChargeActivity(deps)`), and `export const sendMessage = sendMessageFactory(impl)`
// exports the function the factory returns. The activity's parameters, throws, heartbeats and
// loops are those of that inner function, not of the factory.

import ts from 'typescript';
import { calledFunction, declarationOf, functionOfDeclaration } from './declarations.js';
import { singleReturnedExpression } from './resolve-call.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticValue } from './types.js';

export interface ProducedActivity {
  /** The activity type: the property name in the factory's returned object. */
  name: string;
  fn: ts.FunctionLikeDeclaration;
  /** Where the activity is declared when that is not the function itself (a curried factory's name). */
  nameNode?: ts.Node;
  /** A wrapper the inner function was handed to (`withHeartbeat(opts, async () => ...)`): its heartbeat counts. */
  wrapper?: ts.FunctionLikeDeclaration;
}

/** The `typeof f` of `ReturnType<typeof f>`. */
export function returnTypeQuery(node: ts.Node): ts.TypeQueryNode | undefined {
  if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName) || node.typeName.text !== 'ReturnType') return undefined;
  const [argument] = node.typeArguments ?? [];
  return argument && ts.isTypeQueryNode(argument) ? argument : undefined;
}

const producedCache = new WeakMap<ts.Node, ProducedActivity[]>();

/** The functions of the object a factory returns, by property name; empty when it cannot be read. */
export function factoryActivities(factory: ts.FunctionLikeDeclaration, ctx: ResolveContext): ProducedActivity[] {
  const cached = producedCache.get(factory);
  if (cached) return cached;
  const produced: ProducedActivity[] = [];
  producedCache.set(factory, produced);
  const returned = factory.body ? singleReturnedExpression(factory.body) : undefined;
  const value = returned ? resolveValue(returned, ctx) : undefined;
  if (value?.kind === 'object') {
    for (const [name, property] of value.properties) {
      const fn = functionOfValue(property, ctx);
      if (fn && !fn.getSourceFile().isDeclarationFile) produced.push({ name, fn });
    }
  }
  // A factory that hands the work to other factories: `return createFromServices(services)`, or
  // `return { ...createBillingActivities(services), ...createMailActivities(services) }`.
  const inner = returned ? skipOuterExpressions(returned) : undefined;
  const delegated = (call: ts.Expression) => {
    const expression = skipOuterExpressions(call);
    const callee = ts.isCallExpression(expression) ? calledFunction(expression, ctx.index) : undefined;
    if (!callee) return;
    for (const activity of factoryActivities(callee, ctx)) if (!produced.some((known) => known.name === activity.name)) produced.push(activity);
  };
  if (inner && ts.isCallExpression(inner) && value?.kind !== 'object') delegated(inner);
  if (inner && ts.isObjectLiteralExpression(inner)) for (const member of inner.properties) if (ts.isSpreadAssignment(member)) delegated(member.expression);
  return produced;
}

/**
 * The activities of an object of functions (`const activities = { fetchRepo, buildfs }` named by
 * `typeof activities`, directly or through a mapped type): each property a function, or a curried
 * factory whose product is the activity. Undefined when any property cannot be read, so the caller
 * keeps to what it knew before.
 */
export function objectActivities(declaration: ts.Declaration, ctx: ResolveContext): ProducedActivity[] | undefined {
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || declaration.getSourceFile().isDeclarationFile) return undefined;
  if (!ts.isObjectLiteralExpression(skipOuterExpressions(declaration.initializer))) return undefined;
  const value = resolveValue(declaration.initializer, ctx);
  if (value.kind !== 'object' || value.unknownSpreads.length > 0 || value.properties.size === 0) return undefined;
  const produced: ProducedActivity[] = [];
  for (const [name, property] of value.properties) {
    const fn = functionOfValue(property, ctx);
    if (!fn || fn.getSourceFile().isDeclarationFile) return undefined;
    const product = curriedProduct(fn, ctx);
    produced.push(product ? { name, ...product, nameNode: declaredName(fn) ?? fn } : { name, fn });
  }
  return produced;
}

/**
 * The function a curried factory returns: `(deps) => async (args) => {...}`, or
 * `(deps) => withHeartbeat(opts, async (args) => {...})` where the inline function is the body and
 * the wrapper's returned function runs around it. A function that returns a function cannot be an
 * activity itself (a function is not a payload), so the product is. Undefined when fn is not such a
 * factory or the product cannot be read.
 */
export function curriedProduct(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): Pick<ProducedActivity, 'fn' | 'wrapper'> | undefined {
  if (!fn.body || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  const returned = singleReturnedExpression(fn.body);
  if (!returned) return undefined;
  const expression = skipOuterExpressions(returned);
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return { fn: expression };
  if (!ts.isCallExpression(expression)) return undefined;
  const wrapper = functionOfValue(resolveValue(expression, ctx), ctx);
  const inline = expression.arguments.map((a) => skipOuterExpressions(a)).filter((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
  if (!wrapper || wrapper.getSourceFile().isDeclarationFile || inline.length !== 1) return undefined;
  return { fn: inline[0] as ts.ArrowFunction | ts.FunctionExpression, wrapper };
}

/** `export const sendMessage = sendMessageFactory(impl)`: the function the factory returns. */
export function producedFunction(declaration: ts.Declaration, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  if (ts.isPropertyAccessExpression(initializer)) return factoryProperty(initializer, ctx);
  if (!ts.isCallExpression(initializer)) return undefined;
  const fn = functionOfValue(resolveValue(initializer, ctx), ctx);
  return fn && !fn.getSourceFile().isDeclarationFile ? fn : undefined;
}

/**
 * `export const charge = activities.charge` where `const activities = createActivities()`: the
 * function the factory's object holds under that name.
 */
function factoryProperty(access: ts.PropertyAccessExpression, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  const object = skipOuterExpressions(access.expression);
  if (!ts.isIdentifier(object)) return undefined;
  const holder = declarationOf(object, ctx.index);
  if (!holder || !ts.isVariableDeclaration(holder) || !holder.initializer || (ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const) === 0) return undefined;
  const call = skipOuterExpressions(holder.initializer);
  const factory = ts.isCallExpression(call) ? calledFunction(call, ctx.index) : undefined;
  return factory ? factoryActivities(factory, ctx).find((activity) => activity.name === access.name.text)?.fn : undefined;
}

/** The function behind a resolved property value: `charge`, `async charge() {}`, `() => ...`. */
export function functionOfValue(value: StaticValue, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
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

/** The name a function is declared under: its own, or the property or variable holding it. */
export function declaredName(fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  if (fn.name) return fn.name;
  const parent = fn.parent;
  return ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent) ? parent.name : undefined;
}
