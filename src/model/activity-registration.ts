// Which activity types the workflows schedule that no worker registers, for a model of any
// language. A worker registers the activity types of its activity set (TypeScript: the own keys of
// its `activities` object; Python: the names of the functions in `activities=[...]`); a workflow's
// activity call schedules on its own task queue option, or on the task queue of the worker running
// the workflow when it sets none. An activity task no polling worker can run fails and is retried
// like any failure. Decided only when every worker's activity set is known: one worker whose
// activities come from a value the model cannot read may register anything.

import path from 'node:path';
import type { ActivityProxyFacts, ActivityTypeUse, CodeModel, StaticValue, WorkerFacts } from './types.js';
import type { Diagnostic } from '../engine/types.js';

export interface UnregisteredActivity<W extends WorkerFacts = WorkerFacts> {
  use: ActivityTypeUse;
  proxy: ActivityProxyFacts;
  workflowNames: string[];
  /** The workers that poll the task queue the activity is scheduled on. */
  workers: W[];
  /** Workers that do register it but that no deployment file or package script starts (WorkerFacts.notStarted). */
  unstartedRegistering: W[];
}

export interface RegistrationModel<W extends WorkerFacts = WorkerFacts> {
  workers: W[];
  workflows?: { name: string; workerIds: string[] }[];
  activityProxies: ActivityProxyFacts[];
  parseErrors: CodeModel['parseErrors'];
}

/** The activity types a worker registers, or 'unknown' when any of its activity set is not read. */
export type ActivityKeysOf<W extends WorkerFacts> = (worker: W) => string[] | 'unknown';

/** What a front-end that reads activity sets itself (Python) decided: the worker's activityNames. */
export const declaredActivityNames: ActivityKeysOf<WorkerFacts> = (worker) => worker.activityNames;

/** Workers whose activity set the model could not read (each may register any activity). */
export function workersWithUnknownActivities<W extends WorkerFacts>(model: RegistrationModel<W>, keysOf: ActivityKeysOf<W>): W[] {
  return model.workers.filter((worker) => keysOf(worker) === 'unknown');
}

/**
 * Activity calls of registered workflows that no worker registers. Empty unless every worker's
 * activity set is known and the code parses (a file that does not parse may hold a registration).
 * A worker that no deployment starts while another is started (WorkerFacts.notStarted) runs
 * nothing: what it registers does not count, and neither does it as a worker of the workflows. A
 * Python worker whose module cannot load runs the workflows of its list once the module loads.
 */
export function unregisteredActivities<W extends WorkerFacts>(model: RegistrationModel<W>, keysOf: ActivityKeysOf<W>): UnregisteredActivity<W>[] {
  const running = model.workers.filter((worker) => !worker.notStarted);
  if (running.length === 0 || model.parseErrors.length > 0 || workersWithUnknownActivities({ ...model, workers: running }, keysOf).length > 0) return [];
  const registered = new Set(running.flatMap((worker) => keysOf(worker) as string[]));
  const runningIds = new Set(running.map((worker) => worker.id));
  const workersOf = (workflow: { name: string; workerIds: string[] }) => [
    ...workflow.workerIds.filter((id) => runningIds.has(id)),
    ...running.filter((worker) => (worker as { workflowsOnceLoaded?: string[] }).workflowsOnceLoaded?.includes(workflow.name) && !workflow.workerIds.includes(worker.id)).map((worker) => worker.id),
  ];
  const found: UnregisteredActivity<W>[] = [];
  for (const proxy of model.activityProxies) {
    if (proxy.kind !== 'remote' || proxy.usedActivityTypes === 'all') continue;
    const workflows = (model.workflows ?? []).filter((workflow) => proxy.workflowNames.includes(workflow.name) && workersOf(workflow).length > 0);
    if (workflows.length === 0) continue;
    const workers = pollingWorkers(proxy, workflows.flatMap(workersOf), running);
    if (workers.length === 0) continue; // a queue no worker here polls: its worker lives elsewhere
    const seen = new Set<string>();
    for (const use of proxy.usedActivityTypes) {
      if (use.guessed || registered.has(use.name) || seen.has(use.name)) continue;
      seen.add(use.name);
      const unstartedRegistering = model.workers.filter((worker) => worker.notStarted && keysOf(worker) !== 'unknown' && (keysOf(worker) as string[]).includes(use.name));
      found.push({ use, proxy, workflowNames: workflows.map((workflow) => workflow.name), workers, unstartedRegistering });
    }
  }
  return found;
}

/** The workers polling the queue the proxy schedules on: its literal taskQueue, else the workflows' own workers. */
export function pollingWorkers<W extends WorkerFacts>(proxy: ActivityProxyFacts, workflowWorkerIds: string[], workers: W[]): W[] {
  const queue = proxy.options.kind === 'object' ? proxy.options.properties.get('taskQueue') : undefined;
  if (proxy.options.kind !== 'object' || proxy.options.unknownSpreads.length > 0) return [];
  if (!queue || queue.kind === 'undefined' || queue.kind === 'null') return workers.filter((worker) => workflowWorkerIds.includes(worker.id));
  if (queue.kind !== 'string') return [];
  return workers.filter((worker) => sameString(worker.taskQueue, queue.value));
}

function sameString(value: StaticValue | undefined, expected: string): boolean {
  return value?.kind === 'string' && value.value === expected;
}

/** A note per worker whose activity set is unknown, when some registered workflow schedules activities. */
export function reportUnknownActivitySets<W extends WorkerFacts>(model: RegistrationModel<W>, keysOf: ActivityKeysOf<W>, root: string, diagnostics: Diagnostic[]): void {
  const schedules = model.activityProxies.some((proxy) => proxy.workflowNames.length > 0);
  if (!schedules) return;
  for (const worker of workersWithUnknownActivities(model, keysOf)) {
    const relative = path.relative(root, worker.location.file);
    const file = (path.isAbsolute(relative) ? worker.location.file : relative).split(path.sep).join('/');
    diagnostics.push({
      kind: 'note',
      file,
      line: worker.location.line,
      message: `${file}:${worker.location.line}: the activities this worker registers could not be read statically, so whether every scheduled activity is registered on a worker was not checked (activity-not-registered).`,
    });
  }
}

/** An activity the code defines that no worker registers: the code never runs as an activity. */
export interface ActivityOnNoWorker {
  name: string;
  /** activity-not-registered reports a call of it (a registered workflow schedules it). */
  reported: boolean;
  /** Some workflow code schedules it by this name. */
  scheduled: boolean;
}

/**
 * The activity types that the code defines (`model.activities`) and that no worker's activity set
 * registers, by name. Empty unless there is a worker, every worker's activity set is read to the
 * end and the code parses: one worker whose activities the model cannot read may register anything.
 * A worker counts however it is run (a worker that never starts still says what the code means to register).
 */
export function activitiesOnNoWorker<W extends WorkerFacts>(
  model: RegistrationModel<W> & { activities: { name: string }[]; gaps?: CodeModel['gaps'] },
  keysOf: ActivityKeysOf<W>,
): Map<string, ActivityOnNoWorker> {
  const found = new Map<string, ActivityOnNoWorker>();
  if (model.workers.length === 0 || model.parseErrors.length > 0 || (model.gaps ?? []).some((gap) => gap.cause === 'parse-error')) return found;
  if (workersWithUnknownActivities(model, keysOf).length > 0) return found;
  const registered = new Set(model.workers.flatMap((worker) => keysOf(worker) as string[]));
  if (registered.size === 0) return found;
  const reported = new Set(unregisteredActivities(model, keysOf).map((missing) => missing.use.name));
  const scheduled = new Set(model.activityProxies.flatMap((proxy) => (proxy.usedActivityTypes === 'all' ? [] : proxy.usedActivityTypes.map((use) => use.name))));
  // a proxy passed on whole may schedule any of them
  const wholeProxy = model.activityProxies.some((proxy) => proxy.usedActivityTypes === 'all');
  for (const activity of model.activities) {
    if (registered.has(activity.name) || found.has(activity.name)) continue;
    found.set(activity.name, { name: activity.name, reported: reported.has(activity.name), scheduled: wholeProxy || scheduled.has(activity.name) });
  }
  return found;
}
