// The load model: declared peak workflow starts (config `load.workflows`) times the activities
// each workflow schedules per execution (from the code), routed to the task queue each activity
// runs on and the workers polling it, with the declared mean durations (`load.activities`).
// The result per task queue is what the Erlang C planner sizes; what cannot be counted (loops,
// missing durations, unresolved queues or slot counts) is listed, never guessed.

import type { PreflightConfig } from './config.js';
import { parseDuration } from './duration.js';
import { valueOrFallbackDefault } from '../model/typescript/observability/fallback-default.js';
import { workflowActivityCalls } from '../model/typescript/observability/workflow-activity-calls.js';
import { pythonModelOf } from '../model/python/python-model-of.js';
import { pythonWorkflowActivityCalls } from '../model/python/python-workflow-activity-calls.js';
import type { ActivityProxy, SourceLocation, StaticValue, TemporalModel, WorkerDefinition, WorkflowDefinition } from '../model/typescript/types.js';

/**
 * SDK defaults when the option is unset: TypeScript 1.24 (TEMPORAL-FACTS.md section 6) and Python
 * temporalio 1.35.0 (WorkerTuner.create_fixed(), test/model/python/python-sdk-capacity-facts.test.ts) agree.
 */
export const DEFAULT_ACTIVITY_SLOTS = 100;
export const DEFAULT_LOCAL_ACTIVITY_SLOTS = 100;

export type SlotKind = 'activity' | 'local-activity';

export interface ActivityLoad {
  name: string;
  /** Arrivals per second at the declared peak (no headroom). */
  ratePerSecond: number;
  meanDurationMs: number;
  workflows: { name: string; callsPerExecution: number }[];
}

export interface WorkerSlots {
  worker: WorkerDefinition;
  /** Slots of this kind per worker process; 'unknown' when a tuner or an unresolved value decides. */
  slots: number | 'unknown';
  /** True when the option is unset and the SDK default applies. */
  isDefault: boolean;
  /** The option that sets the slots, or the Worker.create call when it is unset. */
  location: SourceLocation;
}

export interface QueueLoad {
  taskQueue: string;
  slotKind: SlotKind;
  ratePerSecond: number;
  /** Mean of the activity mix, weighted by rate. */
  meanDurationMs: number;
  /** Coefficient of variation of the mix, each activity taken as exponential. */
  durationCv: number;
  activities: ActivityLoad[];
  workers: WorkerSlots[];
  /** False when some arrivals on this queue could not be counted: the load is a lower bound. */
  complete: boolean;
}

export type LoadUnknownKind = 'repeated-call' | 'missing-duration' | 'unknown-task-queue' | 'uncounted-proxy' | 'no-worker' | 'unknown-slots' | 'workflow-not-found';

export interface LoadUnknown {
  kind: LoadUnknownKind;
  message: string;
  location?: SourceLocation;
  taskQueue?: string;
}

export interface LoadModel {
  queues: QueueLoad[];
  unknowns: LoadUnknown[];
}

interface Arrival {
  activity: string;
  workflow: string;
  rate: number;
  calls: number;
  meanDurationMs: number;
}

interface QueueEntry {
  taskQueue: string;
  slotKind: SlotKind;
  items: Arrival[];
  workers: Map<string, WorkerSlots>;
  complete: boolean;
}

export function buildLoadModel(model: TemporalModel, config: PreflightConfig): LoadModel {
  const unknowns: LoadUnknown[] = [];
  const arrivals = new Map<string, QueueEntry>();
  const workersById = new Map(model.workers.map((w) => [w.id, w]));
  const queueOfWorker = (w: WorkerDefinition) => stringValue(fallbackDefault(w.taskQueue, model));
  const python = pythonModelOf(model);

  for (const [type, declared] of Object.entries(config.load.workflows).sort(([a], [b]) => a.localeCompare(b))) {
    const workflow = model.workflows.find((w) => w.name === type);
    if (!workflow) {
      unknowns.push({ kind: 'workflow-not-found', message: `config load.workflows.${type}: no workflow of that type in the code` });
      continue;
    }
    const hosts = workflow.workerIds.map((id) => workersById.get(id)).filter((w): w is WorkerDefinition => w !== undefined);
    const workflowQueues = workflowTaskQueues(workflow, hosts, model, queueOfWorker);
    const calls = python ? pythonWorkflowActivityCalls(python, workflow) : workflowActivityCalls(model, workflow);
    for (const proxy of calls.uncountedProxies as (ActivityProxy & { call?: string })[]) {
      unknowns.push({
        kind: 'uncounted-proxy',
        message: !python
          ? `${type}: the activity proxy is passed around, so the calls through it cannot be counted`
          : proxy.workflowNames.length === 0
            ? `${type}: ${proxy.call} in a function outside the workflow class may run for it, so its calls cannot be counted`
            : `${type}: the activity ${proxy.call} schedules cannot be resolved statically, so its calls cannot be counted`,
        location: proxy.location,
      });
    }
    for (const call of calls.calls) {
      const slotKind: SlotKind = call.proxy.kind === 'local' ? 'local-activity' : 'activity';
      const proxyQueue = slotKind === 'activity' ? optionString(call.proxy.options, 'taskQueue', model) : undefined;
      const queues = proxyQueue === 'unknown' ? [] : proxyQueue ? [proxyQueue] : workflowQueues;
      if (queues.length === 0) {
        unknowns.push({
          kind: 'unknown-task-queue',
          message: `${type} -> ${call.activityType}: the task queue cannot be resolved statically`,
          location: call.proxy.location,
        });
        continue;
      }
      const duration = config.load.activities[call.activityType];
      const meanDurationMs = duration ? parseDuration(duration.meanDuration) : null;
      for (const taskQueue of queues) {
        const key = `${slotKind}\u0000${taskQueue}`;
        const entry: QueueEntry = arrivals.get(key) ?? { taskQueue, slotKind, items: [], workers: new Map(), complete: true };
        arrivals.set(key, entry);
        const pollers = slotKind === 'activity'
          ? model.workers.filter((w) => queueOfWorker(w) === taskQueue && (w.activityNames === 'unknown' || w.activityNames.includes(call.activityType)))
          : hosts.filter((w) => queueOfWorker(w) === taskQueue);
        if (pollers.length === 0) {
          unknowns.push({
            kind: 'no-worker',
            message: `no worker on task queue ${taskQueue} registers ${call.activityType}`,
            location: call.sites[0]!,
            taskQueue,
          });
        }
        for (const worker of pollers) entry.workers.set(worker.id, workerSlots(worker, slotKind, model));
        if (call.count === 'unknown') {
          unknowns.push({
            kind: 'repeated-call',
            message: `${type} calls ${call.activityType} in a loop or a repeated callback, so its arrival rate is unknown`,
            location: call.repeatedAt ?? call.sites[0]!,
            taskQueue,
          });
        }
        if (meanDurationMs === null) {
          unknowns.push({
            kind: 'missing-duration',
            message: `load.activities.${call.activityType}.meanDuration is not in the config, so ${call.activityType} is left out`,
            location: call.sites[0]!,
            taskQueue,
          });
        }
        if (call.count === 'unknown' || meanDurationMs === null) {
          entry.complete = false;
          continue;
        }
        entry.items.push({ activity: call.activityType, workflow: type, rate: declared.peakStartsPerSecond * call.count, calls: call.count, meanDurationMs });
      }
    }
  }

  const queues = [...arrivals.values()].map(toQueueLoad).sort((a, b) => a.taskQueue.localeCompare(b.taskQueue) || a.slotKind.localeCompare(b.slotKind));
  for (const queue of queues) {
    for (const slots of queue.workers) {
      if (slots.slots === 'unknown') {
        unknowns.push({
          kind: 'unknown-slots',
          message: `the ${queue.slotKind === 'activity' ? 'activity' : 'local activity'} slots of this worker cannot be resolved statically (a tuner or a computed value)`,
          location: slots.location,
          taskQueue: queue.taskQueue,
        });
      }
    }
  }
  return { queues, unknowns: dedupe(unknowns) };
}

function toQueueLoad(entry: QueueEntry): QueueLoad {
  const byActivity = new Map<string, ActivityLoad>();
  for (const item of entry.items) {
    const load = byActivity.get(item.activity) ?? { name: item.activity, ratePerSecond: 0, meanDurationMs: item.meanDurationMs, workflows: [] };
    load.ratePerSecond += item.rate;
    load.workflows.push({ name: item.workflow, callsPerExecution: item.calls });
    byActivity.set(item.activity, load);
  }
  const activities = [...byActivity.values()].sort((a, b) => a.name.localeCompare(b.name));
  const rate = activities.reduce((sum, a) => sum + a.ratePerSecond, 0);
  const mean = rate > 0 ? activities.reduce((sum, a) => sum + a.ratePerSecond * a.meanDurationMs, 0) / rate : 0;
  // Each activity exponential: E[S^2] = 2 d^2; the mix's cv^2 = E[S^2] / E[S]^2 - 1.
  const secondMoment = rate > 0 ? activities.reduce((sum, a) => sum + a.ratePerSecond * 2 * a.meanDurationMs ** 2, 0) / rate : 0;
  const durationCv = mean > 0 ? Math.sqrt(Math.max(0, secondMoment / mean ** 2 - 1)) : 1;
  return {
    taskQueue: entry.taskQueue,
    slotKind: entry.slotKind,
    ratePerSecond: rate,
    meanDurationMs: mean,
    durationCv,
    activities,
    workers: [...entry.workers.values()].sort((a, b) => a.worker.id.localeCompare(b.worker.id)),
    complete: entry.complete,
  };
}

/** Slots of one kind per process of a worker, with where they are set. */
export function workerSlots(worker: WorkerDefinition, kind: SlotKind, model: TemporalModel): WorkerSlots {
  // Options that did not resolve (a framework's worker options, a factory's return value) may
  // size the slots: never assume the SDK default for them.
  if (worker.options.kind !== 'object') return { worker, slots: 'unknown', isDefault: false, location: worker.options.location };
  const options = worker.options;
  const option = kind === 'activity' ? 'maxConcurrentActivityTaskExecutions' : 'maxConcurrentLocalActivityExecutions';
  const tuner = options.properties.get('tuner');
  if (tuner) {
    const supplier = kind === 'activity' ? 'activityTaskSlotSupplier' : 'localActivityTaskSlotSupplier';
    const fixed = tuner.kind === 'object' ? tuner.properties.get(supplier) : undefined;
    const type = fixed?.kind === 'object' ? fixed.properties.get('type') : undefined;
    const numSlots = fixed?.kind === 'object' ? fixed.properties.get('numSlots') : undefined;
    if (type?.kind === 'string' && type.value === 'fixed-size' && numSlots?.kind === 'number') {
      return { worker, slots: numSlots.value, isDefault: false, location: numSlots.location };
    }
    return { worker, slots: 'unknown', isDefault: false, location: tuner.location };
  }
  const value = fallbackDefault(options.properties.get(option), model);
  if (!value || value.kind === 'undefined') {
    const maybe = options.maybeProperties;
    if (options.unknownSpreads.length > 0 || maybe?.has(option) || maybe?.has('tuner')) return { worker, slots: 'unknown', isDefault: false, location: worker.location };
    return { worker, slots: kind === 'activity' ? DEFAULT_ACTIVITY_SLOTS : DEFAULT_LOCAL_ACTIVITY_SLOTS, isDefault: true, location: worker.location };
  }
  return { worker, slots: value.kind === 'number' ? value.value : 'unknown', isDefault: false, location: value.location };
}

function workflowTaskQueues(
  workflow: WorkflowDefinition,
  hosts: WorkerDefinition[],
  model: TemporalModel,
  queueOfWorker: (w: WorkerDefinition) => string | undefined,
): string[] {
  const fromWorkers = hosts.map(queueOfWorker).filter((q): q is string => q !== undefined);
  if (fromWorkers.length) return [...new Set(fromWorkers)].sort();
  const fromStarts = model.starts
    .filter((s) => s.workflowType === workflow.name)
    .map((s) => optionString(s.options, 'taskQueue', model))
    .filter((q): q is string => typeof q === 'string' && q !== 'unknown');
  return [...new Set(fromStarts)].sort();
}

/** A string option: its value, undefined when unset, 'unknown' when it cannot be resolved. */
function optionString(options: StaticValue | undefined, key: string, model: TemporalModel): string | undefined | 'unknown' {
  if (!options || options.kind !== 'object') return options ? 'unknown' : undefined;
  const value = fallbackDefault(options.properties.get(key), model);
  if (!value || value.kind === 'undefined') return options.unknownSpreads.length ? 'unknown' : undefined;
  return value.kind === 'string' ? value.value : 'unknown';
}

/** A Python model resolves `os.environ.get("X", d)` itself; its values keep tree-sitter nodes the TypeScript reading cannot read. */
function fallbackDefault(value: StaticValue | undefined, model: TemporalModel): StaticValue | undefined {
  return model.language === 'python' ? value : valueOrFallbackDefault(value, model);
}

function stringValue(value: StaticValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

function dedupe(unknowns: LoadUnknown[]): LoadUnknown[] {
  const seen = new Set<string>();
  return unknowns.filter((u) => {
    const key = `${u.kind}|${u.message}|${u.location?.file}:${u.location?.line}:${u.location?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
