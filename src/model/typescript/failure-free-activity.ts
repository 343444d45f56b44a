// Whether an activity cannot fail into Temporal's retry policy: its code, read in full (its body,
// the project functions and constructors it calls, the implementations of an interface method it
// calls), makes no call that can fail, or swallows every failure of the calls it makes
// (`await Promise.allSettled(providers.map((p) => p.send(payload)))` whose results are only logged).
// Strict on purpose: a throw, an await of anything not read, a promise left floating, a call into a
// package (other than a logger or TypeScript's standard library) or a Node I/O module, an unresolved
// call, or a helper past the depth limit, and the answer is no. A stub that logs and returns, or a
// notifier whose only provider writes to the console, cannot fail: a missing retry policy then risks
// no retry storm.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import { isThenable } from './local-file-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { isLoggingCall } from './in-memory-activity.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';

/** How the activity cannot fail: no call that can fail, or every failure of its calls swallowed. */
export type FailureFree = 'no-failing-call' | 'failures-swallowed';

/** Past this many nested helper calls the answer is "cannot tell", so it may fail. */
const MAX_CALL_DEPTH = 6;

/** Logger packages: making a logger or writing a line does not fail on a dependency. */
const LOGGER_MODULES = new Set(['pino', 'winston', 'bunyan', 'loglevel', 'consola', 'tslog', 'signale', 'log4js']);


export function failureFree(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): FailureFree | undefined {
  const reader = failureReader(ctx);
  const result = reader.cannotFail(fn, 0, false);
  if (!result) return undefined;
  return reader.swallowed() ? 'failures-swallowed' : 'no-failing-call';
}

/**
 * Whether the activity catches every error its body raises: its body is statements that cannot
 * fail (read as failureFree reads them) and `try { ... } catch { ... }` blocks whose catch (and
 * finally) cannot fail and whose try returns no promise unawaited (`return fetch(url)` rejects past
 * the catch). What the try block calls may fail or hang; a failure is caught and logged, so the
 * only way an attempt fails is its timeout (a call that hangs, a worker lost).
 * `try { await client.poll() } catch (e) { console.error(e) }` is the usual shape.
 */
export function catchesEveryFailure(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body) || fn.getSourceFile().isDeclarationFile) return false;
  const reader = failureReader(ctx);
  let caught = false;
  for (const statement of body.statements) {
    if (ts.isTryStatement(statement) && statement.catchClause) {
      if (!reader.reads(statement.catchClause.block, 1, false)) return false;
      if (statement.finallyBlock && !reader.reads(statement.finallyBlock, 1, false)) return false;
      if (returnsUnawaitedPromise(statement.tryBlock, ctx)) return false;
      caught = true;
      continue;
    }
    if (!reader.reads(statement, 1, false)) return false;
  }
  return caught;
}

/** A `return` in the block (not in a nested function) of a promise it does not await: its rejection escapes a surrounding try. */
function returnsUnawaitedPromise(block: ts.Block, ctx: ResolveContext): boolean {
  let escapes = false;
  const visit = (node: ts.Node): void => {
    if (escapes || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const returned = skipOuterExpressions(node.expression);
      if (!ts.isAwaitExpression(returned) && isThenable(returned as ts.Expression, ctx)) escapes = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return escapes;
}

/** The reading failureFree and catchesEveryFailure share: each reader keeps its own visited set. */
function failureReader(ctx: ResolveContext) {
  let swallowed = false;
  const visited = new Set<ts.Node>();

  /** Whether the function (a body read in full) cannot fail; throws are allowed when its failures are swallowed. */
  const cannotFail = (current: ts.FunctionLikeDeclaration, depth: number, throwsSwallowed: boolean): boolean => {
    if (visited.has(current)) return true;
    if (!current.body || current.getSourceFile().isDeclarationFile || current.getSourceFile().fileName.includes('/node_modules/')) return false;
    if (depth > MAX_CALL_DEPTH) return false;
    visited.add(current);
    return reads(current.body, depth, throwsSwallowed);
  };

  /** A class built with `new`: its constructor and property initialisers, read in full. */
  const constructs = (call: ts.NewExpression, depth: number): boolean => {
    const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
    const symbol = checker?.getSymbolAtLocation(skipOuterExpressions(call.expression));
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker!.getAliasedSymbol(symbol) : symbol;
    const declarations = resolved?.declarations ?? [];
    const classes = declarations.filter(ts.isClassDeclaration);
    if (classes.length !== 1 || declarations.length !== 1) return false;
    const declaration = classes[0]!;
    if (declaration.getSourceFile().isDeclarationFile || declaration.getSourceFile().fileName.includes('/node_modules/')) return false;
    if (declaration.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)) return false;
    if (visited.has(declaration)) return true;
    visited.add(declaration);
    for (const member of declaration.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && !reads(member.initializer, depth + 1, false)) return false;
      if (ts.isConstructorDeclaration(member) && member.body && !cannotFail(member, depth + 1, false)) return false;
    }
    return call.arguments?.every((argument) => reads(argument, depth, false)) ?? true;
  };

  /** The implementations an interface method call may run: every project class that implements the interface. */
  const implementations = (call: ts.CallExpression): ts.FunctionLikeDeclaration[] | undefined => {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
    const method = checker?.getSymbolAtLocation(callee.name);
    const signature = method?.declarations?.[0];
    if (!signature || !ts.isMethodSignature(signature) || !ts.isInterfaceDeclaration(signature.parent)) return undefined;
    const iface = signature.parent;
    const name = callee.name.text;
    const found: ts.FunctionLikeDeclaration[] = [];
    const implementers = new Set<ts.ClassDeclaration>();
    const constructed: ts.Declaration[] = [];
    /** The classes of `new X()` or `[new X(), new Y()]`; undefined for anything else. */
    const builtFrom = (initializer: ts.Expression, fileChecker: ts.TypeChecker | undefined): ts.Declaration[] | undefined => {
      const value = skipOuterExpressions(initializer);
      const items = ts.isArrayLiteralExpression(value) ? [...value.elements] : [value];
      const classes: ts.Declaration[] = [];
      for (const item of items) {
        const made = skipOuterExpressions(item);
        if (!ts.isNewExpression(made)) return undefined;
        let symbol = fileChecker?.getSymbolAtLocation(skipOuterExpressions(made.expression));
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = fileChecker!.getAliasedSymbol(symbol);
        const declaration = symbol?.declarations?.[0];
        if (!declaration) return undefined;
        classes.push(declaration);
      }
      return classes;
    };
    let unread = false;
    const resolvesTo = (node: ts.Node, fileChecker: ts.TypeChecker | undefined, target: ts.Node): boolean => {
      let symbol = fileChecker?.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = fileChecker!.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.[0];
      return declaration !== undefined && declaration.getSourceFile().fileName === target.getSourceFile().fileName && declaration.pos === target.pos;
    };
    const sources = ctx.index.files.map((file) => ({ source: ctx.index.sourceFile(file), checker: ctx.index.checkerFor(file) }));
    for (const { source, checker: fileChecker } of sources) {
      if (!source) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && node.text === iface.name.text && node !== iface.name && resolvesTo(node, fileChecker, iface)) {
          // Objects typed by the interface are classes that implement it: a value declared,
          // returned, cast or checked as one (`const p: Provider = { ... }`) may be an object
          // literal whose method is not read, so only these uses of the name are allowed.
          const parent = node.parent;
          const allowed =
            ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) ||
            (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent) && parent.parent.token === ts.SyntaxKind.ImplementsKeyword) ||
            (ts.isTypeReferenceNode(parent) && (ts.isParameter(parent.parent) || (ts.isArrayTypeNode(parent.parent) && ts.isParameter(parent.parent.parent)) ||
              ((ts.isPropertyDeclaration(parent.parent) || ts.isPropertySignature(parent.parent)) && !(ts.isPropertyDeclaration(parent.parent) && parent.parent.initializer)) ||
              (ts.isArrayTypeNode(parent.parent) && (ts.isPropertyDeclaration(parent.parent.parent) || ts.isPropertySignature(parent.parent.parent)) && !(ts.isPropertyDeclaration(parent.parent.parent) && parent.parent.parent.initializer))));
          // `const providers: Provider[] = [new ConsoleProvider()]`: built from classes, checked below.
          const typed = ts.isTypeReferenceNode(parent) ? (ts.isArrayTypeNode(parent.parent) ? parent.parent : parent) : undefined;
          const holder = typed?.parent;
          const built =
            holder && (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && holder.type === typed && holder.initializer
              ? builtFrom(holder.initializer, fileChecker)
              : undefined;
          if (built) constructed.push(...built);
          else if (!allowed) unread = true;
        }
        if (ts.isClassDeclaration(node)) {
          const implementsIt = node.heritageClauses?.some(
            (clause) => clause.token === ts.SyntaxKind.ImplementsKeyword && clause.types.some((type) => resolvesTo(type.expression, fileChecker, iface)),
          );
          if (implementsIt) {
            implementers.add(node);
            const member = node.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === name);
            if (member && ts.isMethodDeclaration(member) && member.body) found.push(member);
            else unread = true;
          }
        }
        ts.forEachChild(node, visit);
      };
      if (source.text.includes(iface.name.text)) visit(source);
    }
    // Every class built into a value typed by the interface must be one of the implementers read.
    if (constructed.some((declaration) => ![...implementers].some((implementer) => implementer.getSourceFile().fileName === declaration.getSourceFile().fileName && implementer.pos === declaration.pos))) unread = true;
    // A subclass of an implementer may override the method: not read, so cannot tell.
    for (const { source, checker: fileChecker } of sources) {
      if (!source || unread) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isClassDeclaration(node)) {
          const extendsOne = node.heritageClauses?.some(
            (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword && clause.types.some((type) => [...implementers].some((implementer) => resolvesTo(type.expression, fileChecker, implementer))),
          );
          if (extendsOne) unread = true;
        }
        ts.forEachChild(node, visit);
      };
      if (source.text.includes('extends')) visit(source);
    }
    // An implementation without the method (inherited, abstract) is not read: cannot tell.
    if (found.length === 0 || unread) return undefined;
    return found;
  };

  /** A call whose result is a promise: it cannot fail when every function it may run cannot. */
  const promiseCannotFail = (call: ts.CallExpression, depth: number, throwsSwallowed: boolean): boolean => {
    if (!call.arguments.every((argument) => reads(argument, depth, false))) return false;
    // The receiver of `getService().send(...)` is evaluated first.
    const head = skipOuterExpressions(call.expression);
    if (ts.isPropertyAccessExpression(head) && !reads(head.expression, depth, false)) return false;
    const callee = calledFunction(call, ctx.index);
    if (callee) return (isAsync(callee) || !isThenable(call, ctx)) && cannotFail(callee, depth + 1, throwsSwallowed);
    const implemented = implementations(call);
    if (!implemented) return false;
    // A synchronous implementation's throw would escape Promise.allSettled: only async ones are settled.
    if (throwsSwallowed && implemented.some((impl) => !isAsync(impl))) return false;
    return implemented.every((impl) => cannotFail(impl, depth + 1, throwsSwallowed));
  };

  const reads = (root: ts.Node, depth: number, throwsSwallowed: boolean): boolean => {
    let fails = false;
    const visit = (node: ts.Node): void => {
      if (fails || ctx.initialisedAtStartup?.has(node)) return;
      if (ts.isThrowStatement(node) && !throwsSwallowed) {
        fails = true;
        return;
      }
      // `return cachedRequest`: a promise made elsewhere, settled or not, becomes the result.
      if (ts.isReturnStatement(node) && node.expression) {
        const returned = skipOuterExpressions(node.expression);
        if (!ts.isCallExpression(returned) && !ts.isNewExpression(returned) && isThenable(returned as ts.Expression, ctx)) {
          fails = true;
          return;
        }
      }
      if ((ts.isForOfStatement(node) && node.awaitModifier) || ts.isYieldExpression(node)) {
        fails = true;
        return;
      }
      if (ts.isAwaitExpression(node)) {
        const operand = skipOuterExpressions(node.expression);
        if (!ts.isCallExpression(operand)) {
          fails = true;
          return;
        }
        if (isPromiseStatic(operand, 'allSettled')) {
          // allSettled never rejects: the failures of what it settles are swallowed, but a
          // promise that never settles (a request hung) still fails the activity by its timeout,
          // so what it settles must be read and make no call that can fail either.
          const settled = operand.arguments[0];
          if (!settled || !settles(settled, depth)) fails = true;
          else swallowed = true;
          return;
        }
        if (isPromiseStatic(operand, 'all')) {
          const all = operand.arguments[0];
          if (!all || !settlesAll(all, depth, throwsSwallowed)) fails = true;
          return;
        }
        if (!promiseCannotFail(operand, depth, throwsSwallowed)) fails = true;
        return;
      }
      if (ts.isCallExpression(node) && isLoggingCall(node)) {
        node.arguments.forEach(visit);
        return;
      }
      if (ts.isNewExpression(node)) {
        // `new Promise((resolve, reject) => ...)`: what settles it is not read as a call.
        const made = skipOuterExpressions(node.expression);
        if (ts.isIdentifier(made) && made.text === 'Promise') {
          fails = true;
          return;
        }
        if (isStandardCall(node) || (loggerPackageCall(node) && (node.arguments ?? []).every((a) => reads(a, depth, false)))) {
          (node.arguments ?? []).forEach(visit);
          return;
        }
        if (!constructs(node, depth)) fails = true;
        return;
      }
      if (ts.isCallExpression(node)) {
        if (loggerPackageCall(node)) {
          node.arguments.forEach(visit);
          return;
        }
        const callee = calledFunction(node, ctx.index);
        if (callee) {
          // A project function: an async one left floating may reject unseen; a synchronous one is read.
          // A synchronous one that returns a promise hands over a request made in it.
          if (isAsync(callee) || isThenable(node, ctx) || !cannotFail(callee, depth + 1, throwsSwallowed)) fails = true;
          else ts.forEachChild(node, visit);
          return;
        }
        if (isThenable(node, ctx) || !isStandardCall(node)) {
          fails = true;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
    return !fails;
  };

  /**
   * What `Promise.allSettled` is given: an array literal of calls, or `xs.map((x) => call(x))`.
   * Each call is one whose every implementation is read in full, async (a synchronous throw would
   * escape), and makes no call that can fail but may throw.
   */
  const settles = (expression: ts.Expression, depth: number): boolean => promisesOf(expression, depth, true);
  const settlesAll = (expression: ts.Expression, depth: number, throwsSwallowed: boolean): boolean => promisesOf(expression, depth, throwsSwallowed);

  const promisesOf = (expression: ts.Expression, depth: number, throwsSwallowed: boolean): boolean => {
    const node = skipOuterExpressions(expression);
    if (ts.isArrayLiteralExpression(node)) {
      return node.elements.every((element) => {
        const call = skipOuterExpressions(element);
        return ts.isCallExpression(call) && promiseCannotFail(call, depth, throwsSwallowed);
      });
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'map' && node.arguments.length === 1) {
      if (!reads(node.expression.expression, depth, false)) return false;
      const callback = skipOuterExpressions(node.arguments[0]!);
      if (!ts.isArrowFunction(callback) || ts.isBlock(callback.body)) return false;
      const call = skipOuterExpressions(callback.body);
      return ts.isCallExpression(call) && promiseCannotFail(call, depth, throwsSwallowed);
    }
    return false;
  };

  /** A call TypeScript's own library declares (`JSON.stringify`, `xs.map`, `new Date()`), not a Node I/O module. */
  const isStandardCall = (call: ts.CallExpression | ts.NewExpression): boolean => {
    const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
    const declaration = checker?.getResolvedSignature(call)?.declaration;
    if (!declaration) return false;
    return /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(declaration.getSourceFile().fileName);
  };

  return { cannotFail, reads, swallowed: () => swallowed };
}

function isPromiseStatic(call: ts.CallExpression, method: string): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === method && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0 || fn.asteriskToken !== undefined;
}

/** `pino({...})`, `winston.createLogger(...)`: a call of a logger package's import. */
function loggerPackageCall(call: ts.CallExpression | ts.NewExpression): boolean {
  let head: ts.Node = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(head)) head = skipOuterExpressions(head.expression);
  if (!ts.isIdentifier(head)) return false;
  const binding = importBindings(call.getSourceFile()).get(head.text);
  return binding !== undefined && LOGGER_MODULES.has(binding.module);
}
