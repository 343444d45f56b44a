// Builds the generators' ProjectFacts from the model and the config: workflow types with their
// task queues, the activities they call (options as the runbooks need them), the search
// attributes they are started with, and the Prometheus exporter options of the project's
// Runtime.install (which change metric names: see metric-names.ts).

import path from 'node:path';
import { PROJECT_FILE_MAX_BYTES, readBoundedFile } from '../engine/bounded-file.js';
import type { PreflightConfig } from '../engine/config.js';
import { parseDuration } from '../engine/duration.js';
import { workflowActivityCalls, type ActivityCallCount } from '../model/typescript/observability/workflow-activity-calls.js';
import { startSearchAttributes } from '../model/typescript/observability/start-search-attributes.js';
import { workerTaskQueue } from '../model/typescript/observability/worker-options.js';
import { valueOrFallbackDefault } from '../model/typescript/observability/fallback-default.js';
import type { StaticValue as TypeScriptValue, TemporalModel, WorkflowDefinition } from '../model/typescript/types.js';
import type { ActivityProxyFacts, CodeModel, StaticValue } from '../model/types.js';
import { operatedWorkflowTypes } from '../model/workflow-types.js';
import { DEFAULT_EXPORT_OPTIONS, type MetricExportOptions } from './metric-names.js';
import type { ProjectFacts, SearchAttributeFacts, WorkflowActivityFacts, WorkflowFacts } from './project-facts.js';

export interface CollectOptions {
  /** Overrides config.runbooks.dir in runbook links (e.g. a URL prefix). */
  runbookBase?: string;
}

export function collectProjectFacts(model: TemporalModel, config: PreflightConfig, options: CollectOptions = {}): ProjectFacts {
  const workflows = operatedWorkflowTypes(model.workflows).sort((a, b) => a.name.localeCompare(b.name)).map((w) => workflowFacts(w, model));
  const queues = new Set<string>();
  for (const worker of model.workers) {
    const queue = workerTaskQueue(worker, model);
    if (queue) queues.add(queue);
  }
  for (const w of workflows) {
    w.taskQueues.forEach((q) => queues.add(q));
    w.activities.forEach((a) => a.taskQueue && queues.add(a.taskQueue));
  }
  return {
    projectName: projectName(model.root),
    metricExport: metricExportOptions(model),
    scheduleToStartTargetMs: parseDuration(config.targets.scheduleToStartP99) ?? 500,
    runbookBase: (options.runbookBase ?? config.runbooks.dir).replace(/\/+$/, ''),
    workflows,
    taskQueues: [...queues].sort(),
  };
}

function workflowFacts(workflow: WorkflowDefinition, model: TemporalModel): WorkflowFacts {
  const hosts = model.workers.filter((w) => workflow.workerIds.includes(w.id));
  let taskQueues = [...new Set(hosts.map((w) => workerTaskQueue(w, model)).filter((q): q is string => q !== undefined))];
  const starts = model.starts.filter((s) => s.workflowType === workflow.name);
  if (taskQueues.length === 0) {
    taskQueues = [...new Set(starts.map((s) => stringOption(s.options, 'taskQueue', model)).filter((q): q is string => q !== undefined))];
  }
  taskQueues.sort();
  const attributes = new Map<string, SearchAttributeFacts>();
  for (const start of starts) {
    for (const attribute of startSearchAttributes(start, model).attributes) {
      if (!attributes.has(attribute.name) || attributes.get(attribute.name)!.type === null) attributes.set(attribute.name, attribute);
    }
  }
  const failureTypes = new Set<string>();
  for (const thrown of model.thrownErrorsOf(workflow.node)) {
    if (thrown.type && (thrown.how.startsWith('application-failure') || thrown.extendsApplicationFailure)) failureTypes.add(thrown.type);
  }
  const relative = path.relative(model.root, workflow.file).split(path.sep).join('/');
  return {
    name: workflow.name,
    file: relative,
    line: workflow.location.line,
    taskQueues,
    activities: workflowActivityCalls(model, workflow).calls.map((call) => activityFacts(call, taskQueues[0] ?? null, model)),
    searchAttributes: [...attributes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    failureTypes: [...failureTypes].sort(),
  };
}

/** One activity type a workflow schedules and the options that apply (a TypeScript proxy or a Python call). */
export type ActivityCall = Pick<ActivityCallCount, 'activityType' | 'count'> & { proxy: ActivityProxyFacts };

/** The runbook facts of one activity call, from the language-neutral model. */
export function activityFacts(call: ActivityCall, workflowQueue: string | null, model: CodeModel): WorkflowActivityFacts {
  const options = call.proxy.options;
  const retry = property(options, 'retry');
  const implementation = model.activities.find(
    (a) => a.name === call.activityType && (call.proxy.implementationFiles.length === 0 || call.proxy.implementationFiles.includes(a.file)),
  );
  const thrown = new Map<string, boolean>();
  for (const error of implementation?.thrownErrors ?? []) {
    if (error.type) thrown.set(error.type, (thrown.get(error.type) ?? false) || error.nonRetryable === true);
  }
  const maximumAttempts = !retry || retry.kind === 'undefined' || retry.kind === 'null'
    ? null
    : retry.kind !== 'object'
      ? 'unknown'
      : numberOrState(property(retry, 'maximumAttempts'));
  const nonRetryable = property(retry, 'nonRetryableErrorTypes');
  return {
    name: call.activityType,
    kind: call.proxy.kind,
    taskQueue: call.proxy.kind === 'remote' ? (stringOption(options, 'taskQueue', model) ?? workflowQueue) : workflowQueue,
    timeouts: {
      startToClose: duration(property(options, 'startToCloseTimeout')),
      scheduleToClose: duration(property(options, 'scheduleToCloseTimeout')),
      scheduleToStart: duration(property(options, 'scheduleToStartTimeout')),
      heartbeat: duration(property(options, 'heartbeatTimeout')),
    },
    maximumAttempts: maximumAttempts === 0 ? null : maximumAttempts,
    nonRetryableErrorTypes: nonRetryable?.kind === 'array'
      ? nonRetryable.elements.flatMap((e) => (e.kind === 'string' ? [e.value] : [])).sort()
      : [],
    thrownErrors: [...thrown].map(([type, stops]) => ({ type, nonRetryable: stops })).sort((a, b) => a.type.localeCompare(b.type)),
    calls: call.count,
  };
}

function property(value: StaticValue | undefined, key: string): StaticValue | undefined {
  return value?.kind === 'object' ? value.properties.get(key) : undefined;
}

/** Milliseconds; null when unset or 0 (the server treats 0 as unset); 'unknown' when unresolved. */
function duration(value: StaticValue | undefined): number | null | 'unknown' {
  if (!value || value.kind === 'undefined' || value.kind === 'null') return null;
  if (value.kind !== 'string' && value.kind !== 'number') return 'unknown';
  const ms = parseDuration(value.value);
  if (ms === null) return 'unknown';
  return ms === 0 ? null : ms;
}

function numberOrState(value: StaticValue | undefined): number | null | 'unknown' {
  if (!value || value.kind === 'undefined' || value.kind === 'null') return null;
  return value.kind === 'number' ? value.value : 'unknown';
}

/** A string option; TypeScript `x ?? 'default'` reads as its default (Python front-end values are already resolved). */
export function stringOption(options: StaticValue | undefined, key: string, model: CodeModel): string | undefined {
  const value = model.language === 'python' ? property(options, key) : valueOrFallbackDefault(property(options, key) as TypeScriptValue | undefined, model as TemporalModel);
  return value?.kind === 'string' ? value.value : undefined;
}

/** Name and unit options of the first Prometheus exporter the project installs. */
function metricExportOptions(model: TemporalModel): MetricExportOptions {
  const install = model.runtimeInstalls.find((i) => i.metrics === 'prometheus');
  const prometheus = property(property(property(install?.options, 'telemetryOptions'), 'metrics'), 'prometheus');
  const flag = (name: keyof MetricExportOptions) => {
    const value = property(prometheus, name);
    return value?.kind === 'boolean' ? value.value : DEFAULT_EXPORT_OPTIONS[name];
  };
  return { countersTotalSuffix: flag('countersTotalSuffix'), unitSuffix: flag('unitSuffix'), useSecondsForDurations: flag('useSecondsForDurations') };
}

export function projectName(root: string): string {
  try {
    const read = readBoundedFile(path.join(root, 'package.json'), PROJECT_FILE_MAX_BYTES);
    const name = read.ok ? (JSON.parse(read.text) as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && name) return name.replace(/^@[^/]+\//, '');
  } catch {
    // no package.json: the folder name
  }
  return path.basename(root);
}
