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

/** Marks each activity sync or async and where it first reacts to cancellation (null: never). */
export function addActivityConcurrencyFacts(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    const sync = !isAsyncFunction(activity.node);
    activity.sync = sync;
    activity.cancellation = sync ? threadCancellation(activity, modules) : firstAwait(activity);
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
      object.properties.set(supplier, { kind: 'object', properties: new Map([['numSlots', numSlots]]), unknownSpreads: [], location: numSlots.location });
    }
    worker.options.properties.set('tuner', object);
  }
}
