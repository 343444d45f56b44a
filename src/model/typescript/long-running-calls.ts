// Calls that make an activity wait long: a sleep (`await sleep(ms)`, a promise around setTimeout),
// a stream, a child process. Shared by the activity behaviour walk and the loop-shape readers.

import ts from 'typescript';
import { parseDuration } from '../../engine/duration.js';
import { calledFunction, declarationOf } from './declarations.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, isTemporalApi, skipOuterExpressions } from './temporal-api.js';

const SLEEP_NAMES = new Set(['sleep', 'delay', 'wait', 'setTimeout']);

export function isSleepCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isTemporalApi(callee, ctx.index, 'sleep')) return true;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!SLEEP_NAMES.has(name)) return false;
  // `setTimeout(cb)` alone is a callback; `await sleep()` or `new Promise(r => setTimeout(r, n))` waits.
  if (name === 'setTimeout') return call.parent !== undefined && isInsidePromise(call);
  // `wait` names many things that are not a pause (`health.wait(url, { attempts: 3 })`,
  // `job.wait()`): a pause only when it is given one.
  if (name === 'wait') return givesPause(call.arguments[0], ctx);
  return true;
}

/** Words of a name that holds a pause (`ms`, `delayMs`, `POLL_INTERVAL`, `timeoutSeconds`). */
const PAUSE_WORDS = /(^|[^a-z])(ms|millis|seconds?|secs?|minutes?|mins?)($|[^a-z])|delay|interval|timeout|duration|backoff|pause|sleep/i;

/** The argument is a pause: a number or duration the review can read, or a name that says it holds one. */
function givesPause(argument: ts.Expression | undefined, ctx: ResolveContext): boolean {
  if (!argument) return false;
  const value = resolveValue(argument, ctx);
  if (value.kind === 'number') return true;
  if (value.kind === 'string') return parseDuration(value.value) !== null;
  return PAUSE_WORDS.test(skipOuterExpressions(argument).getText());
}

/** How many project sleep helpers deep a pause is followed to the timer that makes it. */
const PAUSE_HELPER_DEPTH = 2;

/**
 * The pause of a sleep call in milliseconds, when it is written as a constant: `sleep(5)`,
 * `delay('100ms')`, `setTimeout(resolve, 50)` inside a promise, `sleep(POLL_MS)` with a `const`.
 * A project helper is followed to the timer it sets: it must hand its first parameter on as the
 * delay unchanged (`(ms) => new Promise((r) => setTimeout(r, ms))`); one that converts
 * (`seconds * 1000`) leaves the pause unknown. A library sleep's number is read as milliseconds.
 * Undefined when the pause is not a constant.
 */
export function sleepPauseMs(call: ts.CallExpression, ctx: ResolveContext, depth = 0): number | undefined {
  const callee = skipOuterExpressions(call.expression);
  const isTimer = ts.isIdentifier(callee) && callee.text === 'setTimeout';
  const argument = call.arguments[isTimer ? 1 : 0];
  if (!argument) return undefined;
  const value = resolveValue(argument, ctx);
  const ms = value.kind === 'number' ? value.value : value.kind === 'string' ? parseDuration(value.value) ?? undefined : undefined;
  if (ms === undefined || ms < 0) return undefined;
  if (isTimer) return ms;
  const helper = calledFunction(call, ctx.index);
  if (!helper || helper.getSourceFile().fileName.includes('/node_modules/')) return ms;
  return depth < PAUSE_HELPER_DEPTH && passesPauseThrough(helper, ctx, depth) ? ms : undefined;
}

/** The helper's body hands its first parameter, unchanged, to a timer or to another sleep that does. */
function passesPauseThrough(helper: ts.FunctionLikeDeclaration, ctx: ResolveContext, depth: number): boolean {
  const parameter = helper.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name) || !helper.body) return false;
  const name = parameter.name.text;
  let passes = false;
  const visit = (node: ts.Node): void => {
    if (passes) return;
    if (ts.isCallExpression(node) && isSleepCall(node, ctx)) {
      const callee = skipOuterExpressions(node.expression);
      const isTimer = ts.isIdentifier(callee) && callee.text === 'setTimeout';
      const argument = node.arguments[isTimer ? 1 : 0];
      const handed = argument !== undefined && ts.isIdentifier(skipOuterExpressions(argument)) && (skipOuterExpressions(argument) as ts.Identifier).text === name;
      if (handed) {
        const inner = isTimer ? undefined : calledFunction(node, ctx.index);
        passes = !inner || inner.getSourceFile().fileName.includes('/node_modules/') || (depth + 1 < PAUSE_HELPER_DEPTH && passesPauseThrough(inner, ctx, depth + 1));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(helper.body);
  return passes;
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

/**
 * Packages whose `.pipe(...)` composes values (Effect-TS effects and layers, rxjs observables,
 * fp-ts): `Effect.all({...}).pipe(Effect.map(f))` combines effects, it reads no stream.
 */
const COMPOSITION_MODULE = /^(effect|@effect\/|rxjs|fp-ts|remeda|lodash\/fp)/;

export function isStreamCall(call: ts.CallExpression, ctx?: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) {
    if (!STREAM_NAMES.has(callee.text)) return false;
    // A bare `pipe(value, f, g)` is function composition (remeda, fp-ts, lodash/fp, rxjs) unless
    // it comes from Node's stream module.
    if (callee.text !== 'pipe' && callee.text !== 'pipeline') return true;
    const binding = importBindings(call.getSourceFile()).get(callee.text);
    return binding !== undefined && STREAM_MODULES.has(binding.module);
  }
  if (!ts.isPropertyAccessExpression(callee) || !STREAM_NAMES.has(callee.name.text)) return false;
  // `stream.pipe(destination)` takes a stream; `tb.pipe('endpoint', params)`, a named query of an
  // analytics client, takes a name.
  const first = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
  if (first && ts.isStringLiteralLike(first)) return false;
  if (callee.name.text !== 'pipe') return true;
  // `.pipe(...)` on an effect, a layer or an observable composes functions: no stream is read.
  if (usesCompositionPackage(callee.expression) || call.arguments.some((argument) => usesCompositionPackage(argument))) return false;
  return !receiverIsNotAStream(callee.expression, ctx);
}

/** An expression whose head name (`Effect` of `Effect.all(...)`, `map` of `map(f)`) is imported from a composition package. */
function usesCompositionPackage(expression: ts.Expression): boolean {
  let head: ts.Expression = skipOuterExpressions(expression) as ts.Expression;
  for (;;) {
    if (ts.isCallExpression(head)) head = skipOuterExpressions(head.expression) as ts.Expression;
    else if (ts.isPropertyAccessExpression(head)) head = skipOuterExpressions(head.expression) as ts.Expression;
    else break;
  }
  if (!ts.isIdentifier(head)) return false;
  const binding = importBindings(head.getSourceFile()).get(head.text);
  return binding !== undefined && COMPOSITION_MODULE.test(binding.module);
}

/**
 * The type checker knows the receiver's type and it is no event emitter: Node's readable and
 * duplex streams (the only ones with a `.pipe(destination)`) all have `on`. Unknown types are
 * left to the other signs.
 */
function receiverIsNotAStream(receiver: ts.Expression, ctx: ResolveContext | undefined): boolean {
  const checker = ctx?.index.checkerFor(receiver.getSourceFile().fileName);
  if (!checker) return false;
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(receiver);
  } catch {
    return false;
  }
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  if (type.isUnion() || type.isIntersection()) return false;
  if (!type.getProperty('pipe')) return false; // an unresolved type: the checker cannot tell
  return !type.getProperty('on');
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

/** `waitForTransactionReceipt`, `waitForUserOperationReceipt`, `waitForSelector`, `waitForDeployment`. */
const LIBRARY_WAIT_NAME = /^waitFor[A-Z]/;

/**
 * A library call that waits until something outside the process happens: a `waitFor...` function
 * or method whose code is not in the project (a blockchain client waiting for a receipt, a browser
 * waiting for a selector). Such calls poll until the event or their own timeout, often minutes.
 * A project helper of that name is not matched here: the walk follows it into its body instead.
 */
export function isLibraryWaitCall(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (isWorkflowResultWait(call, ctx)) return true;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (!LIBRARY_WAIT_NAME.test(name)) return false;
  if (calledFunction(call, ctx.index)) return false;
  // A method of a project interface (an injected service) is the project's own code, not a library.
  const declaration = ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) ? declarationOf(callee, ctx.index) : undefined;
  if (!declaration) return true;
  const file = declaration.getSourceFile();
  return file.isDeclarationFile || file.fileName.includes('/node_modules/');
}

/**
 * A Temporal client call that waits for another workflow to finish: `handle.result()` on a
 * WorkflowHandle, or `client.workflow.execute(...)`, which starts a workflow and waits for its
 * result. It lasts as long as that workflow runs, minutes or days: a wait on an outside event.
 * The handle is told by its type when the client's types are installed, or else by where it comes
 * from (`const handle = client.workflow.getHandle(id)`, `await client.workflow.start(...)`).
 */
function isWorkflowResultWait(call: ts.CallExpression, ctx: ResolveContext): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (callee.name.text === 'execute') return ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'workflow' && call.arguments.length === 2;
  if (callee.name.text !== 'result' || call.arguments.length !== 0) return false;
  const checker = ctx.index.checkerFor(call.getSourceFile().fileName);
  const typeName = checker?.getTypeAtLocation(receiver).getSymbol()?.getName() ?? checker?.getTypeAtLocation(receiver).aliasSymbol?.getName();
  if (typeName && /WorkflowHandle/.test(typeName)) return true;
  if (!ts.isIdentifier(receiver)) return false;
  const declaration = declarationOf(receiver, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  let source = skipOuterExpressions(declaration.initializer);
  if (ts.isAwaitExpression(source)) source = skipOuterExpressions(source.expression);
  if (!ts.isCallExpression(source)) return false;
  const made = skipOuterExpressions(source.expression);
  if (!ts.isPropertyAccessExpression(made)) return false;
  const owner = skipOuterExpressions(made.expression);
  const onWorkflowClient = ts.isPropertyAccessExpression(owner) && owner.name.text === 'workflow';
  return onWorkflowClient && (made.name.text === 'getHandle' || made.name.text === 'start' || made.name.text === 'signalWithStart');
}
