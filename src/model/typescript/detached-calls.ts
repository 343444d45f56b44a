// Whether the promise a call makes is left running rather than waited for by the function the call
// is in: `void p`, a bare `p` statement, `p.catch(...)` / `p.then(...)` whose result is not awaited
// or returned, a callback given to `setImmediate` / `setTimeout` / `queueMicrotask` /
// `process.nextTick`, or a project helper given the promise (or a function making it) that never
// awaits or returns it (`runDetached(p) { void p.catch(log) }`). A request handler that hands a
// workflow run to such a call answers before the run ends, so the request does not wait for it.
// Only clear shapes count: a promise stored in a variable, given to a function outside the project
// or to one this cannot read is taken as waited for.

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { TemporalModel } from './types.js';

/** Schedule their callback for later and return at once. */
const SCHEDULERS = new Set(['setImmediate', 'setTimeout', 'queueMicrotask', 'nextTick', 'setInterval']);
/** Promise combinators: the result waits for the promises given. */
const COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);
const MAX_HELPER_DEPTH = 3;
const RESPONSE_OBJECTS = new Set(['res', 'resp', 'response', 'reply', 'ctx', 'context']);
const RESPONDS = /\b(?:res|resp|response|reply|ctx|context)\s*\.\s*(?:(?:json|send|end|status|sendStatus|redirect|render|write|code|type|header)\s*\(|body\s*=[^=])|\bResponse\.json\s*\(/;

/**
 * The promise `expr` makes (a call, or a function expression that makes it when called) is not
 * waited for by `owner`, the function around it whose completion matters (by default the
 * outermost function around it).
 */
export function detachedCall(expr: ts.Expression, model: TemporalModel, owner: ts.FunctionLikeDeclaration | undefined = outermostFunction(expr)): boolean {
  // `handleOrder(req, res)` left floating in an Express handler: the callee answers when its run ends.
  if (ts.isCallExpression(expr) && expr.arguments.some((argument) => ts.isIdentifier(argument) && RESPONSE_OBJECTS.has(argument.text))) return false;
  return detachedIn(expr, owner, model, 0);
}

function detachedIn(expr: ts.Node, owner: ts.FunctionLikeDeclaration | undefined, model: TemporalModel, depth: number): boolean {
  let node: ts.Node = expr;
  for (;;) {
    const parent = node.parent;
    if (!parent) return false;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isTypeAssertionExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== node)
    ) {
      node = parent;
      continue;
    }
    if (ts.isVoidExpression(parent) || ts.isExpressionStatement(parent)) return true;
    if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node)) {
      // Waited for by the function it is in; that function is a callback inside `owner`: follow it.
      const fn = ts.isArrowFunction(parent) ? parent : enclosingFunction(parent);
      if (!fn || fn === owner || !owner || !contains(owner, fn) || responds(fn)) return false;
      node = fn;
      continue;
    }
    // `p.catch(...)`, `p.then(...)`: the chained promise decides.
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && CHAIN_METHODS.has(parent.name.text) && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      // `execute(...).then((result) => res.json(result))`: the response waits for the run.
      if (parent.parent.arguments.some(responds)) return false;
      node = parent.parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
      const callee = skipOuterExpressions(parent.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (!name) return false;
      if (SCHEDULERS.has(name) && (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isIdentifier(node))) return true;
      if ((COMBINATORS.has(name) && ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Promise') || CHAIN_METHODS.has(name)) {
        node = parent;
        continue;
      }
      const helper = projectFunction(callee, model);
      if (!helper || depth >= MAX_HELPER_DEPTH) return false;
      const index = parent.arguments.indexOf(node as ts.Expression);
      if (!helperWaitsFor(helper, index, model, depth + 1)) return true;
      node = parent;
      continue;
    }
    return false;
  }
}

/** The helper awaits, returns or passes on its parameter (or the promise it makes when called). */
function helperWaitsFor(helper: ts.FunctionLikeDeclaration, index: number, model: TemporalModel, depth: number): boolean {
  const parameter = helper.parameters[index];
  if (!parameter || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name) || !helper.body) return true;
  // A `(p) => void p.catch(log)` body and a block body alike.
  const references: ts.Identifier[] = [];
  const name = parameter.name.text;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== parameter.name) {
      const parent = node.parent;
      const isName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isName) references.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(helper.body);
  if (references.length === 0) return false;
  for (const reference of references) {
    if (model.declarationOf(reference) && model.declarationOf(reference) !== parameter) return true;
    // `fn()` for a function parameter: the promise it makes.
    const use = ts.isCallExpression(reference.parent) && reference.parent.expression === reference ? reference.parent : reference;
    if (!detachedIn(use, helper, model, depth)) return true;
  }
  return false;
}

/**
 * The code answers the request itself (`res.json(...)`, `reply.send(...)`, `ctx.body = ...`): an
 * Express-style handler whose response is sent from a callback keeps the request open until then.
 */
function responds(node: ts.Node): boolean {
  return RESPONDS.test(node.getText());
}

function projectFunction(callee: ts.Node, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const fn = functionOfDeclaration(model.declarationOf(callee));
  if (!fn || fn.getSourceFile().isDeclarationFile || !fn.body) return undefined;
  return fn;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return current;
    if (ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

function outermostFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let outer: ts.FunctionLikeDeclaration | undefined;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) outer = fn;
  return outer;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}
