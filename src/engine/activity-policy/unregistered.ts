// The activity calls of a model that no worker registers, whatever the language: the join lives in
// src/model/activity-registration.ts; TypeScript reads a worker's `activities` object itself,
// Python front-ends name the registered activity types on each worker.

import { declaredActivityNames, unregisteredActivities, type UnregisteredActivity } from '../../model/activity-registration.js';
import { unregisteredActivities as unregisteredTypeScriptActivities } from '../../model/typescript/activity-registration.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel } from '../../model/types.js';

export function unregisteredActivityCalls(model: CodeModel): UnregisteredActivity[] {
  return model.language === 'python' ? unregisteredActivities(model, declaredActivityNames) : unregisteredTypeScriptActivities(model as TemporalModel);
}
