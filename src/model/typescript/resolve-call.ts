// Calls whose result is known statically: Object.assign / Object.freeze, conversions, and simple
// helper functions whose body returns one expression (evaluated with their arguments bound).

import ts from 'typescript';
import { calledFunction, declarationOf, functionOfDeclaration } from './declarations.js';
import { CONVERSIONS, convert } from './environment-values.js';
import { locate } from './locate.js';
import { mergeInto, resolveValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticObject, StaticValue } from './types.js';

export function resolveCall(call: ts.CallExpression, ctx: ResolveContext): StaticValue | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object') {
    if (callee.name.text === 'assign') {
      const result: StaticObject = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locate(call) };
      for (const argument of call.arguments) mergeInto(result, resolveValue(argument, ctx), argument);
      return result;
    }
    if (callee.name.text === 'freeze' && call.arguments[0]) return resolveValue(call.arguments[0], ctx);
  }
  if (ts.isIdentifier(callee) && CONVERSIONS.has(callee.text) && call.arguments[0]) {
    return convert(callee.text, resolveValue(call.arguments[0], ctx), call);
  }
  return resolveHelperCall(call, ctx);
}

/** A call to a function whose body returns one expression: evaluated with its arguments bound. */
function resolveHelperCall(call: ts.CallExpression, ctx: ResolveContext): StaticValue | undefined {
  const fn = calledFunction(call, ctx.index);
  if (!fn?.body) return undefined;
  if (ctx.active.has(fn)) {
    ctx.cycles.count++;
    return undefined;
  }
  const returned = singleReturnedExpression(fn.body);
  if (!returned) return passedThrough(fn, call, undefined, ctx);
  const bindings = new Map(ctx.bindings);
  const inner: ResolveContext = { ...ctx, bindings };
  fn.parameters.forEach((parameter, i) => {
    if (parameter.dotDotDotToken) return;
    const argument = call.arguments[i];
    let value: StaticValue = argument ? resolveValue(argument, ctx) : { kind: 'undefined', location: locate(call) };
    if (value.kind === 'undefined' && parameter.initializer) value = resolveValue(parameter.initializer, inner);
    bindings.set(parameter, value);
  });
  ctx.active.add(fn);
  try {
    return passedThrough(fn, call, resolveValue(returned, inner), ctx);
  } finally {
    ctx.active.delete(fn);
  }
}

/**
 * A function typed to give back what it was handed (`instrument<T>(activities: T): T`) whose body
 * builds the result in a way that cannot be read (a loop that wraps each entry): when the argument
 * is an object of functions, the result holds functions of the same names that call them, so the
 * argument stands for it, still open for keys the body may add. Objects of other values (options)
 * keep what the body gave: a wrapper may change their values.
 */
function passedThrough(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, result: StaticValue | undefined, ctx: ResolveContext): StaticValue | undefined {
  if (result && (result.kind !== 'object' || result.unknownSpreads.length === 0) && result.kind !== 'unknown') return result;
  const returnType = fn.type;
  if (!returnType || !ts.isTypeReferenceNode(returnType) || !ts.isIdentifier(returnType.typeName) || returnType.typeArguments) return result;
  const typeName = returnType.typeName.text;
  if (!fn.typeParameters?.some((parameter) => parameter.name.text === typeName)) return result;
  const position = fn.parameters.findIndex(
    (parameter) => !parameter.dotDotDotToken && parameter.type && ts.isTypeReferenceNode(parameter.type) && ts.isIdentifier(parameter.type.typeName) && parameter.type.typeName.text === typeName,
  );
  const argument = position >= 0 ? call.arguments[position] : undefined;
  if (!argument || fn.parameters.filter((parameter) => parameter.type && ts.isTypeReferenceNode(parameter.type) && ts.isIdentifier(parameter.type.typeName) && parameter.type.typeName.text === typeName).length !== 1) return result;
  const value = resolveValue(argument, ctx);
  if (value.kind !== 'object' || value.properties.size === 0 || ![...value.properties.values()].every((property) => isFunctionValue(property, ctx))) return result;
  return { ...value, unknownSpreads: [...value.unknownSpreads, { text: call.getText(), location: locate(call) }] };
}

function isFunctionValue(value: StaticValue, ctx: ResolveContext): boolean {
  if (value.kind !== 'unknown' || !value.node) return false;
  const node = skipOuterExpressions(value.node as ts.Expression);
  if (ts.isFunctionLike(node)) return true;
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  return functionOfDeclaration(declarationOf(node, ctx.index)) !== undefined;
}

/** The expression a function body returns when it has exactly one top-level return. */
export function singleReturnedExpression(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return body;
  const returns = body.statements.filter(ts.isReturnStatement);
  if (returns.length !== 1 || !returns[0]!.expression) return undefined;
  let nestedReturn = false;
  const visit = (node: ts.Node): void => {
    if (nestedReturn || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.parent !== body) nestedReturn = true;
    else ts.forEachChild(node, visit);
  };
  body.statements.forEach(visit);
  return nestedReturn ? undefined : returns[0]!.expression;
}

/**
 * Every expression a function body returns (a concise body is its own), nested functions left
 * out; undefined when some `return` has no value.
 */
export function returnedExpressions(body: ts.ConciseBody): ts.Expression[] | undefined {
  if (!ts.isBlock(body)) return [body];
  const returned: ts.Expression[] = [];
  let bare = false;
  const visit = (node: ts.Node): void => {
    if (bare || ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) {
      if (node.expression) returned.push(node.expression);
      else bare = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  body.statements.forEach(visit);
  return bare ? undefined : returned;
}
