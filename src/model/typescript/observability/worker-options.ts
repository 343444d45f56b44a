// Reading Worker.create options for the capacity checks: one option with its location, whether
// it may come from an unresolved spread, and how to name a worker in a message.

import { relativePath } from '../locate.js';
import { valueOrFallbackDefault } from './fallback-default.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkerDefinition } from '../types.js';

export type WorkerOption =
  /** Written and resolved (or `process.env.X ?? default`, resolved to the default). */
  | { state: 'set'; value: StaticValue; location: SourceLocation }
  /** Not written, or written on some paths only; an unresolved spread in the options may still set it. */
  | { state: 'maybe'; location: SourceLocation }
  /** Not written. */
  | { state: 'absent' }
  /** The options object itself could not be resolved. */
  | { state: 'unknown'; location: SourceLocation };

export function workerOption(worker: WorkerDefinition, name: string, model: TemporalModel): WorkerOption {
  const options = worker.options;
  if (options.kind !== 'object') return { state: 'unknown', location: options.location };
  // A Python model's values keep tree-sitter nodes, which the TypeScript fallback reading cannot read.
  const value = model.language === 'python' ? options.properties.get(name) : valueOrFallbackDefault(options.properties.get(name), model);
  if (value && value.kind !== 'undefined') return { state: 'set', value, location: value.location };
  const conditional = options.maybeProperties?.get(name);
  if (conditional) return { state: 'maybe', location: conditional.location };
  // A spread whose type lists its keys (`Pick<WorkerOptions, 'workflowsPath'>`) cannot set any other option.
  const spread = options.unknownSpreads.find((s) => !s.keys || s.keys.includes(name));
  if (spread) return { state: 'maybe', location: spread.location };
  return { state: 'absent' };
}

/** The number an option is set to, or undefined. */
export function numberOption(option: WorkerOption): number | undefined {
  return option.state === 'set' && option.value.kind === 'number' ? option.value.value : undefined;
}

export function hostsWorkflows(worker: WorkerDefinition): boolean {
  // A Python worker lists its workflow classes (`workflows=[...]`) instead of a workflows path.
  const listed = (worker as { workflowNames?: string[] | 'unknown' }).workflowNames;
  if (!('workflowsPath' in worker) && listed !== undefined) return listed === 'unknown' || listed.length > 0;
  return worker.workflowsPath !== null || worker.usesBundle || (worker.options.kind === 'object' && worker.options.properties.has('workflowsPath'));
}

export function registersActivities(worker: WorkerDefinition): boolean {
  return worker.activityNames === 'unknown' || worker.activityNames.length > 0;
}

/** The worker's task queue (the default of a `x ?? process.env.Y ?? 'z'` chain), when known. */
export function workerTaskQueue(worker: WorkerDefinition, model: TemporalModel): string | undefined {
  const value = model.language === 'python' ? worker.taskQueue : valueOrFallbackDefault(worker.taskQueue, model);
  return value?.kind === 'string' ? value.value : undefined;
}

/** "The worker for task queue 'orders'" or "This worker" when the queue is not known. */
export function workerLabel(worker: WorkerDefinition, model: TemporalModel): string {
  const queue = workerTaskQueue(worker, model);
  if (queue) return `The worker for task queue '${queue}'`;
  // One of the workers a factory makes, one per call: the call tells which.
  const call = worker.factoryCall?.location;
  return call ? `The worker made by the call at ${relativePath(model.root, call.file)}:${call.line}` : 'This worker';
}
