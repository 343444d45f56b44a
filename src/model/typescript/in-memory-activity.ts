// Whether an activity runs entirely in memory: it never waits on anything (no await, no promise
// from a call, no Node I/O module), in its own body and in the reviewed helpers it calls. Node has
// no synchronous network API, so such an activity cannot fail because a dependency is down, and
// retrying it cannot add load to one that is recovering: the retry storm a missing policy risks
// does not exist for it. A log line (`logger.warn('not implemented')`) counts as in memory: a stub
// that only logs and returns a constant cannot fail, even when the logger's package is not installed
// and the checker cannot type the call.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import { isThenable } from './local-file-calls.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';

/** Past this many nested helper calls the answer is "cannot tell", so not in memory. */
const MAX_CALL_DEPTH = 5;

/** Node modules whose calls reach the file system, the network or another process. */
const IO_MODULES = new Set(
  ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'dns', 'dns/promises', 'worker_threads', 'cluster', 'readline']
    .flatMap((name) => [name, `node:${name}`]),
);

export function runsInMemory(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): boolean {
  const visited = new Set<ts.Node>();
  const inMemory = (current: ts.FunctionLikeDeclaration, depth: number): boolean => {
    if (visited.has(current)) return true;
    visited.add(current);
    if (!current.body) return false;
    let waits = false;
    const visit = (node: ts.Node): void => {
      if (waits || ctx.initialisedAtStartup?.has(node)) return;
      // `await countTokens(context)` where countTokens is a reviewed synchronous function: the
      // await waits on nothing; what the operand does is read below.
      if (ts.isAwaitExpression(node) && awaitsPlainValue(node, ctx)) {
        visit(node.expression);
        return;
      }
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier) || ts.isYieldExpression(node)) {
        waits = true;
        return;
      }
      if (ts.isCallExpression(node) && (isLoggingCall(node) || isActivityContextCall(node))) {
        // Writing a log line neither waits nor fails the activity: only its arguments are read.
        node.arguments.forEach(visit);
        return;
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = calledFunction(node, ctx.index);
        const followed = callee !== undefined && !callee.getSourceFile().fileName.includes('/node_modules/');
        // A promise (or a value the checker cannot type) may be a request in flight. Not for a
        // reviewed synchronous function: its body is read below, and its return type may be
        // untyped only because a type package is not installed (`config(): Config`, Config
        // inferred from an uninstalled schema library).
        const untypedButRead = followed && !isAsync(callee) && untypedResult(node, ctx);
        if ((isThenable(node, ctx) && !untypedButRead && !untypedStandardCall(node, ctx) && !untypedUtilityCall(node, ctx)) || callsIoModule(node)) {
          waits = true;
          return;
        }
        if (followed) {
          if (depth >= MAX_CALL_DEPTH || !inMemory(callee, depth + 1)) {
            waits = true;
            return;
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    // An arrow function's expression body is visited like a block.
    visit(current.body);
    return !waits;
  };
  return inMemory(fn, 0);
}

/** Methods that write one log line. */
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'log', 'warn', 'warning', 'error', 'fatal', 'verbose']);

/**
 * `console.warn(...)`, `log.info(...)` (the SDK's activity logger), `logger.error(...)`,
 * `this.logger.debug(...)`, `Context.current().log.info(...)`: a log method on a receiver whose
 * name is a logger. The method must be called directly, not through a chain it returns.
 */
export function isLoggingCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return name !== undefined && /^(console|_?log|_?logger|\w+Logger)$/i.test(name);
}

/**
 * `Context.current()` and `activityInfo()` of `@temporalio/activity`: they read the running
 * activity's context and never wait, even when the SDK's types are not installed.
 */
function isActivityContextCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const head = ts.isPropertyAccessExpression(callee) && callee.name.text === 'current' ? skipOuterExpressions(callee.expression) : callee;
  if (!ts.isIdentifier(head)) return false;
  const binding = importBindings(call.getSourceFile()).get(head.text);
  if (binding?.module !== '@temporalio/activity') return false;
  return head === callee ? binding.imported === 'activityInfo' : binding.imported === 'Context';
}

/**
 * An await whose operand is a call of a reviewed function that is not async and whose result the
 * checker types as something other than a promise (or anything it cannot type).
 */
function awaitsPlainValue(node: ts.AwaitExpression, ctx: ResolveContext): boolean {
  const operand = skipOuterExpressions(node.expression);
  if (!ts.isCallExpression(operand)) return false;
  const callee = calledFunction(operand, ctx.index);
  if (!callee || callee.getSourceFile().fileName.includes('/node_modules/') || isAsync(callee)) return false;
  const checker = ctx.index.checkerFor(operand.getSourceFile().fileName);
  const type = checker?.getTypeAtLocation(operand);
  if (!type || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return type.getProperty('then') === undefined && !(type.isUnion() && type.types.some((member) => member.getProperty('then') !== undefined));
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0 || fn.asteriskToken !== undefined;
}

function untypedResult(call: ts.CallExpression | ts.NewExpression, ctx: ResolveContext): boolean {
  const type = ctx.index.checkerFor(call.getSourceFile().fileName)?.getTypeAtLocation(call);
  return type !== undefined && (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

/** `fs.readFileSync(...)`, `execSync(...)`: a call through an import of a Node I/O module. */
function callsIoModule(call: ts.CallExpression | ts.NewExpression): boolean {
  let head: ts.Node = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(head)) head = skipOuterExpressions(head.expression);
  if (!ts.isIdentifier(head)) return false;
  const binding = importBindings(call.getSourceFile()).get(head.text);
  return binding !== undefined && IO_MODULES.has(binding.module);
}

/**
 * Packages of synchronous data helpers: none of their functions returns a promise or does I/O.
 * Without the project's node_modules the checker types their calls `any`, which would otherwise
 * count as a request in flight (`return pick(getConfig(), keys)` with remeda not installed).
 */
const SYNCHRONOUS_UTILITY_MODULES = new Set(['lodash', 'lodash-es', 'lodash/fp', 'underscore', 'remeda', 'ramda', 'date-fns', 'fast-deep-equal', 'deepmerge']);

/** An untyped call of a function imported from a synchronous utility package (`pick`, `_.pick`, `R.pick`). */
function untypedUtilityCall(call: ts.CallExpression | ts.NewExpression, ctx: ResolveContext): boolean {
  let head: ts.Node = skipOuterExpressions(call.expression);
  while (ts.isPropertyAccessExpression(head)) head = skipOuterExpressions(head.expression);
  if (!ts.isIdentifier(head)) return false;
  const binding = importBindings(call.getSourceFile()).get(head.text);
  if (!binding) return false;
  // `lodash/pick`, `lodash.pick`, `date-fns/addDays`: the package's own per-function modules.
  const packageName = binding.module.replace(/^(lodash)\.[a-z]+$/i, '$1').replace(/^((?:@[^/]+\/)?[^/]+)\/(?!fp$).*$/, '$1');
  if (!SYNCHRONOUS_UTILITY_MODULES.has(packageName) && !SYNCHRONOUS_UTILITY_MODULES.has(binding.module)) return false;
  const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
  const type = checker?.getTypeAtLocation(call);
  // A typed call (the package is installed) is judged by its type like any other.
  return !type || (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

/** `JSON.parse(text)`: TypeScript's own library types it `any`, yet it returns no promise. */
function untypedStandardCall(call: ts.CallExpression | ts.NewExpression, ctx: ResolveContext): boolean {
  const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
  const type = checker?.getTypeAtLocation(call);
  if (!checker || !type || !(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return false;
  const declaration = checker.getResolvedSignature(call)?.declaration;
  return declaration !== undefined && /\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(declaration.getSourceFile().fileName);
}
