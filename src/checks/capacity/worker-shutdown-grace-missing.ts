// Prevents every deploy from cancelling in-flight activities: with shutdownGraceTime 0 (the
// default) a worker asked to stop cancels its running activities at once, and the ones that react
// to the cancellation fail and run again.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { parseDuration } from '../../engine/duration.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import type { ActivityImplementation, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'worker-shutdown-grace-missing',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'shutdownGraceTime unset or 0 on a worker whose activities react to cancellation: every deploy cancels them in flight.',
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
      const location = option.state === 'set' ? option.location : worker.location;
      const data = { shutdownGraceTime: option.state === 'set' ? 0 : 'unset' };
      // A per-run worker is shut down after its one workflow finished: nothing is in flight then.
      if (worker.ephemeral) {
        ctx.report({
          location,
          severity: 'info',
          message: `${label} ${state}: on shutdown it cancels its running activities at once. ${ephemeralWorkerNote(worker, ctx.root)}`,
          fix: "Set shutdownGraceTime (e.g. '30s', below the orchestrator's kill deadline) if this worker ever serves more than the one run it starts.",
          data,
        });
        continue;
      }
      const { aware, unseen } = cancellationOf(worker, model);
      // The SDK never interrupts an activity function: one that never looks at cancellation runs to
      // its end whatever the grace time, and the worker waits for it (@temporalio/worker Worker.shutdown).
      if (aware.length === 0) {
        ctx.report({
          location,
          severity: 'info',
          message:
            `${label} ${state}, but none of its activities reacts to cancellation (no cancelled(), cancellationSignal, activity sleep() or worker client)` +
            `${unseen.length > 0 ? `, as far as can be seen (the code of ${listNames(unseen)} was not found)` : ''}: ` +
            'on shutdown the worker sends the cancellation and waits for them to finish either way, so the grace time changes nothing today. Only the process being killed (e.g. at the orchestrator\'s deadline) interrupts them.',
          fix: "Set shutdownGraceTime (e.g. '30s', below the orchestrator's kill deadline) when an activity starts to honour cancellation, so in-flight work gets that long to finish before it is cancelled.",
          data: { ...data, cancellationAware: [] },
        });
        continue;
      }
      const names = [...new Set(aware.map((impl) => impl.name))].sort();
      ctx.report({
        location,
        message:
          `${label} ${state}: on shutdown it cancels its running activities at once, and ${listNames(names)} ${names.length === 1 ? 'reacts' : 'react'} to cancellation. ` +
          'Every deploy, scale-in or node drain then interrupts that in-flight work; the attempts fail and run again, and activities that are not idempotent do their side effect twice.',
        fix: "Set shutdownGraceTime to a little more than a typical activity run (e.g. '30s'), below the orchestrator's kill deadline (Kubernetes terminationGracePeriodSeconds defaults to 30 s).",
        related: aware.map((impl) => ({ ...impl.cancellation!, message: `${impl.name} reacts to cancellation here` })),
        data: { ...data, cancellationAware: names },
      });
    }
  },
});

/**
 * The worker's activities that react to cancellation, and the registered names whose code was not
 * found. A worker whose registration could not be read is judged by every activity of the project.
 */
function cancellationOf(worker: WorkerDefinition, model: TemporalModel): { aware: ActivityImplementation[]; unseen: string[] } {
  const names = worker.activityNames;
  const implementations = names === 'unknown' ? model.activities : model.activities.filter((impl) => names.includes(impl.name));
  const unseen = names === 'unknown' ? [] : names.filter((name) => !implementations.some((impl) => impl.name === name));
  return { aware: implementations.filter((impl) => impl.cancellation !== null), unseen };
}
