// What the capacity checks need of a Python worker beyond its keyword arguments: how its
// activities react to cancellation on shutdown, which of them are sync (`def`) functions that
// need an activity_executor, and the slot counts a `WorkerTuner.create_fixed(...)` tuner gives.
// Facts from temporalio 1.35.0 (test/model/python/python-sdk-capacity-facts.test.ts): after
// graceful_shutdown_timeout the worker cancels its running activities; an async activity gets
// asyncio's CancelledError at its next await, a sync one on a thread pool gets
// temporalio.exceptions.CancelledError raised in its thread (unless
// `@activity.defn(no_thread_cancel_exception=True)`).

import type { SourceLocation, StaticObject, StaticValue } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, decoratorsOf, descendantsInScope, isAsyncFunction, locateNode } from './python-syntax.js';
import type { PythonWorker } from './python-temporal-calls.js';
import { resolvePythonValue } from './python-values.js';

/**
 * Marks each activity sync or async, where it first reacts to cancellation (null: never) and
 * whether its body reads the previous attempt's heartbeat details (`activity.info().heartbeat_details`).
 */
export function addActivityConcurrencyFacts(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    const sync = !isAsyncFunction(activity.node);
    activity.sync = sync;
    activity.cancellation = sync ? threadCancellation(activity, modules) : firstAwait(activity);
    activity.readsHeartbeatDetails = activity.node.descendantsOfType('attribute').some((a) => a?.childForFieldName('attribute')?.text === 'heartbeat_details');
  }
}

function firstAwait(activity: PythonActivity): SourceLocation | null {
  const body = activity.node.childForFieldName('body');
  let found: PythonNode | undefined;
  if (body) {
    descendantsInScope(body, (node) => {
      if (found) return;
      const awaits = node.type === 'await' || ((node.type === 'for_statement' || node.type === 'with_statement') && node.children.some((c) => c?.type === 'async'));
      if (awaits) found = node;
    });
  }
  return found ? locateNode(activity.file, found) : null;
}

/** The SDK raises CancelledError in the thread of a sync activity unless the decorator opts out. */
function threadCancellation(activity: PythonActivity, modules: PythonModules): SourceLocation | null {
  const decorator = decoratorsOf(activity.node).find((d) => modules.qualifiedName(activity.file, d.expression) === 'temporalio.activity.defn');
  const optOut = decorator?.call ? callArguments(decorator.call).keywords.get('no_thread_cancel_exception') : undefined;
  if (optOut?.type === 'true') return null;
  return activity.location;
}

/**
 * `tuner=WorkerTuner.create_fixed(activity_slots=n, ...)` read as the slot suppliers the capacity
 * checks know (`activityTaskSlotSupplier.numSlots`); a slot count it leaves out is 100 (the SDK's
 * `create_fixed` default). Other tuners stay as they are: set, sizes unknown.
 */
export function readWorkerTuners(workers: PythonWorker[], modules: PythonModules): void {
  for (const worker of workers) {
    if (worker.options.kind !== 'object') continue;
    const tuner = worker.options.properties.get('tuner');
    const node = tuner?.kind === 'unknown' ? (tuner.node as PythonNode | undefined) : undefined;
    if (!tuner || !node || node.type !== 'call') continue;
    const callee = node.childForFieldName('function');
    const file = tuner.location.file;
    if (!callee || modules.qualifiedName(file, callee) !== 'temporalio.worker.WorkerTuner.create_fixed') continue;
    const args = callArguments(node);
    const object: StaticObject = { kind: 'object', properties: new Map(), unknownSpreads: [], location: tuner.location };
    for (const [keyword, supplier] of [
      ['workflow_slots', 'workflowTaskSlotSupplier'],
      ['activity_slots', 'activityTaskSlotSupplier'],
      ['local_activity_slots', 'localActivityTaskSlotSupplier'],
    ] as const) {
      const given = args.keywords.get(keyword);
      const numSlots: StaticValue = given ? resolvePythonValue(given, file, modules) : { kind: 'number', value: 100, location: tuner.location };
      const type: StaticValue = { kind: 'string', value: 'fixed-size', location: tuner.location };
      object.properties.set(supplier, { kind: 'object', properties: new Map([['type', type], ['numSlots', numSlots]]), unknownSpreads: [], location: numSlots.location });
    }
    worker.options.properties.set('tuner', object);
  }
}

/**
 * `activity_executor=pool` where `pool` is a local bound by `with ThreadPoolExecutor(...) as pool:`
 * or `pool = ThreadPoolExecutor(...)` in the function that builds the Worker: the option is read as
 * the executor expression itself, so the capacity checks see its max_workers.
 */
export function readActivityExecutors(workers: PythonWorker[], modules: PythonModules): void {
  for (const worker of workers) {
    if (worker.options.kind !== 'object') continue;
    const option = worker.options.properties.get('activity_executor');
    const node = option?.kind === 'unknown' ? (option.node as PythonNode | undefined) : undefined;
    if (!option || node?.type !== 'identifier') continue;
    const bound = boundExecutor(node);
    if (bound) worker.options.properties.set('activity_executor', { kind: 'unknown', text: bound.text, node: bound, location: locateNode(option.location.file, bound) });
  }
}

/** The one expression a local name is bound to by a `with ... as name` item or an assignment in its function. */
function boundExecutor(name: PythonNode): PythonNode | undefined {
  let fn: PythonNode | null = name.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'module') fn = fn.parent;
  if (!fn) return undefined;
  const values: PythonNode[] = [];
  for (const use of fn.descendantsOfType('identifier')) {
    if (use?.text !== name.text || !use.parent) continue;
    const parent = use.parent;
    if (parent.type === 'as_pattern_target') {
      const item = parent.parent;
      const value = item?.type === 'as_pattern' ? item.namedChildren.find((c) => c?.type !== 'as_pattern_target') : undefined;
      if (!value) return undefined;
      values.push(value);
    } else if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) {
      const right = parent.childForFieldName('right');
      if (!right) return undefined;
      values.push(right);
    }
  }
  return values.length === 1 ? values[0] : undefined;
}

const RUN_ONE = new Set(['execute_workflow', 'start_workflow']);

/**
 * `async with Worker(client, task_queue=q, ...):` whose block executes one workflow on the same
 * task queue and awaits it (`await client.execute_workflow(..., task_queue=q)`, or
 * `start_workflow` then `await handle.result()`): the worker lives only for that run, as a
 * TypeScript per-run worker does (a script, a repro, a CLI command).
 */
export function markPerRunWorkers(workers: PythonWorker[], modules: PythonModules): void {
  for (const worker of workers) {
    const file = worker.location.file;
    const call = modules.files.get(file)?.tree.rootNode.descendantForPosition({ row: worker.location.line - 1, column: worker.location.column - 1 });
    const workerCall = call && enclosingCall(call);
    const item = workerCall?.parent?.type === 'as_pattern' ? workerCall.parent.parent : workerCall?.parent;
    const clause = item?.type === 'with_item' ? item.parent : undefined;
    const statement = clause?.type === 'with_clause' ? clause.parent : undefined;
    if (!workerCall || statement?.type !== 'with_statement') continue;
    const queue = callArguments(workerCall).keywords.get('task_queue')?.text;
    const body = statement.childForFieldName('body');
    if (!queue || !body) continue;
    const starts = body.descendantsOfType('call').filter((c): c is PythonNode => {
      const callee = c?.childForFieldName('function');
      return callee?.type === 'attribute' && RUN_ONE.has(callee.childForFieldName('attribute')?.text ?? '') && callArguments(c!).keywords.get('task_queue')?.text === queue;
    });
    const start = starts[0];
    if (starts.length !== 1 || !start) continue;
    const method = start.childForFieldName('function')?.childForFieldName('attribute')?.text;
    const awaited = method === 'execute_workflow' ? isAwaited(start) : body.descendantsOfType('call').some((c) => c?.childForFieldName('function')?.childForFieldName('attribute')?.text === 'result');
    if (awaited) worker.ephemeral = { how: 'shutdown-after-result', location: locateNode(file, start) };
  }
}

/** asyncio wrappers that await the coroutine given as their first argument (a deadline or a shield around the one run). */
const AWAIT_WRAPPERS = new Set(['wait_for', 'shield']);

/**
 * The call's coroutine is awaited in place: `await call`, or `await asyncio.wait_for(call, ...)` /
 * `await asyncio.shield(call)` with the call as the wrapper's first argument.
 */
function isAwaited(call: PythonNode): boolean {
  let node: PythonNode = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  if (node.parent?.type === 'await') return true;
  const list = node.parent;
  if (list?.type !== 'argument_list' || list.namedChildren[0]?.id !== node.id) return false;
  const wrapper = list.parent;
  const callee = wrapper?.type === 'call' ? wrapper.childForFieldName('function') : undefined;
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
  return !!wrapper && !!name && AWAIT_WRAPPERS.has(name) && isAwaited(wrapper);
}

function enclosingCall(node: PythonNode): PythonNode | undefined {
  for (let current: PythonNode | null = node; current; current = current.parent) if (current.type === 'call') return current;
  return undefined;
}
