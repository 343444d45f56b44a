// Prevents every deploy from cancelling in-flight activities: with shutdownGraceTime 0 (the
// default) a worker asked to stop cancels its running activities at once, and they run again.

import { defineCheck } from '../define-check.js';
import { parseDuration } from '../../engine/duration.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';

export default defineCheck({
  id: 'worker-shutdown-grace-missing',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'shutdownGraceTime unset or 0: every deploy cancels in-flight activities.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const worker of model.workers) {
      if (!registersActivities(worker)) continue;
      const option = workerOption(worker, 'shutdownGraceTime', model);
      const label = workerLabel(worker, model);
      if (option.state === 'maybe' || option.state === 'unknown') continue;
      let state: string;
      if (option.state === 'absent') state = 'does not set shutdownGraceTime (default 0)';
      else {
        const value = option.value;
        const ms = value.kind === 'number' || value.kind === 'string' ? parseDuration(value.value) : null;
        if (ms === null || ms > 0) continue;
        state = `sets shutdownGraceTime to ${value.kind === 'string' ? `'${value.value}'` : String(value.kind === 'number' ? value.value : 0)}`;
      }
      // A per-run worker is shut down after its one workflow finished: nothing is in flight then.
      ctx.report({
        location: option.state === 'set' ? option.location : worker.location,
        ...(worker.ephemeral ? { severity: 'info' as const } : {}),
        message:
          `${label} ${state}: on shutdown it cancels its running activities at once. ` +
          (worker.ephemeral
            ? ephemeralWorkerNote(worker, ctx.root)
            : 'Every deploy, scale-in or node drain then interrupts in-flight work (a charge, an email, an upload); the attempts fail and run again after a timeout, and activities that are not idempotent do their side effect twice.'),
        fix:
          "Set shutdownGraceTime to a little more than a typical activity run (e.g. '30s'), below the orchestrator's kill deadline (Kubernetes terminationGracePeriodSeconds defaults to 30 s), and make long activities heartbeat so they notice cancellation.",
        data: { shutdownGraceTime: option.state === 'set' ? 0 : 'unset' },
      });
    }
  },
});
