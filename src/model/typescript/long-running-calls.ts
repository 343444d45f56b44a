// Calls that make an activity wait long: a sleep (`await sleep(ms)`, a promise around setTimeout),
// a stream, a child process. Shared by the activity behaviour walk and the loop-shape readers.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, isTemporalApi, skipOuterExpressions } from './temporal-api.js';

const SLEEP_NAMES = new Set(['sleep', 'delay', 'wait', 'setTimeout']);

export function isSleepCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isTemporalApi(callee, ctx.index, 'sleep')) return true;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!SLEEP_NAMES.has(name)) return false;
  // `setTimeout(cb)` alone is a callback; `await sleep()` or `new Promise(r => setTimeout(r, n))` waits.
  if (name === 'setTimeout') return call.parent !== undefined && isInsidePromise(call);
  return true;
}

function isInsidePromise(node: ts.Node): boolean {
  let current = node.parent;
  for (let step = 0; current && step < 8; step++, current = current.parent) {
    if (ts.isNewExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === 'Promise') return true;
    if (ts.isAwaitExpression(current)) return true;
    if (ts.isFunctionDeclaration(current) || ts.isMethodDeclaration(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}

// Not createWriteStream: opening a file to append log lines is a sink, not a long read; piping
// into it is caught by pipe / pipeline.
const STREAM_NAMES = new Set(['pipe', 'pipeline', 'createReadStream', 'getReader']);

const STREAM_MODULES = new Set(['stream', 'node:stream', 'stream/promises', 'node:stream/promises']);

export function isStreamCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    if (!STREAM_NAMES.has(callee.text)) return false;
    // A bare `pipe(value, f, g)` is function composition (remeda, fp-ts, lodash/fp, rxjs) unless
    // it comes from Node's stream module.
    if (callee.text !== 'pipe' && callee.text !== 'pipeline') return true;
    const binding = importBindings(call.getSourceFile()).get(callee.text);
    return binding !== undefined && STREAM_MODULES.has(binding.module);
  }
  return ts.isPropertyAccessExpression(callee) && STREAM_NAMES.has(callee.name.text);
}

const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process', 'execa', 'cross-spawn']);

/**
 * A call that starts a child process and (usually) waits for it: `spawn`, `exec`, `execFile`,
 * `execa` from their modules, through a namespace (`cp.spawn`) or `promisify(exec)`. Matched by
 * import, not by name: `regex.exec()` is not a process.
 */
export function isChildProcessCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const bindings = importBindings(call.getSourceFile());
  if (![...bindings.values()].some((binding) => CHILD_PROCESS_MODULES.has(binding.module))) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee.expression) && isChildProcessBinding(callee.expression, true);
  if (!ts.isIdentifier(callee)) return false;
  if (isChildProcessBinding(callee, false)) return true;
  // `const run = promisify(exec)` / `util.promisify(execFile)`.
  const declaration = declarationOf(callee, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  const initializer = skipOuterExpressions(declaration.initializer);
  if (!ts.isCallExpression(initializer) || initializer.arguments.length !== 1) return false;
  const wrapper = skipOuterExpressions(initializer.expression);
  const wrapperName = ts.isIdentifier(wrapper) ? wrapper.text : ts.isPropertyAccessExpression(wrapper) ? wrapper.name.text : '';
  const wrapped = skipOuterExpressions(initializer.arguments[0]!);
  return wrapperName === 'promisify' && ts.isIdentifier(wrapped) && isChildProcessBinding(wrapped, false);
}

function isChildProcessBinding(identifier: ts.Identifier, namespace: boolean): boolean {
  const binding = importBindings(identifier.getSourceFile()).get(identifier.text);
  if (!binding || !CHILD_PROCESS_MODULES.has(binding.module)) return false;
  return namespace ? binding.imported === '*' || binding.imported === 'default' : binding.imported !== '*';
}
