// The Python activities' failure handling facts (python-activity-failures.ts) of one kind, each
// with the retry attempts of the proxies that schedule its activity: what activity-failure-returned
// and activity-failure-swallowed report on a Python model.

import type { PythonModel } from '../../model/python/build-python-model.js';
import type { PythonActivityFailure } from '../../model/python/python-activity-failures.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { attemptsOf, implementationsWithProxies } from './scheduled-implementations.js';

export function pythonActivityFailuresWithAttempts(model: PythonModel, kind: PythonActivityFailure['kind']): { failure: PythonActivityFailure; attempts: (number | undefined)[] }[] {
  const found: { failure: PythonActivityFailure; attempts: (number | undefined)[] }[] = [];
  const failures = (model.activityFailures ?? []).filter((failure) => failure.kind === kind);
  if (failures.length === 0) return found;
  const reported = new Set<string>();
  for (const [implementation, reviews] of implementationsWithProxies(model as unknown as TemporalModel)) {
    const attempts = reviews.map(attemptsOf);
    if (attempts.every((a) => a === 1)) continue; // nothing would be retried anyway
    for (const failure of failures) {
      if (failure.activity !== implementation.name || failure.activityLocation.file !== implementation.location.file || failure.activityLocation.line !== implementation.location.line) continue;
      const key = `${failure.location.file}:${failure.location.line}`;
      if (reported.has(key)) continue;
      reported.add(key);
      found.push({ failure, attempts });
    }
  }
  return found;
}
