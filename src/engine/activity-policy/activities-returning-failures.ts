// The activities that activity-failure-returned reports, in either language: each implementation
// that catches every error of the work it awaits and returns a failure value instead of failing,
// with where that return is. A workflow's catch around such an activity never receives those
// failures (workflow-failure-swallowed reads this): only the activity's timeouts, a cancellation or
// an error outside the caught work can still fail the call.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import { locate } from '../../model/typescript/locate.js';
import { activityReturnedFailures } from '../../model/typescript/activity-failures-returned.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { ActivityImplementationFacts, CodeModel, SourceLocation } from '../../model/types.js';
import { pythonActivityFailuresWithAttempts } from './python-activity-failures.js';
import { attemptsOf, implementationsWithProxies } from './scheduled-implementations.js';

const cache = new WeakMap<CodeModel, Map<ActivityImplementationFacts, SourceLocation>>();

/** Implementation -> the return in its catch (except clause) that activity-failure-returned reports. */
export function activitiesReturningFailures(model: CodeModel): Map<ActivityImplementationFacts, SourceLocation> {
  const cached = cache.get(model);
  if (cached) return cached;
  const found = new Map<ActivityImplementationFacts, SourceLocation>();
  const python = pythonModelOf(model);
  if (python) {
    for (const { failure } of pythonActivityFailuresWithAttempts(python, 'returned')) {
      const implementation = model.activities.find(
        (activity) => activity.name === failure.activity && activity.location.file === failure.activityLocation.file && activity.location.line === failure.activityLocation.line,
      );
      if (implementation && !found.has(implementation)) found.set(implementation, failure.location);
    }
  } else {
    const typescript = model as TemporalModel;
    for (const [implementation, reviews] of implementationsWithProxies(typescript)) {
      if (reviews.map(attemptsOf).every((a) => a === 1)) continue; // activity-failure-returned leaves these alone
      const site = activityReturnedFailures(implementation, typescript).find((failure) => !failure.synchronous);
      if (site) found.set(implementation, locate(site.returned));
    }
  }
  cache.set(model, found);
  return found;
}
