// What the review saw, counted: the line every report carries so a reader can tell a clean review
// of the whole application from a review that found one file.

import { workerTaskQueue } from '../model/typescript/observability/worker-options.js';
import type { PythonModel } from '../model/python/build-python-model.js';
import type { TemporalModel } from '../model/typescript/types.js';
import type { ReviewInventory } from './types.js';

/** Counts what the models saw; a mixed repository counts its TypeScript and its Python code together. */
export function inventoryOf(models: (TemporalModel | PythonModel | undefined)[], historiesParsed: number): ReviewInventory {
  const seen = models.filter((m): m is TemporalModel | PythonModel => Boolean(m));
  const queues = new Set<string>();
  const workflows = new Set<string>();
  const activities = new Set<string>();
  let files = 0;
  let proxies = 0;
  let workers = 0;
  let starts = 0;
  for (const model of seen) {
    // tolerant of partial models (tests build them by hand): a missing list counts as empty
    for (const worker of model.workers ?? []) {
      // workerTaskQueue reads a Python worker's own task_queue value itself
      const queue = workerTaskQueue(worker as TemporalModel['workers'][number], model as TemporalModel);
      if (queue) queues.add(queue);
    }
    for (const start of model.starts ?? []) {
      const queue = start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
      if (queue?.kind === 'string') queues.add(queue.value);
    }
    for (const workflow of model.workflows ?? []) workflows.add(workflow.name);
    for (const activity of model.activities ?? []) activities.add(activity.name);
    files += model.files?.length ?? 0;
    proxies += model.activityProxies?.length ?? 0;
    workers += model.workers?.length ?? 0;
    starts += model.starts?.length ?? 0;
  }
  return { files, workflows: workflows.size, activities: activities.size, proxies, workers, taskQueues: queues.size, starts, histories: historiesParsed };
}
