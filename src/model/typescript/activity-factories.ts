// Activities that factories make: `proxyActivities<ReturnType<typeof createActivities>>` names the
// object a factory returns (each function property an activity, often itself made by a factory
// such as `createChargeActivity(deps)`), and `export const sendMessage = sendMessageFactory(impl)`
// exports the function the factory returns. The activity's parameters, throws, heartbeats and
// loops are those of that inner function, not of the factory.

import ts from 'typescript';
import { declarationOf, functionOfDeclaration } from './declarations.js';
import { singleReturnedExpression } from './resolve-call.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticValue } from './types.js';

export interface ProducedActivity {
  /** The activity type: the property name in the factory's returned object. */
  name: string;
  fn: ts.FunctionLikeDeclaration;
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
  return produced;
}

/** `export const sendMessage = sendMessageFactory(impl)`: the function the factory returns. */
export function producedFunction(declaration: ts.Declaration, ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(initializer)) return undefined;
  const fn = functionOfValue(resolveValue(initializer, ctx), ctx);
  return fn && !fn.getSourceFile().isDeclarationFile ? fn : undefined;
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
