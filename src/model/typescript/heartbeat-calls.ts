// Where an activity heartbeats: a direct `heartbeat()` / `Context.current().heartbeat()` call, or
// the heartbeat function handed to a helper as a callback (`runStage(items, heartbeat)`,
// `{ onProgress: heartbeat }`) that the helper calls (TEMPORAL-FACTS.md section 4). Callbacks are
// followed through a few levels of helpers that pass them on.

import ts from 'typescript';
import { isInjectedHeartbeat, isTimerCall, isTimerHeartbeat, timerChecksProgress, timerName } from './injected-heartbeat.js';
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
  if (followTimers && isTimerHeartbeat(call, ctx, (inner) => isHeartbeatCall(inner, ctx, false), (value) => isHeartbeatFunction(value, ctx, 0))) return true;
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
  return passedHeartbeat(call, ctx)?.location;
}

/**
 * As heartbeatThroughCallback, and whether the helper calls the heartbeat only from a timer
 * (`function repeat(beat) { return setInterval(() => beat(), ms) }`): such a heartbeat beats
 * whatever the work does, unless the timer callback checks progress.
 */
export function passedHeartbeat(call: ts.CallExpression, ctx: ResolveContext): PassedHeartbeat | undefined {
  if (call.arguments.length === 0) return undefined;
  // A file that never names heartbeat hands on at most a function declared elsewhere that
  // heartbeats (`{ onProgress: tryHeartbeat }`, `runTool(args, report)`): only names are read there.
  const namesHeartbeat = /heartbeat/i.test(call.getSourceFile().text);
  for (const [position, argument] of call.arguments.entries()) {
    const passed = heartbeatArgument(argument, ctx, namesHeartbeat);
    if (!passed) continue;
    const helper = calledFunction(call, ctx.index);
    if (!helper || helper.getSourceFile().fileName.includes('/node_modules/')) return { location: locate(argument), fromTimer: false };
    const found = callsParameter(helper, position, passed.property, ctx, 1);
    if (found) return found;
    // The helper keeps the function where preflight cannot follow it (stored in an object, handed
    // on whole, spread): it may well be called, so the heartbeat counts, as it does for a library.
    if (parameterEscapes(helper, position, passed.property, ctx)) return { location: locate(argument), fromTimer: false };
  }
  return undefined;
}

export interface PassedHeartbeat {
  location: SourceLocation;
  /**
   * The helper calls it only inside `setInterval` callbacks that do not check progress. A one-shot
   * `setTimeout` (a debounce or throttle helper) beats when the work asks it to, so it does not count.
   */
  fromTimer: boolean;
}

function isIntervalCall(call: ts.CallExpression): boolean {
  return isTimerCall(call) && timerName(call) === 'setInterval';
}

/** Whether `node` runs inside the callback of a `setInterval` (below `within`) that does not check progress. */
function insideUncheckedTimer(node: ts.Node, within: ts.Node): boolean {
  for (let current = node.parent; current && current !== within; current = current.parent) {
    const parent = current.parent;
    if (parent && ts.isCallExpression(parent) && isIntervalCall(parent) && parent.arguments[0] === current) {
      return !(ts.isArrowFunction(current) || ts.isFunctionExpression(current)) || !timerChecksProgress(current);
    }
  }
  return false;
}

/** `heartbeat`, or `{ onProgress: heartbeat }` (property 'onProgress'). */
function heartbeatArgument(argument: ts.Expression, ctx: ResolveContext, namesHeartbeat: boolean): { property?: string } | undefined {
  // Where the file never names heartbeat, only a name can hold a function that heartbeats.
  const heartbeats = (value: ts.Expression): boolean => (namesHeartbeat || ts.isIdentifier(skipOuterExpressions(value))) && isHeartbeatFunction(value, ctx, 0);
  if (heartbeats(argument)) return {};
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && heartbeats(property.initializer)) {
      return { property: property.name.text };
    }
    if (ts.isShorthandPropertyAssignment(property) && heartbeats(property.name)) return { property: property.name.text };
  }
  return undefined;
}

/**
 * Whether `fn` lets its parameter at `position` (or that parameter's `property`) go where the
 * reading of callsParameter does not follow: referred to other than by a call or a hand-on to a
 * helper (stored in an object or a field, returned, passed whole or spread, destructured in the
 * body). A parameter the body never refers to is not called.
 */
function parameterEscapes(fn: ts.FunctionLikeDeclaration, position: number, property: string | undefined, ctx: ResolveContext): boolean {
  const parameter = fn.parameters[position] ?? (fn.parameters.at(-1)?.dotDotDotToken ? fn.parameters.at(-1) : undefined);
  if (!parameter || !fn.body) return false;
  let target: ts.ParameterDeclaration | ts.BindingElement = parameter;
  let member = property;
  if (property !== undefined && ts.isObjectBindingPattern(parameter.name)) {
    const element = parameter.name.elements.find((e) => ((e.propertyName ?? e.name) as ts.Identifier).text === property);
    const rest = parameter.name.elements.find((e) => e.dotDotDotToken);
    if (!element && !rest) return false;
    target = element ?? rest!;
    member = element ? undefined : property;
  }
  const name = ts.isIdentifier(target.name) ? target.name.text : undefined;
  if (name === undefined) return true;
  let escapes = false;
  const visit = (node: ts.Node): void => {
    if (escapes) return;
    if (ts.isIdentifier(node) && node.text === name && declarationOf(node, ctx.index) === target) {
      const parent = node.parent;
      // `opts.cwd`: another member of the options object, not the callback.
      const otherMember = member !== undefined && ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text !== member;
      // `void onProgress`, `typeof onProgress`, `!onProgress`, `if (onProgress)`: looked at, not kept.
      const onlyLookedAt =
        ts.isVoidExpression(parent) ||
        ts.isTypeOfExpression(parent) ||
        (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) ||
        (ts.isIfStatement(parent) && parent.expression === node);
      if (!otherMember && !onlyLookedAt) escapes = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return escapes;
}

/**
 * A value that heartbeats when called: the SDK's `heartbeat`, `Context.current().heartbeat`, a
 * closure whose body heartbeats, or a const holding one of those.
 */
export function isHeartbeatFunction(node: ts.Expression, ctx: ResolveContext, depth: number): boolean {
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

const bodyHeartbeatsCache = new WeakMap<ts.Node, boolean>();
const reading = new Set<ts.Node>();

function bodyHeartbeats(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  const cached = bodyHeartbeatsCache.get(fn);
  if (cached !== undefined) return cached;
  if (reading.has(fn)) return false;
  // Cycle-safe: a function that reaches itself is not read again while it is read.
  reading.add(fn);
  try {
    const found = readBodyHeartbeats(fn, ctx);
    // A reading cut short by the depth limit is not kept for a reading from the top.
    if (found || helperDepth === 0) bodyHeartbeatsCache.set(fn, found);
    return found;
  } finally {
    reading.delete(fn);
  }
}

/** How many project helpers deep a function value is read for a heartbeat (`report` calling `beatNow()`). */
const MAX_HELPER_DEPTH = 2;
let helperDepth = 0;

function readBodyHeartbeats(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      if (isHeartbeatCall(node, ctx)) {
        found = true;
        return;
      }
      // A helper of the project the function calls, which heartbeats.
      const helper = helperDepth < MAX_HELPER_DEPTH ? calledFunction(node, ctx.index) : undefined;
      if (helper && !helper.getSourceFile().fileName.includes('/node_modules/')) {
        helperDepth++;
        try {
          if (bodyHeartbeats(helper, ctx)) {
            found = true;
            return;
          }
        } finally {
          helperDepth--;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * Where `fn` calls its parameter at `position` (or that parameter's `property`), directly, inside
 * a nested callback, or by handing it to another helper that calls it.
 */
function callsParameter(fn: ts.FunctionLikeDeclaration, position: number, property: string | undefined, ctx: ResolveContext, depth: number): PassedHeartbeat | undefined {
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
  // The first place the callback is called, and whether every place is a timer's.
  let found: PassedHeartbeat | undefined;
  const note = (passed: PassedHeartbeat): void => {
    found = found ? { location: found.location, fromTimer: found.fromTimer && passed.fromTimer } : passed;
  };
  const visit = (node: ts.Node): void => {
    if (found && !found.fromTimer) return;
    if (ts.isCallExpression(node)) {
      if (isCallback(node.expression)) {
        note({ location: locate(node), fromTimer: insideUncheckedTimer(node, fn) });
        return;
      }
      const handedOn = node.arguments.findIndex((argument) => isCallback(argument));
      if (handedOn >= 0) {
        const helper = calledFunction(node, ctx.index);
        // `setInterval(beat, ms)`: the timer calls it, whatever the work does.
        if (!helper || helper.getSourceFile().fileName.includes('/node_modules/')) {
          note({ location: locate(node.arguments[handedOn]!), fromTimer: (isIntervalCall(node) && handedOn === 0) || insideUncheckedTimer(node, fn) });
          return;
        }
        if (depth < MAX_CALLBACK_DEPTH) {
          const inner = callsParameter(helper, handedOn, undefined, ctx, depth + 1);
          if (inner) {
            note({ location: inner.location, fromTimer: inner.fromTimer || insideUncheckedTimer(node, fn) });
            return;
          }
        }
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
    // variable declared with its type and set later (`let context: Context; context = Context.current()`).
    // `Context | null` (a helper that may run outside an activity) holds the Context when it holds anything.
    const declared = declaration && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) ? withoutAbsent(declaration.type) : undefined;
    if (declared && ts.isTypeReferenceNode(declared)) {
      const typeName = declared.typeName;
      if (ts.isIdentifier(typeName)) return isTemporalApi(typeName, ctx.index, 'Context');
      const namespace = ts.isIdentifier(typeName.left) ? importBindings(typeName.getSourceFile()).get(typeName.left.text) : undefined;
      return typeName.right.text === 'Context' && namespace?.imported === '*' && isTemporalModule(namespace.module);
    }
  }
  return false;
}

/** The type written, less `| null` / `| undefined`, when one type remains. */
function withoutAbsent(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!type || !ts.isUnionTypeNode(type)) return type;
  const present = type.types.filter(
    (member) => !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword) && member.kind !== ts.SyntaxKind.UndefinedKeyword,
  );
  return present.length === 1 ? present[0] : undefined;
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
