// The awaited calls of a try block whose failures can reach its catch. Left out:
// - calls inside a nested `try` whose own catch lets nothing out (it neither throws nor returns
//   `Promise.reject`): a per-item `try { await save(item) } catch { log(); continue }` in a loop
//   handles its failures before the outer catch sees them;
// - `await import('./x')`: a dynamic import fails only when the deployed files are broken, which
//   no retry mends, not during an outage;
// - `await call().catch(() => fallback)` with a handler written in place that throws nothing;
// - a Supabase call whose `{ data, error }` result is read: Supabase returns its failures, network
//   ones included, in `error` and does not throw (a failure dropped there is another defect);
// - a project function that cannot throw: its body is a `try` whose catch lets nothing out (it
//   returns `{ success: false }` or `false`), and whatever sits outside that try throws nothing and
//   awaits only calls that cannot throw either (synchronous calls fail only on a bug, not in an
//   outage); or it hands its work to such a function (`return this.request(...)`). Followed three
//   functions deep;
// - a query of a Supabase client itself, whether or not its `error` is read (not `.throwOnError()`).

import ts from 'typescript';
import { functionOfDeclaration } from './declarations.js';
import { shortText } from './short-text.js';
import { skipOuterExpressions } from './temporal-api.js';
import { awaitedCall, calleeText, isTransient, type TransientCall } from './transient-calls.js';
import type { TemporalModel } from './types.js';

/** How many project functions deep a "cannot throw" verdict is followed. */
const HELPER_DEPTH = 3;

/** Receivers of a Supabase client (by name, or by the type of the receiver). */
const SUPABASE_RECEIVER = /supabase|postgrest|gotrue/i;
/** The entry points of a Supabase client's API. */
const SUPABASE_API = /^(?:from|rpc|schema|storage|auth|functions)$/;
/** Logging calls taken to throw nothing: `console.error(...)`, `logger.warn(...)`, `log.info(...)`. */
const LOGGER = /^(?:console|log|logger|_?logger)$/i;

interface AwaitedCallSite {
  /** The call written after `await` (`fetch(url).then(...)`, `helper(...)`). */
  awaited: ts.CallExpression;
  /** The request under a chain on its result (`fetch(url)` in `fetch(url).then(...)`). */
  request: ts.CallExpression;
}

/**
 * The awaited call a catch around `block` catches the failures of: the first network call (an
 * HTTP request, a method of a client of a remote service) among the awaited calls that can throw
 * into it, else the first of those calls; undefined when none can.
 */
export function throwingAwaitedCall(block: ts.Block, model: TemporalModel, checker: ts.TypeChecker): TransientCall | undefined {
  const reader = new ThrowReader(model, checker);
  const calls = reader.awaitedCallsThatThrow(block, 0);
  const transient = calls.find((site) => isTransient(site.request, checker));
  if (transient) return { call: transient.request, text: `${calleeText(transient.request)}(...)` };
  const first = calls[0];
  if (!first) return undefined;
  return { call: first.awaited, text: `${shortText(skipOuterExpressions(first.awaited.expression).getText(), 40)}(...)` };
}

class ThrowReader {
  private readonly verdicts = new Map<ts.Node, boolean>();

  constructor(
    private readonly model: TemporalModel,
    private readonly checker: ts.TypeChecker,
  ) {}

  /** Awaited calls in `node` (not in nested functions, nor in a nested try that handles them) that can throw. */
  awaitedCallsThatThrow(node: ts.Node, depth: number): AwaitedCallSite[] {
    const found: AwaitedCallSite[] = [];
    const visit = (current: ts.Node): void => {
      if (current !== node && ts.isFunctionLike(current)) return;
      if (current !== node && ts.isTryStatement(current) && current.catchClause && !letsErrorsOut(current.catchClause.block)) {
        visit(current.catchClause.block);
        if (current.finallyBlock) visit(current.finallyBlock);
        return;
      }
      if (ts.isAwaitExpression(current)) {
        const awaited = skipOuterExpressions(current.expression);
        const request = awaitedCall(current.expression);
        if (ts.isCallExpression(awaited) && request && this.canThrow(current, awaited, request, depth)) found.push({ awaited, request });
      }
      ts.forEachChild(current, visit);
    };
    visit(node);
    return found;
  }

  private canThrow(expression: ts.AwaitExpression, awaited: ts.CallExpression, request: ts.CallExpression, depth: number): boolean {
    if (request.expression.kind === ts.SyntaxKind.ImportKeyword) return false;
    if (handledInPlace(awaited)) return false;
    const helper = this.projectFunction(request);
    if (!helper && supabaseQuery(awaited, request, this.checker)) return false;
    if (returnsErrorAsValue(expression, request, this.checker)) return false;
    if (helper && timerPromise(helper)) return false;
    return !(helper && this.cannotThrow(helper, depth + 1));
  }

  private projectFunction(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
    const fn = functionOfDeclaration(this.model.declarationOf(callee));
    if (!fn || fn.getSourceFile().isDeclarationFile || !this.model.files.includes(fn.getSourceFile().fileName)) return undefined;
    return fn;
  }

  /**
   * A function whose body is a try that lets nothing out, with nothing outside it that calls or
   * awaits (logging aside), and whose catch awaits only calls that cannot throw either.
   */
  private cannotThrow(fn: ts.FunctionLikeDeclaration, depth: number): boolean {
    if (depth > HELPER_DEPTH || !fn.body || !ts.isBlock(fn.body)) return false;
    const known = this.verdicts.get(fn);
    if (known !== undefined) return known;
    this.verdicts.set(fn, false); // a cycle throws for all we know
    const verdict = this.bodyCannotThrow(fn, fn.body, depth);
    this.verdicts.set(fn, verdict);
    return verdict;
  }

  private bodyCannotThrow(fn: ts.FunctionLikeDeclaration, body: ts.Block, depth: number): boolean {
    let guarded = false;
    for (const statement of body.statements) {
      if (ts.isTryStatement(statement) && statement.catchClause && !letsErrorsOut(statement.catchClause.block)) {
        // `return request()` without await in the try: the promise's rejection passes the catch.
        if (returnsPendingPromise(statement.tryBlock, fn, this.checker)) return false;
        if (this.awaitedCallsThatThrow(statement.catchClause.block, depth).length > 0) return false;
        if (statement.finallyBlock && !harmless(statement.finallyBlock)) return false;
        guarded = true;
        continue;
      }
      if (harmless(statement)) continue;
      const quiet = this.quietStatement(statement, fn, depth);
      if (quiet === undefined) return false;
      if (quiet === 'delegates') guarded = true;
    }
    return guarded;
  }

  /**
   * A statement outside the guarded try that cannot fail in an outage: it throws nothing, awaits
   * only calls that cannot throw, and returns no pending promise but that of a project function
   * that cannot throw (`return this.request(...)`). Synchronous calls (`this.buildUrl(path)`,
   * `JSON.stringify(body)`, `new AbortController()`) fail only on a bug, never in an outage.
   * 'delegates' when it hands its work to a project function that cannot throw.
   */
  private quietStatement(statement: ts.Statement, fn: ts.FunctionLikeDeclaration, depth: number): 'quiet' | 'delegates' | undefined {
    let verdict: 'quiet' | 'delegates' | undefined = 'quiet';
    const async = (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
    const visit = (node: ts.Node): void => {
      if (verdict === undefined || ts.isFunctionLike(node)) return;
      if (ts.isThrowStatement(node) || ts.isTryStatement(node)) {
        verdict = undefined;
        return;
      }
      if (ts.isAwaitExpression(node)) {
        const awaited = skipOuterExpressions(node.expression);
        const request = awaitedCall(node.expression);
        if (!ts.isCallExpression(awaited) || !request || this.canThrow(node, awaited, request, depth)) {
          verdict = undefined;
          return;
        }
        if (this.projectFunction(request)) verdict = 'delegates';
      } else if (ts.isReturnStatement(node) && node.expression) {
        const value = skipOuterExpressions(node.expression);
        if ((ts.isCallExpression(value) || ts.isNewExpression(value)) && (async || thenable(this.checker.getTypeAtLocation(value)))) {
          const helper = ts.isCallExpression(value) ? this.projectFunction(value) : undefined;
          if (!helper || !this.cannotThrow(helper, depth + 1)) {
            verdict = undefined;
            return;
          }
          verdict = 'delegates';
        }
      } else if (ts.isNewExpression(node) && thenable(this.checker.getTypeAtLocation(node))) {
        verdict = undefined; // `new Promise(...)`: a rejection of its own
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
    return verdict;
  }

  /** Whether the awaited call is a project function that catches its own failures. */
  helperCannotThrow(call: ts.CallExpression): boolean {
    const helper = this.projectFunction(call);
    return helper !== undefined && this.cannotThrow(helper, 1);
  }
}

/**
 * `const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms))`: a pause that resolves
 * on a timer and never rejects (its executor calls nothing but setTimeout and never names a
 * rejection).
 */
function timerPromise(fn: ts.FunctionLikeDeclaration): boolean {
  let body: ts.Node | undefined = fn.body;
  if (body && ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    body = only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  if (!body) return false;
  const created = skipOuterExpressions(body as ts.Expression);
  if (!ts.isNewExpression(created) || !ts.isIdentifier(created.expression) || created.expression.text !== 'Promise') return false;
  const executor = created.arguments?.[0];
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || executor.parameters.length > 1) return false;
  const resolve = executor.parameters[0]?.name;
  let onlyTimer = true;
  let timer = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isIdentifier(callee) && callee.text === 'setTimeout') timer = true;
      else if (!(ts.isIdentifier(callee) && resolve && ts.isIdentifier(resolve) && callee.text === resolve.text)) onlyTimer = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(executor.body);
  return onlyTimer && timer;
}

/**
 * A try whose awaited calls cannot throw, but which turns the failure value of one of them into a
 * throw of its own that the same catch receives (`const response = await api.post(...); if
 * (!response.success) throw new Error(...)`): an outage of that call still ends in the catch.
 * The call is the project function that returned the failure value the throw reads.
 */
export function convertedFailureCall(block: ts.Block, model: TemporalModel, checker: ts.TypeChecker): TransientCall | undefined {
  const reader = new ThrowReader(model, checker);
  // The names bound in the try to the result of an awaited project function that cannot throw.
  const results = new Map<string, ts.CallExpression>();
  const throwsOn: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isTryStatement(node) && node.catchClause && !letsErrorsOut(node.catchClause.block)) return; // handled in there
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isAwaitExpression(value)) {
        const call = skipOuterExpressions(value.expression);
        if (ts.isCallExpression(call) && reader.helperCannotThrow(call)) for (const name of boundNames(node.name)) results.set(name, call);
      }
    }
    if (ts.isThrowStatement(node)) {
      for (let parent: ts.Node = node.parent; parent !== block && !ts.isFunctionLike(parent); parent = parent.parent) {
        if (ts.isIfStatement(parent)) throwsOn.push(parent.expression);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(block, visit);
  for (const condition of throwsOn) {
    let found: ts.CallExpression | undefined;
    const read = (node: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(node) && results.has(node.text)) found = results.get(node.text);
      else ts.forEachChild(node, read);
    };
    read(condition);
    if (found) return { call: found, text: `${shortText(skipOuterExpressions(found.expression).getText(), 40)}(...)` };
  }
  return undefined;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(element.name) : []));
}

/** A catch block that throws or returns `Promise.reject(...)` (anywhere in it, under an `if` too). */
function letsErrorsOut(block: ts.Block): boolean {
  return contains(block, (node) => ts.isThrowStatement(node) || (ts.isCallExpression(node) && isPromiseReject(node)));
}

function isPromiseReject(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'reject' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

/** A statement that neither throws, nor calls or awaits anything but logging. */
function harmless(statement: ts.Node): boolean {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return true;
  return !contains(statement, (node) => {
    if (ts.isThrowStatement(node) || ts.isAwaitExpression(node) || ts.isNewExpression(node)) return true;
    if (!ts.isCallExpression(node)) return false;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return true;
    const receiver = skipOuterExpressions(callee.expression);
    const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword ? receiver.name.text : undefined;
    return !(name && LOGGER.test(name));
  });
}

/** `return request()` (not awaited) in the try of a function whose result is a promise. */
function returnsPendingPromise(block: ts.Block, fn: ts.FunctionLikeDeclaration, checker: ts.TypeChecker): boolean {
  return contains(block, (node) => {
    if (!ts.isReturnStatement(node) || !node.expression) return false;
    const value = skipOuterExpressions(node.expression);
    if (!ts.isCallExpression(value)) return false;
    if (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) return true;
    return thenable(checker.getTypeAtLocation(value));
  });
}

function thenable(type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.Any) return true;
  if (type.isUnion()) return type.types.some(thenable);
  return type.getProperty('then') !== undefined;
}

/** `await request().catch((e) => { log(e); return null; })`: a handler written in place that throws nothing. */
function handledInPlace(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const handler = callee.name.text === 'catch' ? call.arguments[0] : callee.name.text === 'then' ? call.arguments[1] : undefined;
  if (!handler) return false;
  const fn = skipOuterExpressions(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return !contains(fn.body, (node) => ts.isThrowStatement(node) || (ts.isCallExpression(node) && isPromiseReject(node)), fn.body);
}

/**
 * `const { data, error } = await supabase.from('t').select()`: a Supabase client returns its
 * failures in `error` and does not throw, so the catch around it catches nothing of it.
 */
function returnsErrorAsValue(expression: ts.AwaitExpression, request: ts.CallExpression, checker: ts.TypeChecker): boolean {
  if (!readsErrorField(expression, checker)) return false;
  let current: ts.Node = skipOuterExpressions(request.expression);
  for (;;) {
    if (ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword) return namesSupabase(current, checker);
    if (ts.isPropertyAccessExpression(current)) {
      if (namesSupabase(current.name, checker)) return true;
      if (namesSupabase(current.expression, checker)) return true;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isCallExpression(current)) {
      current = skipOuterExpressions(current.expression);
    } else return false;
  }
}

/**
 * A query of a Supabase client itself (not a project service named after it): the client returns
 * its failures, network ones included, in `error` whether or not the caller reads it, unless the
 * chain asks for `.throwOnError()`. A variable holding a query being built
 * (`let query = supabase.from('t').select(); ... await query.limit(1)`) is followed to its start.
 */
function supabaseQuery(awaited: ts.CallExpression, request: ts.CallExpression, checker: ts.TypeChecker): boolean {
  let throwsOnError = false;
  const mark = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'throwOnError') throwsOnError = true;
    ts.forEachChild(node, mark);
  };
  mark(awaited);
  if (throwsOnError) return false;
  let current: ts.Node = skipOuterExpressions(request.expression);
  let clientApi = false; // the chain passes through the client's own API (`.from(...)`, `.rpc(...)`, `.storage`)
  for (let hops = 0; hops < 8; hops++) {
    if (ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword) {
      if (clientApi && namesSupabase(current, checker)) return true;
      const initializer = ts.isIdentifier(current) ? variableStart(current, checker) : undefined;
      if (!initializer) return false;
      current = initializer;
    } else if (ts.isPropertyAccessExpression(current)) {
      if (SUPABASE_API.test(current.name.text)) clientApi = true;
      current = skipOuterExpressions(current.expression);
    } else if (ts.isCallExpression(current)) {
      current = skipOuterExpressions(current.expression);
    } else return false;
  }
  return false;
}

/** The initializer of a local variable, when it is a chain of calls (`let query = client.from('t')`). */
function variableStart(identifier: ts.Identifier, checker: ts.TypeChecker): ts.Expression | undefined {
  const declaration = checker.getSymbolAtLocation(identifier)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const value = skipOuterExpressions(declaration.initializer);
  if (ts.isAwaitExpression(value)) return undefined;
  return ts.isCallExpression(value) || ts.isPropertyAccessExpression(value) ? value : undefined;
}

function namesSupabase(node: ts.Node, checker: ts.TypeChecker): boolean {
  if (ts.isIdentifier(node) && SUPABASE_RECEIVER.test(node.text)) return true;
  if (ts.isPropertyAccessExpression(node) && SUPABASE_RECEIVER.test(node.name.text)) return true;
  const typeName = checker.getTypeAtLocation(node).getSymbol()?.getName();
  return typeName !== undefined && SUPABASE_RECEIVER.test(typeName);
}

/** The awaited result is destructured with an `error` property, or is typed `{ data, error }`. */
function readsErrorField(expression: ts.AwaitExpression, checker: ts.TypeChecker): boolean {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    if (parent.name.elements.some((element) => bindingName(element) === 'error')) return true;
  }
  const type = checker.getTypeAtLocation(expression);
  const parts = type.isUnion() ? type.types : [type];
  return parts.length > 0 && parts.every((part) => part.getProperty('data') !== undefined && part.getProperty('error') !== undefined);
}

function bindingName(element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Whether some node under `root` (not inside a nested function other than `self`) matches. */
function contains(root: ts.Node, matches: (node: ts.Node) => boolean, self?: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (node !== self && node !== root && ts.isFunctionLike(node))) return;
    if (matches(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** How many project functions deep quietSupabaseStep follows a helper. */
const QUIET_HELPER_DEPTH = 2;

/**
 * An awaited step of `fn` that cannot fail the attempt in an outage: a query of a Supabase client
 * (postgrest-js) without `.throwOnError()` whose result is dropped, or kept without its `error` (or
 * the result itself) reaching a `throw` later in `fn`; or a call of a project function (two deep)
 * that throws nothing and awaits only such queries, at least one
 * (`async function logEvent(supabase, row) { await supabase.from('events').insert(row) }`).
 * postgrest-js (PostgrestBuilder.then) resolves `{ data, error }` on an HTTP error, and also on a
 * network error (the fetch rejection is caught into `error`), unless `.throwOnError()` was chained.
 * A result that is thrown on (`const { error } = await ...; if (error) throw error`), handed to a
 * project function that throws, or returned to a caller counts as able to fail.
 */
export function quietSupabaseStep(expression: ts.AwaitExpression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  const checker = model.checkerFor(expression.getSourceFile().fileName);
  if (!checker || resultThrownOn(expression, fn, model)) return false;
  return quietAwait(expression, model, checker, 0);
}

function quietAwait(expression: ts.AwaitExpression, model: TemporalModel, checker: ts.TypeChecker, depth: number): boolean {
  const awaited = skipOuterExpressions(expression.expression);
  const request = awaitedCall(expression.expression);
  if (!ts.isCallExpression(awaited) || !request) return false;
  return quietCall(awaited, request, model, checker, depth);
}

function quietCall(awaited: ts.CallExpression, request: ts.CallExpression, model: TemporalModel, checker: ts.TypeChecker, depth: number): boolean {
  const callee = skipOuterExpressions(request.expression);
  const helper = ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) ? functionOfDeclaration(model.declarationOf(callee)) : undefined;
  if (helper && !helper.getSourceFile().isDeclarationFile && model.files.includes(helper.getSourceFile().fileName)) {
    // A chain on the helper's result (`helper().then(...)`) is not read.
    return awaited === request && quietHelper(helper, model, checker, depth + 1);
  }
  return supabaseQuery(awaited, request, checker);
}

/** A project function that throws nothing, has no try, and awaits (or returns) only quiet Supabase queries, at least one. */
function quietHelper(fn: ts.FunctionLikeDeclaration, model: TemporalModel, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > QUIET_HELPER_DEPTH || !fn.body) return false;
  let queries = 0;
  let quiet = true;
  const visit = (node: ts.Node): void => {
    if (!quiet || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isThrowStatement(node) || ts.isTryStatement(node)) {
      quiet = false;
      return;
    }
    if (ts.isAwaitExpression(node)) {
      if (!quietAwait(node, model, checker, depth)) quiet = false;
      else queries++;
      return;
    }
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression);
      if (ts.isCallExpression(value)) {
        const request = awaitedCall(value);
        if (!request || !quietCall(value, request, model, checker, depth)) quiet = false;
        else queries++;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isBlock(fn.body)) visit(fn.body);
  else quiet = false;
  return quiet && queries > 0;
}

/**
 * The awaited result is thrown on later in `fn`: it is kept (a variable, a destructuring, an
 * assignment) and a later `throw` names a binding of it or sits under an `if` or conditional that
 * tests one, or a later call hands a binding to a project function holding a `throw`. A result
 * used any other way than kept or dropped (returned, passed on in place) counts too.
 */
function resultThrownOn(expression: ts.AwaitExpression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return false;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) collect(parent.name);
  else if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) names.add(parent.left.text);
  else return true;
  const mentions = (inner: ts.Node): boolean => contains(inner, (n) => ts.isIdentifier(n) && names.has(n.text), inner);
  let thrown = false;
  const visit = (current: ts.Node): void => {
    if (thrown) return;
    if (current.getStart() >= expression.end) {
      if (ts.isThrowStatement(current)) {
        if (mentions(current)) thrown = true;
        for (let up: ts.Node | undefined = current.parent; !thrown && up && up !== fn; up = up.parent) {
          if (ts.isIfStatement(up) && mentions(up.expression)) thrown = true;
          else if (ts.isConditionalExpression(up) && mentions(up.condition)) thrown = true;
          else if (ts.isBinaryExpression(up) && (up.operatorToken.kind === ts.SyntaxKind.BarBarToken || up.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || up.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && mentions(up.left)) thrown = true;
        }
        if (thrown) return;
      } else if (ts.isCallExpression(current) && current.arguments.some(mentions)) {
        const callee = skipOuterExpressions(current.expression);
        const declared = ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) ? functionOfDeclaration(model.declarationOf(callee)) : undefined;
        if (declared?.body && model.files.includes(declared.getSourceFile().fileName) && contains(declared.body, ts.isThrowStatement, declared.body)) {
          thrown = true;
          return;
        }
      }
    }
    ts.forEachChild(current, visit);
  };
  if (fn.body) visit(fn.body);
  return thrown;
}
