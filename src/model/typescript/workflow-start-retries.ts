// Starts (client, child or schedule action) that give the started workflow a retry policy of its
// own (`retry: { maximumAttempts: 10 }` in the start options) while the workflow's activities
// retry through their proxies. The server retries a failed workflow run by starting a new run from
// the beginning, so every step before the failure runs again, each with its own activity retries.
// Read from the start options as written: a retry or execution timeout that may come from an
// unresolved spread makes the start unreadable and it is left out. Each activity call carries the
// message that gates it, when every one of its call sites waits for a signal or update (see
// signal-gated-calls.ts).

import { workflowActivityCalls, type ActivityCallCount } from './observability/workflow-activity-calls.js';
import { containedActivityCalls } from './contained-activity-failures.js';
import { signalGatedCalls, siteKey, type SignalGate } from './signal-gated-calls.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkflowDefinition, WorkflowStart } from './types.js';

export interface StartRetry {
  start: WorkflowStart;
  /** Attempts the workflow retry policy allows; 0: unlimited (maximumAttempts unset or 0). */
  workflowAttempts: number;
  /** The `retry` option of the start. */
  retryLocation: SourceLocation;
  /** workflowExecutionTimeout as written (its text), or undefined when the start sets none. */
  executionTimeout: string | undefined;
  /** The started workflow's definition (the one nearest the start when several share the name). */
  workflow: WorkflowDefinition;
  /** The workflow's activity calls, ordered by their first call site. */
  calls: StartRetryCall[];
}

export interface StartRetryCall extends ActivityCallCount {
  /**
   * The message every call site of this activity waits for (it runs in the message's handler, or
   * after a wait only the message can end), when all of them do; a retried run, which does not
   * receive the failed run's signals, does not reach these calls on its own.
   */
  gate?: SignalGate;
  /**
   * Every call site of this activity sits in a try/catch of the workflow function whose catch
   * contains the failure (see contained-activity-failures.ts): its failures never fail the run, so
   * the workflow retry policy never runs for them.
   */
  contained?: true;
}

const cache = new WeakMap<TemporalModel, StartRetry[]>();

/** Starts with a workflow retry policy that allows more than one attempt, of a workflow the model knows and that calls activities. */
export function startsWithWorkflowRetry(model: TemporalModel): StartRetry[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: StartRetry[] = [];
  for (const start of model.starts) {
    if (!start.workflowType || !model.files.includes(start.location.file)) continue;
    const options = start.options;
    if (options?.kind !== 'object' || mayCarry(options, ['retry', 'workflowExecutionTimeout'])) continue;
    const retry = options.properties.get('retry');
    if (retry?.kind !== 'object' || mayCarry(retry, ['maximumAttempts'])) continue;
    const maximum = retry.properties.get('maximumAttempts');
    let workflowAttempts: number;
    if (maximum === undefined || maximum.kind === 'undefined') workflowAttempts = 0;
    else if (maximum.kind === 'number' && !maximum.configurable && Number.isInteger(maximum.value) && maximum.value >= 0) workflowAttempts = maximum.value;
    else continue;
    if (workflowAttempts === 1) continue;
    const timeout = options.properties.get('workflowExecutionTimeout');
    if (timeout && timeout.kind !== 'undefined' && timeout.kind !== 'string' && timeout.kind !== 'number') continue;
    const workflow = nearest(model.workflows.filter((w) => w.name === start.workflowType), start.location.file);
    if (!workflow) continue;
    const counted = workflowActivityCalls(model, workflow).calls;
    if (counted.length === 0) continue;
    const gates = signalGatedCalls(model, workflow);
    const contained = containedActivityCalls(model, workflow);
    const calls = counted
      .map((call): StartRetryCall => {
        const sites = call.sites.map((site) => gates.get(siteKey(site)));
        const gated = sites.every((gate) => gate) ? { ...call, gate: sites[0]! } : call;
        return call.sites.every((site) => contained.has(siteKey(site))) ? { ...gated, contained: true as const } : gated;
      })
      .sort((a, b) => compare(a.sites[0]!, b.sites[0]!, workflow.file));
    found.push({
      start,
      workflowAttempts,
      retryLocation: retry.location,
      executionTimeout: timeout && timeout.kind !== 'undefined' ? String(timeout.value) : undefined,
      workflow,
      calls,
    });
  }
  cache.set(model, found);
  return found;
}

/** True when an unresolved spread of the object may carry one of the keys, or a later write may set it on some paths. */
function mayCarry(object: Extract<StaticValue, { kind: 'object' }>, keys: string[]): boolean {
  if (keys.some((key) => object.maybeProperties?.has(key))) return true;
  return object.unknownSpreads.some((spread) => !spread.keys || keys.some((key) => spread.keys!.includes(key)));
}

/** The definition whose file shares the longest directory prefix with the start's file. */
function nearest(definitions: WorkflowDefinition[], file: string): WorkflowDefinition | undefined {
  const shared = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  return [...definitions].sort((a, b) => shared(b.file, file) - shared(a.file, file))[0];
}

/** Source order, calls in the workflow's own file first. */
function compare(a: SourceLocation, b: SourceLocation, home: string): number {
  const away = (l: SourceLocation) => (l.file === home ? 0 : 1);
  return away(a) - away(b) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
