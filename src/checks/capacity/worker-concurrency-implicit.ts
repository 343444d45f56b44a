// Prevents the first-peak saturation of a worker left at the SDK's default slot counts, which were
// never sized for this application's load or this machine.

import { defineCheck } from '../define-check.js';
import { hostsWorkflows, registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';

/** SDK 1.24 defaults (TEMPORAL-FACTS.md section 6). */
export const IMPLICIT_DEFAULTS = { maxConcurrentActivityTaskExecutions: 100, maxConcurrentWorkflowTaskExecutions: 40 } as const;

export default defineCheck({
  id: 'worker-concurrency-implicit',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Worker.create with the default slot counts and no tuner.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      const tuner = workerOption(worker, 'tuner', model).state;
      if (tuner === 'set') continue;
      const relevant = (Object.keys(IMPLICIT_DEFAULTS) as (keyof typeof IMPLICIT_DEFAULTS)[]).filter((name) =>
        name === 'maxConcurrentActivityTaskExecutions' ? registersActivities(worker) : hostsWorkflows(worker),
      );
      const states = relevant.map((name) => [name, workerOption(worker, name, model).state] as const);
      // A tuner set on some paths only may size every slot kind.
      const tunerMaySet = tuner === 'maybe' || tuner === 'unknown';
      const implicit = tunerMaySet ? [] : states.filter(([, state]) => state === 'absent').map(([name]) => name);
      const unsure = states.filter(([, state]) => state !== 'set' && (tunerMaySet || state !== 'absent')).map(([name]) => name);
      const label = workerLabel(worker, model);
      if (implicit.length === 0) {
        if (unsure.length > 0) {
          ctx.report({
            location: worker.location,
            severity: 'info',
            message: `Cannot tell whether ${label.charAt(0).toLowerCase()}${label.slice(1)} sizes its slots (${unsure.join(', ')}): they are set on some paths only (an if, an environment value) or come from a value or spread that cannot be resolved statically.`,
            fix: 'Write the slot counts (or a tuner) in the Worker.create options where they can be seen, with a default when they come from configuration, or suppress this note with a reason.',
            data: { unresolved: unsure },
          });
        }
        continue;
      }
      const defaults = implicit.map((name) => `${name} ${IMPLICIT_DEFAULTS[name]}`).join(', ');
      ctx.report({
        location: worker.location,
        message:
          `${label} runs with the SDK's default slot counts (${defaults}), which were not sized for this application. ` +
          'At the first real peak tasks wait for a slot, schedule-to-start latency climbs and timeouts fire; on a small machine 100 concurrent activities can exhaust memory or downstream connections instead.',
        fix:
          'Size the slots for the expected peak and the machine: `temporal-preflight capacity --rate <activities/s> --duration-mean <d>` gives maxConcurrentActivityTaskExecutions; ' +
          'set maxConcurrentWorkflowTaskExecutions too, or use a tuner (fixed-size or resource-based slot suppliers).',
        data: { implicit, defaults: Object.fromEntries(implicit.map((name) => [name, IMPLICIT_DEFAULTS[name]])) },
      });
    }
  },
});
