// Retries that run inside one activity attempt: a call to a retry library (p-retry, async-retry,
// promise-retry, exponential-backoff, retry) or a counted loop that waits a growing delay between
// turns (`await sleep(base * 2 ** attempt)`, or a project helper that sleeps handed such a delay),
// in the activity's body or in the project helpers it calls, a few calls deep. Temporal's retry
// policy runs the whole attempt again when it fails, so the two kinds of retrying multiply.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import { isSleepCall } from './long-running-calls.js';
import { isLoopStatement, loopCounter } from './loop-shape.js';
import { locate, nodeSnippet } from './locate.js';
import { delayOf, grows } from './manual-backoff.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { InnerRetryFacts } from '../types.js';

/** How many calls deep from the activity body the helpers are read ("a couple of levels"). */
const MAX_HELPER_DEPTH = 3;

interface RetryLibrary {
  /** The package. */
  module: string;
  /** The import that names the retrying function: 'default', or a named export. */
  imported: string;
  /** A method of that import that starts the retrying (`retry.operation(opts)`), when not the import itself. */
  method?: string;
  /** The option that counts the tries, and whether it counts retries after the first try or all tries. */
  countOption: string;
  counts: 'retries' | 'tries';
  /** Its value when the option is not written (the library's documented default). */
  defaultCount: number;
  /** The option that caps the total time in milliseconds, if the library has one. */
  timeOption?: string;
  /** The pause options and their defaults: first pause, growth factor, largest pause (ms). */
  pause: { first: [string, number]; factor: [string, number]; max: [string, number] };
}

const RETRY_PAUSES: RetryLibrary['pause'] = { first: ['minTimeout', 1000], factor: ['factor', 2], max: ['maxTimeout', Number.POSITIVE_INFINITY] };

/** Retry libraries whose options count tries, with their documented defaults. */
const LIBRARIES: RetryLibrary[] = [
  { module: 'p-retry', imported: 'default', countOption: 'retries', counts: 'retries', defaultCount: 10, timeOption: 'maxRetryTime', pause: RETRY_PAUSES },
  { module: 'async-retry', imported: 'default', countOption: 'retries', counts: 'retries', defaultCount: 10, pause: RETRY_PAUSES },
  { module: 'promise-retry', imported: 'default', countOption: 'retries', counts: 'retries', defaultCount: 10, pause: RETRY_PAUSES },
  { module: 'exponential-backoff', imported: 'backOff', countOption: 'numOfAttempts', counts: 'tries', defaultCount: 10, pause: { first: ['startingDelay', 100], factor: ['timeMultiple', 2], max: ['maxDelay', Number.POSITIVE_INFINITY] } },
  { module: 'retry', imported: 'default', method: 'operation', countOption: 'retries', counts: 'retries', defaultCount: 10, pause: RETRY_PAUSES },
  { module: 'retry', imported: '*', method: 'operation', countOption: 'retries', counts: 'retries', defaultCount: 10, pause: RETRY_PAUSES },
];

/** Every retry site the activity reaches, the first path to each. */
export function innerRetriesOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): InnerRetryFacts[] {
  const found = new Map<ts.Node, InnerRetryFacts>();
  const visited = new Set<ts.Node>();
  const visitFunction = (current: ts.FunctionLikeDeclaration, via: ts.CallExpression[]): void => {
    if (visited.has(current) || !current.body) return;
    visited.add(current);
    const reachedBy = via.at(-1);
    const visit = (node: ts.Node): void => {
      // An event handler runs outside the attempt's control flow: its failure never fails the attempt.
      if (ts.isFunctionLike(node) && isEventHandler(node)) return;
      // `retrying().catch(log)`: the failure is handled where it is called, the attempt goes on.
      if (ts.isCallExpression(node) && isCaught(node)) return;
      if (isLoopStatement(node) && !found.has(node)) {
        const loop = backoffLoop(node, current, reachedBy, ctx);
        if (loop) found.set(node, { ...loop, via: via.map(locate) });
      }
      if (ts.isCallExpression(node)) {
        const library = libraryRetry(node, ctx);
        if (library && !found.has(node)) found.set(node, { ...library, via: via.map(locate) });
        else if (via.length < MAX_HELPER_DEPTH) {
          const callee = calledFunction(node, ctx.index);
          if (callee && !callee.getSourceFile().fileName.includes('/node_modules/')) visitFunction(callee, [...via, node]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  visitFunction(fn, []);
  return [...found.values()];
}

type Site = Omit<InnerRetryFacts, 'via'>;

const EVENT_METHODS = new Set(['on', 'once', 'addListener', 'addEventListener', 'prependListener', 'prependOnceListener', 'subscribe']);

/** A function passed to `emitter.on('event', fn)` and the like. */
function isEventHandler(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((argument) => skipOuterExpressions(argument) === fn)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && EVENT_METHODS.has(callee.name.text);
}

/** A call whose promise is handled in place: `call().catch(...)`, `call().then(ok, fail)`. */
function isCaught(call: ts.CallExpression): boolean {
  const access = call.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== call) return false;
  const handler = access.parent;
  if (!handler || !ts.isCallExpression(handler) || handler.expression !== access) return false;
  return access.name.text === 'catch' || (access.name.text === 'then' && handler.arguments.length >= 2);
}

/** `pRetry(fn, { retries: 10 })`, `backOff(fn, { numOfAttempts: 5 })`, `retry.operation({ retries: 3 })`. */
function libraryRetry(call: ts.CallExpression, ctx: ResolveContext): Site | undefined {
  const callee = skipOuterExpressions(call.expression);
  let name: ts.Identifier | undefined;
  let method: string | undefined;
  if (ts.isIdentifier(callee)) name = callee;
  else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    name = callee.expression;
    method = callee.name.text;
  }
  if (!name) return undefined;
  const binding = importBindings(call.getSourceFile()).get(name.text);
  if (!binding || binding.typeOnly) return undefined;
  const library = LIBRARIES.find((l) => l.module === binding.module && l.imported === binding.imported && l.method === method);
  if (!library) return undefined;
  const options = call.arguments.map((a) => skipOuterExpressions(a)).find(ts.isObjectLiteralExpression);
  const count = optionValue(options, library.countOption, ctx);
  const time = library.timeOption ? optionValue(options, library.timeOption, ctx) : undefined;
  const base = { kind: 'library' as const, library: library.module, location: locate(call), text: nodeSnippet(call) };
  if (count === 'absent' && options && options.properties.some(ts.isSpreadAssignment)) return { ...base, triesText: `the tries set by ${nodeSnippet(options, 40)}` };
  if (count === 'absent') {
    const tries = library.counts === 'retries' ? library.defaultCount + 1 : library.defaultCount;
    const pauses = pausesOf(options, library, tries, ctx);
    return { ...base, tries, triesText: `${tries} tries (the library's default ${library.countOption}: ${library.defaultCount})`, ...(pauses !== undefined ? { pausesMs: pauses } : {}), ...timeOf(time, library) };
  }
  if (typeof count === 'number') {
    const tries = library.counts === 'retries' ? count + 1 : count;
    const pauses = pausesOf(options, library, tries, ctx);
    return { ...base, tries, triesText: `${tries} tries (${library.countOption}: ${count})`, ...(pauses !== undefined ? { pausesMs: pauses } : {}), ...timeOf(time, library) };
  }
  return { ...base, triesText: `\`${count.text}\` ${library.counts}`, ...timeOf(time, library) };
}

function timeOf(time: ReturnType<typeof optionValue> | undefined, library: RetryLibrary): Partial<Site> {
  return typeof time === 'number' && time > 0 && library.timeOption ? { maxMs: time, maxText: `${library.timeOption}: ${time}` } : {};
}

/**
 * The sum of the pauses between the tries (no jitter): `first x factor^i` capped at the largest
 * pause, one pause fewer than tries. Undefined when an option is written but not resolved.
 */
function pausesOf(options: ts.ObjectLiteralExpression | undefined, library: RetryLibrary, tries: number, ctx: ResolveContext): number | undefined {
  const read = ([name, fallback]: [string, number]): number | undefined => {
    const value = optionValue(options, name, ctx);
    return value === 'absent' ? fallback : typeof value === 'number' ? value : undefined;
  };
  const first = read(library.pause.first);
  const factor = read(library.pause.factor);
  const max = read(library.pause.max);
  if (first === undefined || factor === undefined || max === undefined) return undefined;
  let total = 0;
  for (let i = 0; i < tries - 1; i++) total += Math.min(first * factor ** i, max);
  return total;
}

/** A numeric option written in the object literal; 'absent' when not written, the text when unresolved. */
function optionValue(object: ts.ObjectLiteralExpression | undefined, name: string, ctx: ResolveContext): number | 'absent' | { text: string } {
  if (!object) return 'absent';
  for (const property of object.properties) {
    if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) || property.name.text !== name) continue;
    const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) return { text: name };
    const resolved = resolveValue(value, ctx);
    return resolved.kind === 'number' ? resolved.value : { text: value.getText() };
  }
  return 'absent';
}

/**
 * A counted loop (`for (let attempt = 1; attempt <= max; attempt++)`) whose turn waits a delay that
 * grows with the counter: a sleep of it, or a call to a project helper that sleeps and is handed it.
 */
function backoffLoop(loop: ts.IterationStatement, owner: ts.FunctionLikeDeclaration, reachedBy: ts.CallExpression | undefined, ctx: ResolveContext): Site | undefined {
  const counter = loopCounter(loop);
  if (!counter) return undefined;
  const pause = growingPause(loop, counter, ctx);
  if (!pause) return fixedPauseLoop(loop, counter, owner, reachedBy, ctx);
  const limit = counterLimit(loop, counter, owner, reachedBy, ctx);
  return {
    kind: 'loop',
    location: locate(loop),
    text: nodeSnippet(loop),
    sleep: locate(pause),
    ...(limit.tries !== undefined ? { tries: limit.tries } : {}),
    triesText: limit.text,
  };
}

/**
 * A counted loop whose turn waits a fixed delay (`await sleep(10_000)`, a constant, or a parameter
 * default the call reaching the helper does not override), with a known number of turns: its worst
 * case is (turns - 1) pauses, plus one per-call timeout per turn when the turn sets one
 * (`AbortSignal.timeout(60_000)`). Kept only for that worst case: activity-retries-stacked reports it
 * when it cannot fit the activity's startToCloseTimeout.
 */
function fixedPauseLoop(loop: ts.IterationStatement, counter: ts.Identifier, owner: ts.FunctionLikeDeclaration, reachedBy: ts.CallExpression | undefined, ctx: ResolveContext): Site | undefined {
  const limit = counterLimit(loop, counter, owner, reachedBy, ctx);
  if (limit.tries === undefined || limit.tries < 2) return undefined;
  let sleep: ts.CallExpression | undefined;
  let pauseMs: number | undefined;
  let callTimeoutMs: number | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && !(node.parent && ts.isNewExpression(node.parent))) return;
    if (ts.isCallExpression(node)) {
      if (!sleep && isSleepCall(node, ctx)) {
        const delay = delayOf(node);
        const ms = delay ? fixedNumber(delay, owner, reachedBy, ctx) : undefined;
        // A delay that does not resolve, or one that mentions the counter, leaves the loop out.
        if (ms === undefined || !delay || mentionsName(delay, counter.text)) {
          sleep = node;
          pauseMs = undefined;
        } else {
          sleep = node;
          pauseMs = ms;
        }
      } else if (callTimeoutMs === undefined && isAbortTimeout(node)) {
        const ms = node.arguments[0] ? fixedNumber(node.arguments[0], owner, reachedBy, ctx) : undefined;
        if (ms !== undefined && ms > 0) callTimeoutMs = ms;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  if (!sleep || pauseMs === undefined || pauseMs <= 0) return undefined;
  return {
    kind: 'loop',
    location: locate(loop),
    text: nodeSnippet(loop),
    sleep: locate(sleep),
    tries: limit.tries,
    triesText: limit.text,
    fixedPauseMs: pauseMs,
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
  };
}

/** `AbortSignal.timeout(ms)`. */
function isAbortTimeout(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal' && callee.name.text === 'timeout';
}

function mentionsName(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node) && node.text === name) return true;
  return ts.forEachChild(node, (child) => mentionsName(child, name) || undefined) ?? false;
}

/** A number the expression resolves to, or the default of a parameter of the owner the reaching call does not pass. */
function fixedNumber(expression: ts.Expression, owner: ts.FunctionLikeDeclaration, reachedBy: ts.CallExpression | undefined, ctx: ResolveContext): number | undefined {
  const value = resolveValue(expression, ctx);
  if (value.kind === 'number') return value.value;
  const bare = skipOuterExpressions(expression);
  if (!ts.isIdentifier(bare)) return undefined;
  const index = owner.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === bare.text);
  const parameter = owner.parameters[index];
  if (!parameter?.initializer || !reachedBy || reachedBy.arguments.length > index) return undefined;
  const fallback = resolveValue(parameter.initializer, ctx);
  return fallback.kind === 'number' ? fallback.value : undefined;
}

/** The call of the loop's turn that waits a growing delay. */
function growingPause(loop: ts.IterationStatement, counter: ts.Identifier, ctx: ResolveContext): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // Callbacks do not make the loop wait, except the executor of an awaited `new Promise(...)`.
    if (ts.isFunctionLike(node) && !(node.parent && ts.isNewExpression(node.parent))) return;
    if (ts.isCallExpression(node)) {
      if (isSleepCall(node, ctx)) {
        const delay = delayOf(node);
        if (delay && grows(delay, counter, loop, ctx, 0)) found = node;
      } else if (sleepingHelper(node, ctx) && node.arguments.some((argument) => grows(argument, counter, loop, ctx, 0))) found = node;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

/** A project function whose own body sleeps (`sleepWithHeartbeat({ delayMs })`). */
function sleepingHelper(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const helper = calledFunction(call, ctx.index);
  if (!helper?.body || helper.getSourceFile().fileName.includes('/node_modules/')) return false;
  let sleeps = false;
  const visit = (node: ts.Node): void => {
    if (sleeps) return;
    if (ts.isFunctionLike(node) && node !== helper && !(node.parent && ts.isNewExpression(node.parent))) return;
    if (ts.isCallExpression(node) && isSleepCall(node, ctx)) sleeps = true;
    else ts.forEachChild(node, visit);
  };
  visit(helper.body);
  return sleeps;
}

/**
 * How many turns the loop makes: the other side of its comparison, resolved; a parameter with a
 * default that the call reaching the helper does not pass takes that default.
 */
function counterLimit(loop: ts.IterationStatement, counter: ts.Identifier, owner: ts.FunctionLikeDeclaration, reachedBy: ts.CallExpression | undefined, ctx: ResolveContext): { tries?: number; text: string } {
  const condition = ts.isForStatement(loop) ? loop.condition : ts.isWhileStatement(loop) || ts.isDoStatement(loop) ? loop.expression : undefined;
  const compared = condition ? skipOuterExpressions(condition) : undefined;
  if (!compared || !ts.isBinaryExpression(compared)) return { text: 'a counted number of turns' };
  const left = skipOuterExpressions(compared.left);
  const bound = ts.isIdentifier(left) && left.text === counter.text ? compared.right : compared.left;
  const value = resolveValue(bound, ctx);
  if (value.kind === 'number') return { tries: value.value, text: `${value.value} turns (\`${nodeSnippet(compared, 60)}\`)` };
  const limit = skipOuterExpressions(bound);
  if (ts.isIdentifier(limit)) {
    const index = owner.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === limit.text);
    const parameter = owner.parameters[index];
    if (parameter?.initializer && reachedBy && reachedBy.arguments.length <= index) {
      const fallback = resolveValue(parameter.initializer, ctx);
      if (fallback.kind === 'number') return { tries: fallback.value, text: `${fallback.value} turns (\`${limit.text}\` defaults to ${fallback.value})` };
    }
  }
  return { text: `\`${nodeSnippet(bound, 60)}\` turns` };
}
