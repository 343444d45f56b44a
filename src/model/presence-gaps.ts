// Whether the review saw a worker and a workflow at all. Each front-end says so for its own
// language (a TypeScript project that starts workflows but never creates a worker cannot have its
// worker capacity reviewed); the review as a whole decides, because one code base often holds
// both: a TypeScript script that starts the workflows of a Python worker has no worker of its own,
// and that is no gap when the Python worker is in the same review.

import type { CodeModel, ModelGap } from './types.js';

/** The gaps of every model, less the "none found" ones another language's model answers. */
export function reviewGaps(models: readonly CodeModel[]): { model: CodeModel; gap: ModelGap }[] {
  const out: { model: CodeModel; gap: ModelGap }[] = [];
  for (const model of models) {
    const others = models.filter((other) => other !== model);
    // a model assembled by hand (a test, an embedding tool) may come without its gaps
    for (const gap of model.gaps ?? []) {
      if (gap.cause === 'no-worker' && others.some((other) => other.workers.length > 0)) continue;
      if (gap.cause === 'no-workflow' && others.some((other) => (other.workflows?.length ?? 0) > 0)) continue;
      out.push({ model, gap });
    }
  }
  return out;
}

/** What the Python model holds that decides its "none found" gaps. */
export interface PythonPresence {
  workflows: number;
  activities: number;
  activityCalls: number;
  starts: number;
  /** Per worker: the workflow types it registers, or 'unknown' when the list was not read. */
  workers: (string[] | 'unknown')[];
}

/** The Python front-end's "none found" gaps: code that runs Temporal without a worker, workers whose workflow classes were not found. */
export function pythonPresenceGaps(presence: PythonPresence): ModelGap[] {
  const gaps: ModelGap[] = [];
  const runsTemporal = presence.workflows + presence.activities + presence.activityCalls + presence.starts > 0;
  if (presence.workers.length === 0 && runsTemporal) {
    gaps.push({
      areas: ['capacity', 'observability'],
      message:
        'No worker found: the reviewed Python code never creates a temporalio Worker(...), so worker slots, shutdown and metrics were not reviewed. ' +
        'Review the directory that holds the worker.',
      cause: 'no-worker',
    });
  }
  const expectsWorkflows = presence.workers.some((names) => names === 'unknown' || names.length > 0) || (presence.workers.length === 0 && presence.starts > 0);
  if (presence.workflows === 0 && expectsWorkflows) {
    gaps.push({
      areas: ['determinism', 'payloads'],
      message:
        'No workflow found: ' +
        (presence.workers.length > 0 ? 'the workers register workflows, but no @workflow.defn class was found in the reviewed code' : 'the code starts workflows, but no @workflow.defn class was found in the reviewed code') +
        ', so workflow code was not reviewed for determinism or payloads. Review the directory that holds the workflows.',
      cause: 'no-workflow',
    });
  }
  return gaps;
}
