// Prevents tuning that does nothing: SDK 1.24 still declares maxConcurrent*TaskPolls but never
// reads them, so a team that raised them to drain a backlog is still polling with at most 10.

import { defineCheck } from '../define-check.js';
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

export default defineCheck({
  id: 'worker-ignored-poller-options',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'maxConcurrent*TaskPolls options, which the SDK declares but ignores.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
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
