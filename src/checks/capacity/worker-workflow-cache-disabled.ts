// Points at a worker that keeps no workflow in memory: maxCachedWorkflows: 0 (TypeScript) or
// max_cached_workflows=0 (Python) turns off the workflow cache and the sticky task queue, so every
// workflow task, one per activity completion, timer, signal or update, fetches the workflow's whole
// history from the server and replays it from the first event. A workflow's cost then grows with
// the square of its history: a long-running loop or a workflow that waits on many signals gets
// slower with every step, and the server serves each full history again. Zero is a setting for
// replay tests and debugging, not for a worker that runs production workflows.

import { defineCheck } from '../define-check.js';
import { environmentReference } from '../../model/environment-reference.js';
import { hostsWorkflows, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';

export default defineCheck({
  id: 'worker-workflow-cache-disabled',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'maxCachedWorkflows: 0 / max_cached_workflows=0 on a worker that runs workflows: no cache and no sticky queue, so every workflow task fetches and replays the whole history (info when the environment can change it)',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    const option = python ? 'max_cached_workflows' : 'maxCachedWorkflows';
    for (const worker of model.workers) {
      if (!hostsWorkflows(worker) || worker.ephemeral) continue;
      const setting = workerOption(worker, 'maxCachedWorkflows', model);
      if (setting.state !== 'set' || setting.value.kind !== 'number' || setting.value.value !== 0) continue;
      const configurable = setting.value.configurable;
      const written = python ? `${option}=0` : `${option}: 0`;
      const label = workerLabel(worker, model);
      const source = configurable ? ` (the default of ${environmentReference(configurable)}, used when it is not set)` : '';
      // A value written in a settings module is reported at the worker that uses it.
      const location = setting.location.file === worker.location.file ? setting.location : worker.location;
      ctx.report({
        location,
        severity: configurable ? 'info' : 'warning',
        message:
          `${label} sets ${written}${source}: it keeps no workflow in memory and polls no sticky task queue, so every workflow task ` +
          '(each activity result, timer, signal and update) fetches the workflow\'s whole history from the server and replays it from the first event. ' +
          'A workflow with n events then costs about n²/2 events of replay over its life: long-running loops and workflows that wait on many signals get slower with every step, ' +
          'workflow task latency grows with history, and the server serves each full history again.',
        fix: python
          ? 'Remove max_cached_workflows (the SDK default is 1000) or set it to about the number of workflows this worker runs at once; keep 0 for replay tests.'
          : 'Remove maxCachedWorkflows (the SDK sizes the cache from the worker\'s memory) or set it to about the number of workflows this worker runs at once; keep 0 for replay tests.',
        ...(location !== setting.location ? { related: [{ ...setting.location, message: 'where the 0 is written' }] } : {}),
        data: { maxCachedWorkflows: 0, ...(configurable ? { env: configurable.env } : {}) },
      });
    }
  },
});
