// The activity calls of a model that no worker registers, whatever the language: the join lives in
// src/model/activity-registration.ts; TypeScript reads a worker's `activities` object itself,
// Python front-ends name the registered activity types on each worker.

import { activitiesOnNoWorker, declaredActivityNames, unregisteredActivities, type ActivityOnNoWorker, type UnregisteredActivity } from '../../model/activity-registration.js';
import { registeredActivityKeys, unregisteredActivities as unregisteredTypeScriptActivities } from '../../model/typescript/activity-registration.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel } from '../../model/types.js';

export function unregisteredActivityCalls(model: CodeModel): UnregisteredActivity[] {
  return model.language === 'python' ? unregisteredActivities(model, declaredActivityNames) : unregisteredTypeScriptActivities(model as TemporalModel);
}

/** The activity types the code defines that no worker registers (see the neutral module), whatever the language. */
export function activitiesRegisteredOnNoWorker(model: CodeModel): Map<string, ActivityOnNoWorker> {
  return model.language === 'python' ? activitiesOnNoWorker(model, declaredActivityNames) : activitiesOnNoWorker(model as TemporalModel, registeredActivityKeys);
}
