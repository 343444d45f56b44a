// What one worker's registered activities look like from the workflows that schedule them: how long
// an attempt may run (the startToClose of every proxy that sends the activity to this worker's
// task queue), whether the activity heartbeats, and whether its body reads the heartbeat details
// of the previous attempt. Shared by the worker capacity checks that compare a worker option
// (grace time, heartbeat throttle, slot pool) with the activities the worker really runs.

import { attemptCapMs, longestAttemptCapMs } from './activity-policy/attempt-cap.js';
import { proxyReviews, type ProxyReview } from './activity-policy/proxy-review.js';
import { workerTaskQueue } from '../model/typescript/observability/worker-options.js';
import type { ActivityImplementation, TemporalModel, WorkerDefinition } from '../model/typescript/types.js';
import type { Configurable, StaticValue } from '../model/types.js';

export interface WorkerActivitySpan {
  /** The activity type. */
  name: string;
  implementation: ActivityImplementation;
  /** The remote proxies that schedule it on this worker's task queue. */
  callers: ProxyReview[];
  /** The longest attempt any of those callers allows (startToClose, or a shorter scheduleToClose); undefined when one of them is not known or unlimited. */
  longestAttemptMs: number | undefined;
  /** The shortest attempt cap among the callers; undefined when one of them is not known. */
  shortestAttemptMs: number | undefined;
  /** Set when a caller's startToClose or scheduleToClose is the default of an environment value: the deployed cap may differ. */
  configurable?: Configurable;
}

/**
 * The worker's registered activities that some workflow schedules on its task queue, each with
 * the attempt caps of those calls. Undefined when the worker's registration cannot be read (its
 * `activities` come from a factory parameter): then nothing is known for sure about them.
 *
 * A proxy counts for this worker when it names the worker's task queue, or names none and a
 * workflow that uses it runs on this worker's queue (hosted by this worker or by another worker
 * polling the same queue): an activity without taskQueue runs on its workflow's queue. A proxy
 * whose taskQueue is another queue or cannot be resolved does not count: its activities may run
 * on other workers.
 */
export function workerActivitySpans(worker: WorkerDefinition, model: TemporalModel): WorkerActivitySpan[] | undefined {
  const names = worker.activityNames;
  if (names === 'unknown') return undefined;
  const queue = workerTaskQueue(worker, model);
  // The workflows whose own task queue this worker polls: it hosts them, or a worker on the same queue does.
  const sameQueue = new Set(model.workers.filter((other) => other === worker || (queue !== undefined && workerTaskQueue(other, model) === queue)).map((other) => other.id));
  const workflowsHere = new Set(model.workflows.filter((workflow) => workflow.workerIds.some((id) => sameQueue.has(id))).map((workflow) => workflow.name));
  const reviews = proxyReviews(model).filter(
    (review) => review.proxy.kind === 'remote' && routedHere(review.proxy.options, queue, review.proxy.workflowNames.some((name) => workflowsHere.has(name))),
  );
  const spans: WorkerActivitySpan[] = [];
  for (const implementation of model.activities as ActivityImplementation[]) {
    if (!names.includes(implementation.name)) continue;
    const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
    if (callers.length === 0) continue;
    const caps = callers.map(attemptCapMs);
    const configurable = callers
      .flatMap((caller) => [caller.timeouts.startToClose, caller.timeouts.scheduleToClose])
      .map((timeout) => (timeout.known ? timeout.configurable : undefined))
      .find((found): found is Configurable => found !== undefined);
    spans.push({
      ...(configurable ? { configurable } : {}),
      name: implementation.name,
      implementation,
      callers,
      longestAttemptMs: longestAttemptCapMs(callers),
      shortestAttemptMs: caps.every((cap): cap is number => cap !== undefined) ? Math.min(...caps) : undefined,
    });
  }
  return spans;
}

function routedHere(options: StaticValue, queue: string | undefined, fromWorkflowHere: boolean): boolean {
  if (options.kind !== 'object') return false;
  const written = options.properties.get('taskQueue');
  if (!written || written.kind === 'undefined') {
    // Not written: the workflow's own queue, unless an unresolved spread may set one.
    if (options.maybeProperties?.has('taskQueue') || options.unknownSpreads.some((s) => !s.keys || s.keys.includes('taskQueue'))) return false;
    return fromWorkflowHere;
  }
  return written.kind === 'string' && written.value === queue && !written.configurable;
}

/** True when the activity's own body reads the heartbeat details of the previous attempt (it can resume from them). */
export function readsHeartbeatDetails(implementation: ActivityImplementation): boolean {
  if (implementation.readsHeartbeatDetails !== undefined) return implementation.readsHeartbeatDetails;
  const node = implementation.node as { getText?: () => string; text?: string } | undefined;
  const text = typeof node?.getText === 'function' ? node.getText() : typeof node?.text === 'string' ? node.text : '';
  return /\bheartbeatDetails\b/.test(text);
}
