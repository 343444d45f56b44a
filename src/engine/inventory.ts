// What the review saw, counted: the line every report carries so a reader can tell a clean review
// of the whole application from a review that found one file.

import { workerTaskQueue } from '../model/typescript/observability/worker-options.js';
import type { TemporalModel } from '../model/typescript/types.js';
import type { ReviewInventory } from './types.js';

export function inventoryOf(model: TemporalModel | undefined, historiesParsed: number): ReviewInventory {
  // tolerant of partial models (tests build them by hand): a missing list counts as empty
  const workers = model?.workers ?? [];
  const starts = model?.starts ?? [];
  const queues = new Set<string>();
  for (const worker of workers) {
    const queue = workerTaskQueue(worker, model!);
    if (queue) queues.add(queue);
  }
  for (const start of starts) {
    const queue = start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
    if (queue?.kind === 'string') queues.add(queue.value);
  }
  return {
    files: model?.files?.length ?? 0,
    workflows: new Set((model?.workflows ?? []).map((w) => w.name)).size,
    activities: new Set((model?.activities ?? []).map((a) => a.name)).size,
    proxies: model?.activityProxies?.length ?? 0,
    workers: workers.length,
    taskQueues: queues.size,
    starts: starts.length,
    histories: historiesParsed,
  };
}
