// Builds the generators' ProjectFacts from a Python model, the same facts collect-project-facts.ts
// reads from a TypeScript one: workflow types as the server sees them (@workflow.defn(name=...) or
// the class name), the task queues of the workers that register them, the activities each
// schedules (one workflow.execute_activity call is one "proxy" with its keyword options) and the
// search attributes they are started with. Python's PrometheusConfig exports with the same
// defaults as the TypeScript SDK (no _total, no unit suffix, milliseconds); options set on it are
// not read yet, so the defaults are used.

import path from 'node:path';
import type { PreflightConfig } from '../engine/config.js';
import { parseDuration } from '../engine/duration.js';
import type { PythonModel } from '../model/python/build-python-model.js';
import type { WorkflowFacts as ModelWorkflow } from '../model/types.js';
import { activityFacts, projectName, stringOption, type ActivityCall, type CollectOptions } from './collect-project-facts.js';
import { DEFAULT_EXPORT_OPTIONS } from './metric-names.js';
import type { ProjectFacts, SearchAttributeFacts, WorkflowFacts } from './project-facts.js';

export function collectPythonFacts(model: PythonModel, config: PreflightConfig, options: CollectOptions = {}): ProjectFacts {
  const workflows = [...model.workflows].sort((a, b) => a.name.localeCompare(b.name)).map((w) => workflowFacts(w, model));
  const queues = new Set<string>();
  for (const worker of model.workers) if (worker.taskQueue?.kind === 'string') queues.add(worker.taskQueue.value);
  for (const w of workflows) {
    w.taskQueues.forEach((q) => queues.add(q));
    w.activities.forEach((a) => a.taskQueue && queues.add(a.taskQueue));
  }
  return {
    projectName: projectName(model.root),
    metricExport: { ...DEFAULT_EXPORT_OPTIONS },
    scheduleToStartTargetMs: parseDuration(config.targets.scheduleToStartP99) ?? 500,
    runbookBase: (options.runbookBase ?? config.runbooks.dir).replace(/\/+$/, ''),
    workflows,
    taskQueues: [...queues].sort(),
  };
}

function workflowFacts(workflow: ModelWorkflow, model: PythonModel): WorkflowFacts {
  const hosts = model.workers.filter((w) => workflow.workerIds.includes(w.id));
  let taskQueues = [...new Set(hosts.flatMap((w) => (w.taskQueue?.kind === 'string' ? [w.taskQueue.value] : [])))];
  const starts = model.starts.filter((s) => s.workflowType === workflow.name);
  if (taskQueues.length === 0) taskQueues = [...new Set(starts.flatMap((s) => stringOption(s.options, 'taskQueue', model) ?? []))];
  taskQueues.sort();
  const attributes = new Map<string, SearchAttributeFacts>();
  for (const start of starts) {
    for (const attribute of start.searchAttributes?.attributes ?? []) {
      if (!attributes.has(attribute.name) || attributes.get(attribute.name)!.type === null) attributes.set(attribute.name, attribute);
    }
  }
  return {
    name: workflow.name,
    file: path.relative(model.root, workflow.file).split(path.sep).join('/'),
    line: workflow.location.line,
    taskQueues,
    activities: activityCalls(workflow.name, model).map((call) => activityFacts(call, taskQueues[0] ?? null, model)),
    searchAttributes: [...attributes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    // Business failures (ApplicationError types) are not collected from Python workflow code yet.
    failureTypes: [],
    language: 'python',
  };
}

/** One entry per activity type, with the options of its first call; a type scheduled in a history-growing loop counts as repeated. */
function activityCalls(workflowType: string, model: PythonModel): ActivityCall[] {
  const byType = new Map<string, ActivityCall>();
  const inLoop = new Set(
    (model.payloadFacts?.historyLoops ?? [])
      .filter((loop) => loop.workflow === workflowType)
      .flatMap((loop) => loop.growth.filter((g) => g.kind === 'activity').map((g) => g.name)),
  );
  const calls = model.activityProxies
    .filter((proxy) => proxy.workflowNames.includes(workflowType))
    .sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
  for (const proxy of calls) {
    const types = proxy.usedActivityTypes === 'all' ? proxy.exposedActivityTypes : proxy.usedActivityTypes.map((use) => use.name);
    for (const activityType of new Set(types)) {
      const known = byType.get(activityType);
      if (known) {
        if (known.count !== 'unknown') known.count += 1;
        continue;
      }
      byType.set(activityType, { activityType, proxy, count: inLoop.has(activityType) ? 'unknown' : 1 });
    }
  }
  return [...byType.values()].sort((a, b) => a.activityType.localeCompare(b.activityType));
}
