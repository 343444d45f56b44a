// The TypeScript side of activity registration: a worker registers the own keys of its
// `activities` object. The join of workflows, task queues and workers is language-neutral
// (src/model/activity-registration.ts).

import * as neutral from '../activity-registration.js';
import type { TemporalModel, WorkerDefinition } from './types.js';
import type { Diagnostic } from '../../engine/types.js';

export type UnregisteredActivity = neutral.UnregisteredActivity<WorkerDefinition>;

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
  return neutral.workersWithUnknownActivities(model, registeredActivityKeys);
}

/** Activity calls of registered workflows that no worker registers (see the neutral module). */
export function unregisteredActivities(model: RegistrationModel): UnregisteredActivity[] {
  return neutral.unregisteredActivities(model, registeredActivityKeys);
}

/** A note per worker whose activity set is unknown, when some registered workflow schedules activities. */
export function reportUnknownActivitySets(model: RegistrationModel, root: string, diagnostics: Diagnostic[]): void {
  neutral.reportUnknownActivitySets(model, registeredActivityKeys, root, diagnostics);
}
