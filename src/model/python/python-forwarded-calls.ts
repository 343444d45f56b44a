// Sync code (a Django view, a Celery task) often runs an async client method through a bridge that
// takes the method as a value and forwards the remaining arguments to it:
//
//   async_to_sync(client.start_workflow)(MyWorkflow.run, payload, id=..., task_queue=...)
//   run_async(client.execute_workflow, MyWorkflow.run, payload, id=..., task_queue=...)
//
// where `run_async` is a project function whose body runs its first parameter with the rest of
// its arguments: `async_to_sync(func)(*args, **kwargs)`, `asyncio.run(func(*args, **kwargs))` or
// `loop.run_until_complete(func(*args, **kwargs))`. Such a call is the method's call, made with
// those arguments at the outer call's line; it returns the method's result (the bridge waits for
// the coroutine), and the method's failure is raised by the outer call.
//
// The helper is resolved and its body read (its name says nothing): each use of the parameter in
// it must be such a run with the helper's own `*args` and `**kwargs`, and one of them must be one
// of the three runners. The helper's other parameters take their own keywords; they are not
// forwarded.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { functionCalled } from './python-origins.js';
import { parameterName } from './python-local-values.js';
import { callArguments, descendantsInScope, namedChildrenOf, unparenthesize, type CallArguments } from './python-syntax.js';

export interface ForwardedCall {
  /** The function value the bridge runs (`client.start_workflow`). */
  target: PythonNode;
  /** The arguments it is run with. */
  args: CallArguments;
  /** The bridge as written (`async_to_sync`, `run_async`). */
  runner: string;
}

/** A client start or send as the rest of the Python front-end reads it: its call, and the bridge it runs through. */
export interface PythonStartCall {
  call: PythonNode;
  file: string;
  child: boolean;
  /** Set when `call` is a bridge that runs the start method passed to it as a value. */
  forwarded?: ForwardedCall;
}

/** The start method's callee: `client.start_workflow` (the value a bridge runs, or the call's own function). */
export function startCallee(start: PythonStartCall): PythonNode | null {
  return start.forwarded?.target ?? start.call.childForFieldName('function');
}

/** The arguments the start method receives. */
export function startArguments(start: PythonStartCall): CallArguments {
  return start.forwarded?.args ?? callArguments(start.call);
}

const ASYNC_TO_SYNC = 'asgiref.sync.async_to_sync';

interface Forwarder {
  /** The function parameter: the first one a caller passes (after a bound self). */
  name: string;
  /** Named parameters of the helper besides the function: keywords the helper keeps. */
  own: Set<string>;
}

const forwarders = new WeakMap<PythonModules, Map<number, Forwarder | null>>();

/** When `call` runs a function value with the rest of its arguments: that value and those arguments. */
export function forwardedCall(call: PythonNode, file: string, modules: PythonModules): ForwardedCall | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const inner = unparenthesize(callee);
  // async_to_sync(client.start_workflow)(...)
  if (inner.type === 'call') {
    const runner = inner.childForFieldName('function');
    if (!runner || modules.qualifiedName(file, runner) !== ASYNC_TO_SYNC) return undefined;
    const innerArgs = callArguments(inner);
    const target = innerArgs.positional[0] ?? innerArgs.keywords.get('awaitable');
    if (!target || innerArgs.positional.length > 1 || innerArgs.starred) return undefined;
    return { target: unparenthesize(target), args: callArguments(call), runner: runner.text };
  }
  if (inner.type !== 'identifier' && inner.type !== 'attribute') return undefined;
  const helper = functionCalled(inner, file, modules);
  if (!helper) return undefined;
  const forwarder = forwarderOf(helper.fn, helper.file, helper.boundSelf, modules);
  if (!forwarder) return undefined;
  const args = callArguments(call);
  if (args.starred) return undefined;
  const target = args.positional[0] ?? args.keywords.get(forwarder.name);
  if (!target) return undefined;
  const keywords = new Map([...args.keywords].filter(([key]) => key !== forwarder.name && !forwarder.own.has(key)));
  return {
    target: unparenthesize(target),
    args: { positional: args.positional.slice(1), keywords, spreads: args.spreads, starred: false },
    runner: inner.text,
  };
}

/** The helper, when its body runs its function parameter with its own `*args` and `**kwargs`. */
function forwarderOf(fn: PythonNode, file: string, boundSelf: boolean, modules: PythonModules): Forwarder | undefined {
  let cache = forwarders.get(modules);
  if (!cache) forwarders.set(modules, (cache = new Map()));
  if (cache.has(fn.id)) return cache.get(fn.id) ?? undefined;
  const found = readForwarder(fn, file, boundSelf, modules);
  cache.set(fn.id, found ?? null);
  return found;
}

function readForwarder(fn: PythonNode, file: string, boundSelf: boolean, modules: PythonModules): Forwarder | undefined {
  if (fn.children.some((child) => child?.type === 'async')) return undefined;
  const parameters = fn.childForFieldName('parameters');
  const body = fn.childForFieldName('body');
  if (!parameters || !body) return undefined;
  const list = namedChildrenOf(parameters);
  const skip = boundSelf ? 1 : 0;
  const first = list[skip];
  // The function is the first parameter (after self), a plain one (no default: the caller passes it).
  if (!first || (first.type !== 'identifier' && first.type !== 'typed_parameter')) return undefined;
  const name = parameterName(first);
  if (!name) return undefined;
  let rest: string | undefined;
  let named: string | undefined;
  const own = new Set<string>();
  for (const parameter of list.slice(skip + 1)) {
    const kind = parameter.type === 'typed_parameter' ? (namedChildrenOf(parameter)[0]?.type ?? '') : parameter.type;
    if (kind === 'list_splat_pattern') rest = splatName(parameter);
    else if (kind === 'dictionary_splat_pattern') named = splatName(parameter);
    else if (kind === 'keyword_separator' || kind === 'positional_separator') continue;
    // A positional parameter before `*args` would take one of the forwarded arguments.
    else if (!rest) return undefined;
    else {
      const keyword = parameterName(parameter);
      if (keyword) own.add(keyword);
    }
  }
  if (!rest || !named) return undefined;
  const runs: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type !== 'identifier' || node.text !== name) return;
    const run = runOf(node, rest!, named!, file, modules);
    if (run) runs.push(run);
    else other = true;
  });
  if (other || runs.length === 0) return undefined;
  return { name, own };
}

function splatName(parameter: PythonNode): string | undefined {
  const pattern = parameter.type === 'typed_parameter' ? namedChildrenOf(parameter)[0] : parameter;
  const identifier = pattern ? namedChildrenOf(pattern).find((c) => c.type === 'identifier') : undefined;
  return identifier?.text;
}

/**
 * The use of the function parameter `use` as a run with the helper's own arguments:
 * `async_to_sync(func)(*args, **kwargs)`, `asyncio.run(func(*args, **kwargs))` or
 * `<loop>.run_until_complete(func(*args, **kwargs))`; the runner call, or undefined.
 */
function runOf(use: PythonNode, rest: string, named: string, file: string, modules: PythonModules): PythonNode | undefined {
  const parent = use.parent;
  if (parent?.type === 'call' && parent.childForFieldName('function')?.id === use.id) {
    // func(*args, **kwargs), handed to asyncio.run or run_until_complete
    if (!forwardsAll(parent, rest, named)) return undefined;
    const list = parent.parent;
    const runner = list?.type === 'argument_list' ? list.parent : undefined;
    const runnerCallee = runner?.type === 'call' ? runner.childForFieldName('function') : undefined;
    if (!runner || !runnerCallee || namedChildrenOf(list!)[0]?.id !== parent.id) return undefined;
    if (modules.qualifiedName(file, runnerCallee) === 'asyncio.run' || (runnerCallee.type === 'attribute' && runnerCallee.childForFieldName('attribute')?.text === 'run_until_complete')) return runner;
    return undefined;
  }
  // async_to_sync(func)(*args, **kwargs)
  const list = parent?.type === 'argument_list' ? parent : undefined;
  const wrap = list?.parent;
  const wrapper = wrap?.type === 'call' ? wrap.childForFieldName('function') : undefined;
  if (!wrap || !wrapper || namedChildrenOf(list!).length !== 1 || modules.qualifiedName(file, wrapper) !== ASYNC_TO_SYNC) return undefined;
  const outer = wrap.parent;
  if (outer?.type !== 'call' || outer.childForFieldName('function')?.id !== wrap.id || !forwardsAll(outer, rest, named)) return undefined;
  return outer;
}

/** The call's arguments are exactly `*rest, **named`. */
function forwardsAll(call: PythonNode, rest: string, named: string): boolean {
  const list = call.childForFieldName('arguments');
  const items = list ? namedChildrenOf(list) : [];
  if (items.length !== 2) return false;
  const [first, second] = items;
  return first?.type === 'list_splat' && namedChildrenOf(first)[0]?.text === rest && second?.type === 'dictionary_splat' && namedChildrenOf(second)[0]?.text === named;
}
