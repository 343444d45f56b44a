// The proxy-to-implementation join is language-neutral (src/model/activity-uses.ts); this keeps
// the TypeScript model's callers typed with its own ActivityImplementation.

import { scheduledActivities as scheduledFacts } from '../../activity-uses.js';
import type { ActivityImplementation, TemporalModel } from '../types.js';

export { activityUsesOf, implementationsUsedBy, thrownErrorTypes, type ActivityUse } from '../../activity-uses.js';

/** See the neutral scheduledActivities: the implementations of a TypeScript model are its own. */
export function scheduledActivities(model: TemporalModel): Set<ActivityImplementation> {
  return scheduledFacts(model) as Set<ActivityImplementation>;
}
