// Prevents a workflow's activity call from running another function: the workflow schedules an
// activity method or function by its definition (`OperationalActivities.forecast` passed to
// workflow.execute_activity), but the workers polling the task queue register a different function
// that has the same activity type (the same `@activity.defn(name=...)`, or the same function name).
// An activity task carries only its type: the worker runs the function it registered under that
// type, with the arguments meant for the other one. Nothing fails at registration or at the call;
// the workflow gets the other function's result, or the failure it raises on the unexpected input.
// Python only: a TypeScript proxy calls an activity by the key the worker registers.

import { relative } from '../../engine/run-checks.js';
import { pollingWorkers } from '../../model/activity-registration.js';
import type { PythonActivity } from '../../model/python/python-activities.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'activity-type-collision',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A Python workflow schedules an activity function whose activity type the worker registers for a different function: the worker runs that other function for the call',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model || model.parseErrors.length > 0) return;
    const running = model.workers.filter((worker) => !worker.notStarted);
    // as activity-not-registered: a workflow nothing here starts runs the wrong function only if something does start it
    const starts = [...model.starts, ...(model.scheduleActions ?? [])];
    const unknownStart = starts.find((start) => start.workflowType === null && !start.workflowTypeCandidates?.length);
    const started = new Set(starts.flatMap((start) => (start.workflowType !== null ? [start.workflowType] : (start.workflowTypeCandidates ?? []))));
    for (const target of model.activityTargets ?? []) {
      const scheduled = target.activity;
      // a name= the review could not read: the type is not known, nor whether the two share it
      if (scheduled.nameNotLiteral) continue;
      const proxy = model.activityProxies.find((candidate) => candidate.id === target.proxyId);
      const use = proxy && proxy.usedActivityTypes !== 'all' ? proxy.usedActivityTypes[0] : undefined;
      if (!proxy || !use) continue;
      const runningIds = new Set(running.map((worker) => worker.id));
      const workflowWorkerIds = model.workflows.filter((workflow) => proxy.workflowNames.includes(workflow.name)).flatMap((workflow) => workflow.workerIds.filter((id) => runningIds.has(id)));
      if (workflowWorkerIds.length === 0) continue;
      // a local activity runs on the worker running the workflow; a remote one on the workers polling its queue
      const workers = proxy.kind === 'local' ? running.filter((worker) => workflowWorkerIds.includes(worker.id)) : pollingWorkers(proxy, workflowWorkerIds, running);
      // every worker that may take the task must have its activity list read to the end
      if (workers.length === 0 || workers.some((worker) => !worker.registeredActivities)) continue;
      const registrants = workers.flatMap((worker) => worker.registeredActivities!.filter((entry) => entry.activity.name === scheduled.name).map((entry) => ({ worker, ...entry })));
      // not registered at all: activity-not-registered; registered itself somewhere: not judged here
      if (registrants.length === 0 || registrants.some((entry) => entry.activity.node.id === scheduled.node.id)) continue;
      if (registrants.some((entry) => entry.activity.nameNotLiteral)) continue;
      const others = [...new Map(registrants.map((entry) => [entry.activity.node.id, entry.activity])).values()];
      // matched by the method name alone (the instance's class was not read): likely, not certain
      const sure = registrants.every((entry) => !entry.byMethodName);
      const unresolved = proxy.workflowNames.every((type) => !started.has(type));
      const unstarted = unresolved && !unknownStart;
      const unstartedNote = !unresolved
        ? ''
        : unknownStart
          ? ` The review could not resolve the workflow type the start at ${relative(ctx.root, unknownStart.location.file)}:${unknownStart.location.line} passes; it may start ${proxy.workflowNames.join(', ')}.`
          : ` Nothing in this code base starts ${proxy.workflowNames.join(', ')}: this happens when something outside it (the CLI, another service, a schedule made elsewhere) does.`;
      const workerList = [...new Set(registrants.map((entry) => `${relative(ctx.root, entry.worker.location.file)}:${entry.worker.location.line}`))].join(', ');
      const otherList = others.map((other) => `${label(other)} (${relative(ctx.root, other.file)}:${other.location.line})`).join(' and ');
      const workflows = proxy.workflowNames.join(', ');
      ctx.report({
        location: use.location,
        ...(sure && !unstarted ? {} : { severity: 'warning' as const }),
        message:
          `Workflow ${workflows} schedules ${label(scheduled)} (${relative(ctx.root, scheduled.file)}:${scheduled.location.line}), whose activity type is '${scheduled.name}', ` +
          `but the worker${registrants.length > 1 ? 's' : ''} polling its task queue (${workerList}) register${registrants.length > 1 ? '' : 's'} ${otherList} under that same type, and not ${label(scheduled)}. ` +
          `An activity task carries only its type, so the worker runs ${others.map(label).join(' or ')} for this call, with the arguments meant for ${label(scheduled)}: ` +
          `the workflow gets that function's result, or the failure it raises on input it does not expect, and ${label(scheduled)} never runs.` +
          (sure ? '' : ` (The registered function was matched by its method name: the class of the instance in the worker's list was not read.)`) +
          unstartedNote,
        fix: `Give the two functions distinct activity types (@activity.defn(name="...")) and register the one this workflow calls, or call the function the worker registers.`,
        related: [
          { ...scheduled.location, message: `${label(scheduled)}: the function the workflow calls` },
          ...others.map((other) => ({ ...other.location, message: `${label(other)}: the function the worker runs under '${scheduled.name}'` })),
          ...[...new Set(registrants.map((entry) => entry.worker))].map((worker) => ({ ...worker.location, message: 'worker that registers it' })),
        ],
        data: { activityType: scheduled.name, scheduled: label(scheduled), registered: others.map(label), workflowTypes: proxy.workflowNames },
      });
    }
  },
});

function label(activity: PythonActivity): string {
  const name = activity.node.childForFieldName('name')?.text ?? activity.name;
  return activity.className ? `${activity.className}.${name}` : `${name}()`;
}
