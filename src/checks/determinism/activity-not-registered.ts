// Prevents activities that no worker can run: a workflow running on a worker schedules an
// activity type that no worker's activity set provides (TypeScript: a factory left out of the
// `activities` object, a renamed export; Python: a function left out of `activities=[...]`, a
// `@activity.defn(name=...)` that differs from the name the workflow calls). Every attempt fails
// with "Activity function X is not registered on this Worker" (Python: "... is not registered on
// this worker", a retryable NotFoundError), retried by the activity's retry policy (forever by
// default) while the workflow waits.

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { unregisteredActivityCalls } from '../../engine/activity-policy/unregistered.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { defineCheck } from '../define-check.js';
import type { SourceLocation } from '../../model/types.js';

/** A Python worker whose module raises ImportError when it loads (python-temporal-calls.ts). */
type LoadFailing = { loadFailure?: { location: SourceLocation; statement: string }[] };

export default defineCheck({
  id: 'activity-not-registered',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: "An activity a registered workflow schedules that no worker's `activities` (object, or Python list) provides",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    // Only a start of a known type makes the failure certain. A start whose type the review
    // cannot read (a generic helper taking the type from its caller) may start any workflow: the
    // finding then says so as a warning, like a workflow nothing here starts.
    const starts = [...model.starts, ...(model.scheduleActions ?? [])];
    const unknownStart = starts.find((start) => start.workflowType === null);
    const started = new Set(starts.map((start) => start.workflowType));
    for (const missing of unregisteredActivityCalls(model)) {
      const workers = missing.workers.map((worker) => `${relative(ctx.root, worker.location.file)}:${worker.location.line}`).join(', ');
      const name = missing.use.name;
      // A workflow nothing here starts (a feature switched off, started only from outside) fails
      // only if something does start it: a risk to check, not a certain failure.
      const unstarted = missing.workflowNames.every((type) => !started.has(type));
      const unstartedNote = !unstarted
        ? ''
        : unknownStart
          ? ` Nothing in this code base starts ${missing.workflowNames.join(', ')} by name; a start whose workflow type the review could not read ` +
            `(${relative(ctx.root, unknownStart.location.file)}:${unknownStart.location.line}) may, and so may something outside this code base.`
          : ` Nothing in this code base starts ${missing.workflowNames.join(', ')}: this happens when something outside it (the CLI, another service, a schedule made elsewhere) does.`;
      // a worker kept in a file nothing deploys registers it: say so, it is the likely fix
      const elsewhere = missing.unstartedRegistering.length
        ? `; ${missing.unstartedRegistering.map((worker) => `${relative(ctx.root, worker.location.file)}:${worker.location.line}`).join(', ')} register${missing.unstartedRegistering.length === 1 ? 's' : ''} it, but ${missing.unstartedRegistering[0]!.notStarted}`
        : '';
      // a Python worker whose module cannot load does not start at all today
      const broken = missing.workers.filter((worker) => (worker as LoadFailing).loadFailure?.length);
      const loadNote = broken.length
        ? ` Today ${broken.map((worker) => path.basename(worker.location.file)).join(', ')} cannot even load: ${broken
            .map((worker) => {
              const first = (worker as LoadFailing).loadFailure![0]!;
              return `\`${first.statement}\` (line ${first.location.line}) raises ImportError (see project-import-name-missing)`;
            })
            .join('; ')}, so ${broken.length === 1 ? 'that worker does' : 'those workers do'} not start at all. Once ${broken.length === 1 ? 'it loads' : 'they load'}, the registration is still missing: every`
        : '';
      ctx.report({
        location: missing.use.location,
        ...(unstarted ? { severity: 'warning' as const } : {}),
        message:
          `Workflow ${missing.workflowNames.join(', ')} schedules activity '${name}', but no worker's activities provide it (the workers polling its task queue: ${workers}, ` +
          `whose activity sets were all read${elsewhere}).${loadNote || ' Every'} attempt fails with "Activity function ${name} ${python ? 'for workflow ... is not registered on this worker' : 'is not registered on this Worker'}" and is retried ` +
          retriedHow(model, missing.proxy.id) +
          unstartedNote,
        fix: python
          ? `Add the function whose activity type is '${name}' to activities=[...] of the worker that runs this workflow (${workers}), or stop calling it.`
          : `Add '${name}' to the activities of the worker that runs this workflow (${workers}), or stop calling it.`,
        related: [
          ...missing.workers.map((worker) => ({ ...worker.location, message: 'worker whose activities lack it' })),
          ...missing.unstartedRegistering.map((worker) => ({ ...worker.location, message: 'worker that registers it, which nothing deploys' })),
        ],
        data: { activityType: name, workflowTypes: missing.workflowNames, workers: missing.workers.map((worker) => worker.id) },
      });
    }
  },
});

/**
 * How the failing attempts go on, by the call's retry policy: a bounded policy fails the activity
 * in the workflow after its last attempt; no policy (or no maximumAttempts) retries while the
 * workflow waits.
 */
function retriedHow(model: Parameters<typeof proxyReviews>[0], proxyId: string): string {
  const retry = proxyReviews(model).find((review) => review.proxy.id === proxyId)?.retry;
  if (retry?.known && retry.policy.maximumAttempts > 1) {
    return `${retry.policy.maximumAttempts - 1} more times (maximumAttempts ${retry.policy.maximumAttempts}), and then the activity fails in the workflow: every run that reaches this call fails here unless it catches the failure.`;
  }
  if (retry?.known && retry.policy.maximumAttempts === 1) return 'no more (maximumAttempts 1): the activity fails in the workflow at once, in every run that reaches this call.';
  if (retry?.known) return `by ${retry.written ? 'its retry policy, which sets no maximumAttempts' : 'the default retry policy'}, without end, while the workflow waits.`;
  return "by the activity's retry policy (without maximumAttempts, forever) while the workflow waits.";
}
