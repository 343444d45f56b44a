// Where an activity heartbeats: a direct `heartbeat()` / `Context.current().heartbeat()` call, or
// the heartbeat function handed to a helper as a callback (`runStage(items, heartbeat)`,
// `{ onProgress: heartbeat }`) that the helper calls (TEMPORAL-FACTS.md section 4). Callbacks are
// followed through a few levels of helpers that pass them on.

import ts from 'typescript';
import { isInjectedHeartbeat, isTimerHeartbeat } from './injected-heartbeat.js';
import { calledFunction, declarationOf } from './declarations.js';
import { locate } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, isTemporalApi, isTemporalModule, skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation } from './types.js';

/** How many helpers a heartbeat callback is followed through (real code hands it on once or twice). */
const MAX_CALLBACK_DEPTH = 3;

export function isHeartbeatCall(call: ts.CallExpression, ctx: ResolveContext, followTimers = true): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isTemporalApi(callee, ctx.index, 'heartbeat') || isInjectedHeartbeat(callee as ts.Expression, ctx)) return true;
  if (followTimers && isTimerHeartbeat(call, ctx, (inner) => isHeartbeatCall(inner, ctx, false))) return true;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'heartbeat') return false;
  return isActivityContext(callee.expression, ctx, 0);
}

/**
 * Where `call` makes a heartbeat happen by passing the heartbeat function as an argument (or as a
 * property of an object argument): the place the helper calls it, or the argument itself when the
 * helper is a library we cannot read (a library given an onProgress callback calls it).
 * Undefined when no heartbeat function is passed, or the helper never calls what it is given.
 */
export function heartbeatThroughCallback(call: ts.CallExpression, ctx: ResolveContext): SourceLocation | undefined {
  // A file that never names heartbeat cannot hand it on (a heartbeat const from another module aside).
  if (call.arguments.length === 0 || !call.getSourceFile().text.includes('heartbeat')) return undefined;
  for (const [position, argument] of call.arguments.entries()) {
    const passed = heartbeatArgument(argument, ctx);
    if (!passed) continue;
    const helper = calledFunction(call, ctx.index);
    if (!helper || helper.getSourceFile().fileName.includes('/node_modules/')) return locate(argument);
    const found = callsParameter(helper, position, passed.property, ctx, 1);
    if (found) return found;
  }
  return undefined;
}

/** `heartbeat`, or `{ onProgress: heartbeat }` (property 'onProgress'). */
function heartbeatArgument(argument: ts.Expression, ctx: ResolveContext): { property?: string } | undefined {
  if (isHeartbeatFunction(argument, ctx, 0)) return {};
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && isHeartbeatFunction(property.initializer, ctx, 0)) {
      return { property: property.name.text };
    }
    if (ts.isShorthandPropertyAssignment(property) && isHeartbeatFunction(property.name, ctx, 0)) return { property: property.name.text };
  }
  return undefined;
}

/**
 * A value that heartbeats when called: the SDK's `heartbeat`, `Context.current().heartbeat`, a
 * closure whose body heartbeats, or a const holding one of those.
 */
function isHeartbeatFunction(node: ts.Expression, ctx: ResolveContext, depth: number): boolean {
  const expression = skipOuterExpressions(node);
  if (isTemporalApi(expression, ctx.index, 'heartbeat')) return true;
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'heartbeat') return isActivityContext(expression.expression, ctx, 0);
  if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return bodyHeartbeats(expression, ctx);
  if (ts.isIdentifier(expression) && depth < 2) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return isHeartbeatFunction(declaration.initializer, ctx, depth + 1);
    if (declaration && ts.isFunctionDeclaration(declaration)) return bodyHeartbeats(declaration, ctx);
  }
  return false;
}

function bodyHeartbeats(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isHeartbeatCall(node, ctx)) found = true;
    else ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * Where `fn` calls its parameter at `position` (or that parameter's `property`), directly, inside
 * a nested callback, or by handing it to another helper that calls it.
 */
function callsParameter(fn: ts.FunctionLikeDeclaration, position: number, property: string | undefined, ctx: ResolveContext, depth: number): SourceLocation | undefined {
  const parameter = fn.parameters[position] ?? (fn.parameters.at(-1)?.dotDotDotToken ? fn.parameters.at(-1) : undefined);
  if (!parameter || !fn.body) return undefined;
  // What refers to the callback inside fn: the parameter itself, or the destructured property.
  let target: ts.Declaration = parameter;
  let member = property;
  if (property !== undefined && ts.isObjectBindingPattern(parameter.name)) {
    const element = parameter.name.elements.find((e) => ((e.propertyName ?? e.name) as ts.Identifier).text === property);
    if (!element) return undefined;
    target = element;
    member = undefined;
  }
  const isCallback = (node: ts.Expression): boolean => {
    const expression = skipOuterExpressions(node);
    if (member === undefined) return ts.isIdentifier(expression) && declarationOf(expression, ctx.index) === target;
    return (
      ts.isPropertyAccessExpression(expression) &&
      expression.name.text === member &&
      ts.isIdentifier(expression.expression) &&
      declarationOf(expression.expression, ctx.index) === target
    );
  };
  let found: SourceLocation | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      if (isCallback(node.expression)) {
        found = locate(node);
        return;
      }
      const handedOn = node.arguments.findIndex((argument) => isCallback(argument));
      if (handedOn >= 0) {
        const helper = calledFunction(node, ctx.index);
        if (!helper || helper.getSourceFile().fileName.includes('/node_modules/')) found = locate(node.arguments[handedOn]!);
        else if (depth < MAX_CALLBACK_DEPTH) found = callsParameter(helper, handedOn, undefined, ctx, depth + 1);
        if (found) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

/** `Context.current()`, a const holding it, or a helper of the reviewed code that returns it (`getActivityContext()`). */
export function isActivityContext(node: ts.Expression, ctx: ResolveContext, depth: number): boolean {
  const expression = skipOuterExpressions(node);
  if (ts.isCallExpression(expression)) {
    const callee = skipOuterExpressions(expression.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'current' && isTemporalApi(callee.expression, ctx.index, 'Context')) return true;
    const helper = depth < 3 ? calledFunction(expression, ctx.index) : undefined;
    return helper !== undefined && !helper.getSourceFile().fileName.includes('/node_modules/') && returnsActivityContext(helper, ctx, depth + 1);
  }
  if (ts.isIdentifier(expression) && depth < 3) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return isActivityContext(declaration.initializer, ctx, depth + 1);
    // A helper that takes the context: `function work(ctx: Context) { ctx.heartbeat() }`, or a
    // variable declared with that type and assigned later: `let context: Context; try { context = Context.current() } ...`.
    if (declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) && declaration.type) return isContextType(declaration.type, ctx);
  }
  return false;
}

/** `Context`, `activity.Context`, or `Context | null` (a context that may be absent outside an activity). */
function isContextType(type: ts.TypeNode, ctx: ResolveContext): boolean {
  if (ts.isUnionTypeNode(type)) {
    const rest = type.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) && t.kind !== ts.SyntaxKind.UndefinedKeyword);
    return rest.length === 1 && isContextType(rest[0]!, ctx);
  }
  if (!ts.isTypeReferenceNode(type)) return false;
  const typeName = type.typeName;
  if (ts.isIdentifier(typeName)) return isTemporalApi(typeName, ctx.index, 'Context');
  const namespace = ts.isIdentifier(typeName.left) ? importBindings(typeName.getSourceFile()).get(typeName.left.text) : undefined;
  return typeName.right.text === 'Context' && namespace?.imported === '*' && isTemporalModule(namespace.module);
}

/** A function that returns the activity Context (from any of its returns; the others may return null). */
function returnsActivityContext(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext, depth: number): boolean {
  if (!fn.body) return false;
  if (!ts.isBlock(fn.body)) return isActivityContext(fn.body, ctx, depth);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && isActivityContext(node.expression, ctx, depth)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}
