// Where workflow code puts a concurrency limiter around `startChild(...)`: a p-limit function
// (`const limit = pLimit(10); limit(() => startChild(...))`), a p-queue (`queue.add(...)`), p-map's
// `concurrency`, a semaphore (async-mutex, or a class of the reviewed code named like one, through
// `runExclusive(fn)` or `acquire()` ... `release()`), or a helper of the reviewed code named for
// limiting (`withConcurrencyLimit(() => ...)`). startChild settles as soon as the server has
// started the child, so a limited function that does not wait for the child's `result()` frees
// its slot right away: the limiter bounds how many children are being started, not how many run.
// A limited function that awaits (or returns) a `.result()` anywhere, or that uses executeChild,
// is not reported.

import ts from 'typescript';
import { shortText } from './short-text.js';
import { functionOfDeclaration } from './declarations.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowStart } from './types.js';

export type LimiterKind = 'p-limit' | 'p-queue' | 'p-map' | 'semaphore' | 'helper';

export interface LimitedChildStart {
  start: WorkflowStart;
  limiter: {
    kind: LimiterKind;
    /** Where the limiter is made (`pLimit(10)`, `new PQueue({ concurrency: 5 })`), or the helper. */
    location: SourceLocation;
    /** Its source text, shortened, for messages. */
    text: string;
  };
  /** The call that hands the limited function to the limiter (or the `acquire()` call). */
  limitedAt: SourceLocation;
}

/** Methods that run a function under a limiter object: p-queue, async-mutex, bottleneck and the like. */
const RUN_METHODS = new Set(['add', 'run', 'runExclusive', 'schedule', 'wrap', 'use', 'exec', 'execute']);
/** Names a class of the reviewed code or a helper function gets when it limits concurrency. */
const LIMITER_CLASS = /semaphore|limiter|mutex|pqueue|taskqueue|concurrencyqueue|workpool|throttle/i;
const LIMITER_HELPER = /limit|semaphore|concurren|throttle/i;

const cache = new WeakMap<TemporalModel, LimitedChildStart[]>();

export function childStartsUnderLimiter(model: TemporalModel): LimitedChildStart[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: LimitedChildStart[] = [];
  for (const start of model.starts) {
    if (start.method !== 'startChild' || !model.files.includes(start.location.file)) continue;
    const fn = enclosingFunction(start.node);
    if (!fn?.body || waitsForResult(fn.body)) continue;
    const hit = limiterOfFunction(fn, model) ?? acquiredSemaphore(fn, start.node, model);
    if (hit) found.push({ start, ...hit });
  }
  cache.set(model, found);
  return found;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current) || ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current)) return current;
  }
  return undefined;
}

/** True when the function calls `.result()` anywhere: it waits for (or hands on) a child's result. */
function waitsForResult(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'result') {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

type Hit = Omit<LimitedChildStart, 'start'>;

/** The limiter a function expression is handed to, when it is passed straight to one. */
function limiterOfFunction(fn: ts.FunctionLikeDeclaration, model: TemporalModel): Hit | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let argument: ts.Node = fn;
  while (ts.isParenthesizedExpression(argument.parent) || ts.isAsExpression(argument.parent)) argument = argument.parent;
  const call = argument.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((a) => a === argument)) return undefined;
  const limitedAt = model.locate(call);
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    const binding = importBindings(callee.getSourceFile()).get(callee.text);
    if (binding?.module === 'p-map' && call.arguments[1] === argument && hasConcurrency(call.arguments[2])) {
      return { limiter: { kind: 'p-map', location: limitedAt, text: shortText(call.getText(), 60) }, limitedAt };
    }
    // p-limit's limitFunction(fn, { concurrency }) wraps the function itself
    if (binding?.module === 'p-limit' && binding.imported === 'limitFunction' && call.arguments[0] === argument) {
      return { limiter: { kind: 'p-limit', location: limitedAt, text: shortText(call.getText(), 60) }, limitedAt };
    }
    const declaration = model.declarationOf(callee);
    const made = madeBy(declaration);
    if (made && made.module === 'p-limit') return { limiter: { kind: 'p-limit', location: model.locate(made.expression), text: shortText(made.expression.getText(), 60) }, limitedAt };
    const helper = functionOfDeclaration(declaration);
    if (helper && !helper.getSourceFile().isDeclarationFile && LIMITER_HELPER.test(callee.text)) {
      return { limiter: { kind: 'helper', location: model.locate(helper), text: callee.text }, limitedAt };
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && RUN_METHODS.has(callee.name.text)) {
    const limiter = limiterObject(callee.expression, model);
    if (limiter) return { limiter, limitedAt };
  }
  return undefined;
}

/** `await sem.acquire()` before the start in the same function, with a `sem.release()` in it. */
function acquiredSemaphore(fn: ts.FunctionLikeDeclaration, startNode: ts.Node, model: TemporalModel): Hit | undefined {
  let hit: Hit | undefined;
  const releases = new Set<string>();
  const acquires: { object: ts.Expression; call: ts.CallExpression }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === 'release') releases.add(node.expression.expression.getText());
      if (method === 'acquire' && node.getStart() < startNode.getStart()) acquires.push({ object: node.expression.expression, call: node });
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  for (const { object, call } of acquires) {
    if (!releases.has(object.getText())) continue;
    const limiter = limiterObject(object, model);
    if (limiter?.kind === 'semaphore') hit = { limiter, limitedAt: model.locate(call) };
  }
  return hit;
}

/** A p-queue, or a semaphore (async-mutex or a class of the reviewed code named like one). */
function limiterObject(expression: ts.Expression, model: TemporalModel): Hit['limiter'] | undefined {
  const object = skipOuterExpressions(expression);
  if (!ts.isIdentifier(object) && !(ts.isPropertyAccessExpression(object) && object.expression.kind === ts.SyntaxKind.ThisKeyword)) return undefined;
  const made = madeBy(model.declarationOf(object));
  if (!made || !ts.isNewExpression(made.expression)) return undefined;
  const location = model.locate(made.expression);
  const text = shortText(made.expression.getText(), 60);
  if (made.module === 'p-queue') return { kind: 'p-queue', location, text };
  if (made.module === 'async-mutex' && /semaphore/i.test(made.name)) return { kind: 'semaphore', location, text };
  if (made.module === undefined && LIMITER_CLASS.test(made.name)) return { kind: 'semaphore', location, text };
  return undefined;
}

/**
 * What a variable or property is initialised with, when that is a call or `new` of a named
 * function or class: the package it is imported from (undefined: declared in the reviewed code).
 */
function madeBy(declaration: ts.Node | undefined): { expression: ts.CallExpression | ts.NewExpression; module: string | undefined; name: string } | undefined {
  if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) || !declaration.initializer) return undefined;
  const expression = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(expression) && !ts.isNewExpression(expression)) return undefined;
  let head = skipOuterExpressions(expression.expression);
  const name = ts.isPropertyAccessExpression(head) ? head.name.text : ts.isIdentifier(head) ? head.text : '';
  while (ts.isPropertyAccessExpression(head)) head = head.expression;
  if (!ts.isIdentifier(head) || name === '') return undefined;
  const binding = importBindings(head.getSourceFile()).get(head.text);
  const module = binding && !binding.module.startsWith('.') && !binding.module.startsWith('@/') && !binding.module.startsWith('~/') ? binding.module : undefined;
  return { expression, module, name };
}

function hasConcurrency(options: ts.Expression | undefined): boolean {
  const object = options && skipOuterExpressions(options);
  return !!object && ts.isObjectLiteralExpression(object) && object.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'concurrency');
}
