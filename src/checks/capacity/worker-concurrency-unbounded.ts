// Prevents a worker that accepts every task it can poll: with no backpressure a spike is pulled
// into one process until it runs out of memory, file handles or downstream connections.

import { defineCheck } from '../define-check.js';
import { hostsWorkflows, numberOption, workerLabel, workerOption, type WorkerOption } from '../../model/typescript/observability/worker-options.js';

/**
 * Above these a slot count no longer limits anything a single process can really run: ten times
 * the TypeScript defaults (100 activities, 40 workflow tasks; Go's activity default is 1,000).
 */
export const UNBOUNDED_AT = {
  maxConcurrentActivityTaskExecutions: 1000,
  maxConcurrentLocalActivityExecutions: 1000,
  maxConcurrentWorkflowTaskExecutions: 400,
} as const;

const UNBOUNDED_TEXT = /\b(Infinity|MAX_SAFE_INTEGER|MAX_VALUE)\b/;

export default defineCheck({
  id: 'worker-concurrency-unbounded',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Slot counts so large that the worker applies no backpressure.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      for (const [name, limit] of Object.entries(UNBOUNDED_AT)) {
        if (name === 'maxConcurrentWorkflowTaskExecutions' && !hostsWorkflows(worker)) continue;
        const option = workerOption(worker, name, model);
        const value = slotValue(option);
        if (value === undefined || value <= limit || option.state !== 'set') continue;
        const shown = Number.isFinite(value) && value < Number.MAX_SAFE_INTEGER ? String(value) : 'unlimited';
        // `limit || 1000000`: the fallback is what runs whenever the value in front is unset.
        const configurable = 'configurable' in option.value ? option.value.configurable : undefined;
        const when = configurable ? ` whenever ${configurable.env} is not set` : '';
        ctx.report({
          location: option.location,
          message:
            `${workerLabel(worker, model)} sets ${name} to ${shown}${when}: there is no backpressure. ` +
            'During a spike or a backlog after an outage the worker pulls in every task it can poll, and memory, CPU or the connections to downstream services run out before the slots do: tasks time out and are retried all at once.',
          fix:
            `Size ${name} for what one process can really run (\`temporal-preflight capacity\` gives the count for a latency target) and scale out with more worker processes; ` +
            'or use a resource-based tuner, which stops taking tasks when CPU or memory is high.',
          data: { option: name, value: shown, limit },
        });
      }
      const tuner = workerOption(worker, 'tuner', model);
      if (tuner.state === 'set' && tuner.value.kind === 'object') {
        for (const [supplier, limit] of [
          ['activityTaskSlotSupplier', UNBOUNDED_AT.maxConcurrentActivityTaskExecutions],
          ['localActivityTaskSlotSupplier', UNBOUNDED_AT.maxConcurrentLocalActivityExecutions],
          ['workflowTaskSlotSupplier', UNBOUNDED_AT.maxConcurrentWorkflowTaskExecutions],
        ] as const) {
          const config = tuner.value.properties.get(supplier);
          const numSlots = config?.kind === 'object' ? config.properties.get('numSlots') : undefined;
          const value = numSlots?.kind === 'number' ? numSlots.value : numSlots?.kind === 'unknown' && UNBOUNDED_TEXT.test(numSlots.text) ? Infinity : undefined;
          if (value === undefined || value <= limit || !numSlots) continue;
          ctx.report({
            location: numSlots.location,
            message:
              `${workerLabel(worker, model)} gives its ${supplier} ${Number.isFinite(value) ? value : 'unlimited'} fixed slots: there is no backpressure, so a spike is pulled into one process until memory, CPU or downstream connections run out.`,
            fix: 'Size the fixed-size supplier for what one process can run, or use a resource-based supplier.',
            data: { option: `tuner.${supplier}.numSlots`, value: Number.isFinite(value) ? value : 'unlimited', limit },
          });
        }
      }
    }
  },
});

function slotValue(option: WorkerOption): number | undefined {
  const value = numberOption(option);
  if (value !== undefined) return value;
  if (option.state === 'set' && option.value.kind === 'unknown' && UNBOUNDED_TEXT.test(option.value.text)) return Infinity;
  return undefined;
}
