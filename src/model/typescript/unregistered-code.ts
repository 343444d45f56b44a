// Workflow code that no worker can run: a file outside what every worker's workflow modules reach
// by value imports. An activity proxy there schedules nothing until a worker registers the
// workflow that uses it (workflow-not-registered reports the starts of such a workflow).

import type { TemporalModel } from './types.js';

/**
 * True only when the workers' workflow sets are fully known (every worker's workflow module was
 * located, at least one worker registers a workflow, no workflow code failed to parse) and none
 * of them reaches the file.
 */
export function runsInNoWorker(model: TemporalModel, file: string): boolean {
  if (model.language === 'python' || model.workers.length === 0) return false;
  if (model.workers.some((worker) => worker.workflowsUnresolved)) return false;
  if (!model.workflows.some((workflow) => workflow.workerIds.length > 0)) return false;
  if (model.gaps.some((gap) => gap.cause === 'parse-error')) return false;
  return !model.workflowFiles.has(file);
}
