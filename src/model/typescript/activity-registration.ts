// Which activity types the workflows schedule that no worker registers. A worker registers the
// own keys of its `activities` object; a workflow's proxy schedules on the proxy's taskQueue, or on
// the task queue of the worker running the workflow when the proxy sets none. An activity task no
// polling worker can run fails with "Activity function X is not registered on this Worker" and is
// retried like any failure. Decided only when every worker's activity set is known: one worker
// whose activities come from a value the model cannot read may register anything.

import { relativePath } from './locate.js';
import type { ActivityProxy, ActivityTypeUse, StaticValue, TemporalModel, WorkerDefinition } from './types.js';
import type { Diagnostic } from '../../engine/types.js';

export interface UnregisteredActivity {
  use: ActivityTypeUse;
  proxy: ActivityProxy;
  workflowNames: string[];
  /** The workers that poll the task queue the activity is scheduled on. */
  workers: WorkerDefinition[];
}

type RegistrationModel = Pick<TemporalModel, 'workers' | 'workflows' | 'activityProxies' | 'parseErrors'>;

/** The own keys of the worker's `activities` object, or 'unknown' when any of it is not read. */
export function registeredActivityKeys(worker: WorkerDefinition): string[] | 'unknown' {
  if (worker.framework || worker.options.kind !== 'object') return 'unknown';
  // A spread whose type names its keys (`...workflowOption()` giving workflowsPath or workflowBundle) cannot set activities.
  if (worker.options.unknownSpreads.some((spread) => !spread.keys || spread.keys.includes('activities'))) return 'unknown';
  const activities = worker.options.properties.get('activities');
  if (!activities || activities.kind === 'undefined') return [];
  if (activities.kind !== 'object' || activities.unknownSpreads.length > 0) return 'unknown';
  return [...activities.properties.keys(), ...(activities.maybeProperties?.keys() ?? [])];
}

/** Workers whose activity set the model could not read (each may register any activity). */
export function workersWithUnknownActivities(model: RegistrationModel): WorkerDefinition[] {
  return model.workers.filter((worker) => registeredActivityKeys(worker) === 'unknown');
}

/**
 * Activity calls of registered workflows that no worker registers. Empty unless every worker's
 * activity set is known and the code parses (a file that does not parse may hold a registration).
 */
export function unregisteredActivities(model: RegistrationModel): UnregisteredActivity[] {
  if (model.workers.length === 0 || model.parseErrors.length > 0 || workersWithUnknownActivities(model).length > 0) return [];
  const registered = new Set(model.workers.flatMap((worker) => registeredActivityKeys(worker) as string[]));
  const found: UnregisteredActivity[] = [];
  for (const proxy of model.activityProxies) {
    if (proxy.kind !== 'remote' || proxy.usedActivityTypes === 'all') continue;
    const workflows = model.workflows.filter((workflow) => proxy.workflowNames.includes(workflow.name) && workflow.workerIds.length > 0);
    if (workflows.length === 0) continue;
    const workers = pollingWorkers(proxy, workflows.flatMap((workflow) => workflow.workerIds), model.workers);
    if (workers.length === 0) continue; // a queue no worker here polls: its worker lives elsewhere
    const seen = new Set<string>();
    for (const use of proxy.usedActivityTypes) {
      if (registered.has(use.name) || seen.has(use.name)) continue;
      seen.add(use.name);
      found.push({ use, proxy, workflowNames: workflows.map((workflow) => workflow.name), workers });
    }
  }
  return found;
}

/** The workers polling the queue the proxy schedules on: its literal taskQueue, else the workflows' own workers. */
function pollingWorkers(proxy: ActivityProxy, workflowWorkerIds: string[], workers: WorkerDefinition[]): WorkerDefinition[] {
  const queue = proxy.options.kind === 'object' ? proxy.options.properties.get('taskQueue') : undefined;
  if (proxy.options.kind !== 'object' || proxy.options.unknownSpreads.length > 0) return [];
  if (!queue || queue.kind === 'undefined') return workers.filter((worker) => workflowWorkerIds.includes(worker.id));
  if (queue.kind !== 'string') return [];
  return workers.filter((worker) => sameString(worker.taskQueue, queue.value));
}

function sameString(value: StaticValue | undefined, expected: string): boolean {
  return value?.kind === 'string' && value.value === expected;
}

/** A note per worker whose activity set is unknown, when some registered workflow schedules activities. */
export function reportUnknownActivitySets(model: RegistrationModel, root: string, diagnostics: Diagnostic[]): void {
  const schedules = model.activityProxies.some((proxy) => proxy.workflowNames.length > 0);
  if (!schedules) return;
  for (const worker of workersWithUnknownActivities(model)) {
    const file = relativePath(root, worker.location.file);
    diagnostics.push({
      kind: 'note',
      file,
      line: worker.location.line,
      message: `${file}:${worker.location.line}: the activities this worker registers could not be read statically, so whether every scheduled activity is registered on a worker was not checked (activity-not-registered).`,
    });
  }
}
