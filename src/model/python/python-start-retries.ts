// Python starts (a child start from workflow code, or a client start) that give the started
// workflow a retry policy of its own (`retry_policy=RetryPolicy(maximum_attempts=2)`) while the
// workflow's activities retry under their own policies: the server retries a failed run by
// starting a new run from the beginning, so every step runs again with its own activity retries
// (workflow-retry-multiplies-activity-retries). Read from the keyword arguments as written: a
// `**options` spread that may carry retry_policy or execution_timeout makes the start unreadable,
// and a retry policy that does not resolve to RetryPolicy(...) is left out. The activity calls are
// the calls written in the workflow's class (run method, helper methods and handlers alike).

import type { StaticValue, SourceLocation } from '../types.js';
import type { ActivityProxy } from '../typescript/types.js';
import type { PythonModel } from './build-python-model.js';
import { formatDuration } from '../../engine/duration.js';

export interface PythonStartRetry {
  start: PythonModel['starts'][number];
  /** Attempts the workflow retry policy allows; 0: unlimited (maximum_attempts unset or 0). */
  workflowAttempts: number;
  retryLocation: SourceLocation;
  /** execution_timeout as written, or undefined when the start sets none. */
  executionTimeout: string | undefined;
  workflow: { name: string; location: SourceLocation };
  /** The workflow's activity calls in source order, one per call. */
  calls: { activityType: string; proxy: ActivityProxy; sites: SourceLocation[]; gate?: undefined; contained?: true }[];
  /** The signal and update handlers of the started workflow (work that may wait for a message). */
  messageHandlers: string[];
}

const KEYS = ['retry_policy', 'execution_timeout'];

export function pythonStartsWithWorkflowRetry(model: PythonModel): PythonStartRetry[] {
  const found: PythonStartRetry[] = [];
  for (const start of model.starts) {
    if (!start.workflowType || !model.files.includes(start.location.file) || start.method === 'schedule') continue;
    const options = start.options;
    if (options?.kind !== 'object' || mayCarry(options, KEYS)) continue;
    const retry = options.properties.get('retry_policy');
    if (retry?.kind !== 'object' || mayCarry(retry, ['maximumAttempts'])) continue;
    const maximum = retry.properties.get('maximumAttempts');
    let workflowAttempts: number;
    if (maximum === undefined || maximum.kind === 'undefined' || maximum.kind === 'null') workflowAttempts = 0;
    else if (maximum.kind === 'number' && !maximum.configurable && Number.isInteger(maximum.value) && maximum.value >= 0) workflowAttempts = maximum.value;
    else continue;
    if (workflowAttempts === 1) continue;
    const timeout = options.properties.get('execution_timeout');
    if (timeout && timeout.kind !== 'undefined' && timeout.kind !== 'null' && timeout.kind !== 'number') continue;
    // Several classes sharing the type name: the one read is ambiguous, leave the start out.
    const workflows = model.workflows.filter((w) => w.name === start.workflowType);
    if (workflows.length !== 1) continue;
    const workflow = workflows[0]!;
    const calls = model.activityProxies
      .filter((proxy) => proxy.language === 'python' && proxy.workflowNames?.length === 1 && proxy.workflowNames[0] === workflow.name && proxy.location.file === workflow.file)
      .filter((proxy) => proxy.usedActivityTypes !== 'all' && proxy.usedActivityTypes.length === 1)
      .map((proxy) => ({
        activityType: (proxy.usedActivityTypes as { name: string }[])[0]!.name,
        proxy: proxy as ActivityProxy,
        sites: [proxy.location],
        ...(proxy.failureContained ? { contained: true as const } : {}),
      }))
      .sort((a, b) => a.proxy.location.line - b.proxy.location.line);
    if (calls.length === 0) continue;
    found.push({
      start,
      workflowAttempts,
      retryLocation: retry.location,
      executionTimeout: timeout && timeout.kind === 'number' ? written(timeout) : undefined,
      workflow: { name: workflow.name, location: workflow.location },
      calls,
      messageHandlers: workflow.handlers.filter((h) => h.kind !== 'query').map((h) => `${h.kind} ${h.name}`),
    });
  }
  return found;
}

function written(value: Extract<StaticValue, { kind: 'number' }>): string {
  return value.written ?? formatDuration(value.value);
}

function mayCarry(object: Extract<StaticValue, { kind: 'object' }>, keys: string[]): boolean {
  if (keys.some((key) => object.maybeProperties?.has(key))) return true;
  return object.unknownSpreads.some((spread) => !spread.keys || keys.some((key) => spread.keys!.includes(key)));
}
