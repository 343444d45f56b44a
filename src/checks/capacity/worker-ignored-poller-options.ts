// Prevents tuning that does nothing: SDK 1.24 still declares maxConcurrent*TaskPolls but never
// reads them, so a team that raised them to drain a backlog is still polling with at most 10.
// Python (temporalio 1.35.0) reads them, but a set max_concurrent_*_task_polls replaces the
// matching *_task_poller_behavior, and slot options next to a tuner stop the worker from starting.

import { defineCheck, type CheckContext } from '../define-check.js';
import { workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';

/**
 * The declared-but-ignored options and what replaced them. Verified in SDK 1.24.0
 * (lib/worker-options.js, addDefaultWorkerOptions): the poll maxima come from
 * `min(10, slots)` or the *PollerBehavior options; test/checks/capacity/sdk-poller-options.test.ts
 * runs the SDK's own option compiler to prove it.
 */
export const IGNORED_POLLER_OPTIONS = {
  maxConcurrentWorkflowTaskPolls: 'workflowTaskPollerBehavior',
  maxConcurrentActivityTaskPolls: 'activityTaskPollerBehavior',
  maxConcurrentNexusTaskPolls: 'nexusTaskPollerBehavior',
} as const;

/**
 * temporalio 1.35.0 (worker/_worker.py, _init_from_config): a truthy max_concurrent_*_task_polls
 * replaces the poller behavior with PollerBehaviorSimpleMaximum(maximum=n); proved by
 * test/model/python/python-sdk-capacity-facts.test.ts.
 */
export const PYTHON_OVERRIDING_POLL_OPTIONS = {
  max_concurrent_workflow_task_polls: 'workflow_task_poller_behavior',
  max_concurrent_activity_task_polls: 'activity_task_poller_behavior',
} as const;

/**
 * The slot options temporalio 1.35.0 rejects next to `tuner=` (ValueError when the Worker is
 * built, if any is truthy): model names (the engine's vocabulary) to the Python keyword.
 */
export const PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER = {
  maxConcurrentWorkflowTaskExecutions: 'max_concurrent_workflow_tasks',
  maxConcurrentActivityTaskExecutions: 'max_concurrent_activities',
  maxConcurrentLocalActivityExecutions: 'max_concurrent_local_activities',
  max_concurrent_nexus_tasks: 'max_concurrent_nexus_tasks',
} as const;

export default defineCheck({
  id: 'worker-ignored-poller-options',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Poller and slot options the SDK ignores, overrides or rejects together: maxConcurrent*TaskPolls (TypeScript); max_concurrent_*_task_polls beside a poller behavior, slot options beside a tuner (Python).',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      reportPython(ctx, model);
      return;
    }
    for (const worker of model.workers) {
      for (const [name, replacement] of Object.entries(IGNORED_POLLER_OPTIONS)) {
        const option = workerOption(worker, name, model);
        if (option.state !== 'set') continue;
        const written = option.value.kind === 'number' ? String(option.value.value) : option.value.kind === 'unknown' ? option.value.text : '…';
        ctx.report({
          location: option.location,
          message:
            `${workerLabel(worker, model)} sets ${name}: ${written}, which the TypeScript SDK ignores: it polls with at most min(10, slots) unless ${replacement} says otherwise. ` +
            'Whoever raised it to drain a backlog or cut schedule-to-start latency got no extra pollers, and the setting hides that.',
          fix:
            `Remove ${name} and set ${replacement}: { type: 'autoscaling' } (the server-guided poller count, up to 100) or { type: 'simple-maximum', maximum: ${option.value.kind === 'number' ? option.value.value : 'n'} }.`,
          data: { option: name, replacement },
        });
      }
    }
  },
});

function reportPython(ctx: CheckContext, model: NonNullable<CheckContext['model']>): void {
  for (const worker of model.workers) {
    const label = workerLabel(worker, model);
    for (const [polls, behavior] of Object.entries(PYTHON_OVERRIDING_POLL_OPTIONS)) {
      const count = workerOption(worker, polls, model);
      const replaced = workerOption(worker, behavior, model);
      // The SDK tests the poll count for truthiness: 0 or None leaves the behavior in force.
      if (count.state !== 'set' || !truthy(count.value) || replaced.state !== 'set' || replaced.value.kind === 'undefined') continue;
      const written = writtenText(count.value);
      ctx.report({
        location: count.location,
        message:
          `${label} sets both ${polls}=${written} and ${behavior}; the SDK uses the first and replaces the behavior with PollerBehaviorSimpleMaximum(maximum=${written}), ` +
          `so ${behavior}=${writtenText(replaced.value)} (line ${replaced.location.line}) never takes effect.`,
        fix: `Remove ${polls} (deprecated in favour of ${behavior}) and keep the poller behavior you meant.`,
        data: { option: polls, replacement: behavior },
      });
    }
    const tuner = workerOption(worker, 'tuner', model);
    if (tuner.state !== 'set' || tuner.value.kind === 'undefined') continue;
    for (const [name, keyword] of Object.entries(PYTHON_SLOT_OPTIONS_EXCLUSIVE_WITH_TUNER)) {
      const slots = workerOption(worker, name, model);
      if (slots.state !== 'set' || !truthy(slots.value)) continue;
      ctx.report({
        location: slots.location,
        severity: 'error',
        message:
          `${label} sets ${keyword} next to tuner=: the SDK raises ValueError ("Cannot specify max_concurrent_workflow_tasks, max_concurrent_activities, ` +
          'max_concurrent_local_activities, or max_concurrent_nexus_tasks when also specifying tuner") when the Worker is built, so this worker never starts.',
        fix: `Remove ${keyword} and size that slot kind in the tuner (WorkerTuner.create_fixed(...) takes workflow_slots, activity_slots and local_activity_slots), or drop the tuner.`,
        data: { option: keyword, conflictsWith: 'tuner' },
      });
    }
  }
}

/** Python truthiness of a resolved option: 0, "" and False leave the option unused. */
function truthy(value: { kind: string; value?: unknown }): boolean {
  if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') return Boolean(value.value);
  // An expression that does not resolve may be None or 0 at run time: cannot tell.
  return value.kind === 'object' || value.kind === 'array';
}

function writtenText(value: { kind: string; value?: unknown; text?: string }): string {
  return value.kind === 'number' ? String(value.value) : value.text ?? '…';
}
