// Prevents workflows that never start running: a type that clients or parents start but that no
// worker's workflowsPath exports sits in the task queue until it times out.

import { relative } from '../../engine/run-checks.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import type { StaticValue, TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck, type CheckContext } from '../define-check.js';
import { withoutRunTimeout } from '../../engine/activity-policy/workflow-deadline.js';

export default defineCheck({
  id: 'workflow-not-registered',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: "A workflow type that is started (client, child or schedule) but that no worker's workflowsPath exports (Python: also a workflow class no worker registers and nothing starts, as a note)",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') return reportPython(ctx);
    const knownWorkers = model.workers.filter((worker) => worker.workflowsPath !== null);
    const unknownWorkers = model.workers.filter((worker) => worker.workflowsPath === null);
    if (model.workers.length === 0) return; // the workers live elsewhere: nothing to compare with
    // workflow code that does not parse hides its exports: the model gap says so, a finding would be wrong
    const broken = new Set(model.parseErrors.map((error) => error.file));
    if (knownWorkers.some((worker) => broken.has(worker.workflowsPath!))) return;
    const registered = new Set(model.workflows.filter((w) => w.workerIds.length > 0).map((w) => w.name));
    const reported = new Set<string>();
    for (const start of model.starts) {
      const type = start.workflowType;
      if (type === null || registered.has(type)) continue;
      const key = `${start.location.file}:${start.location.line}:${start.location.column}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const paths = knownWorkers.map((worker) => relative(ctx.root, worker.workflowsPath!)).join(', ');
      if (knownWorkers.length === 0 || unknownWorkers.length > 0) {
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${describe(start)} starts workflow type '${type}', and the reviewer cannot tell whether a worker registers it ` +
            `(a worker uses a prebuilt workflowBundle or a workflowsPath it cannot resolve). An unregistered type never runs.`,
          fix: `Make sure the worker for this task queue bundles a module that exports '${type}'.`,
          data: { workflowType: type },
        });
        continue;
      }
      const elsewhere = otherServiceQueue(start, model);
      if (elsewhere) {
        const waits = withoutRunTimeout(start.options)
          ? ` The start sets neither workflowExecutionTimeout nor workflowRunTimeout: if that service is down or does not register '${type}', ` +
            `the run waits on the queue for ever${start.child && start.method === 'executeChild' ? ', and so does this parent' : ''}.`
          : '';
        // A type the project defines nowhere, started on a queue none of its workers is shown to poll:
        // the Python rule's reasoning (a worker of another service registers it), with the queue as evidence.
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${describe(start)} starts workflow type '${type}' on task queue ${elsewhere}, which no worker in the reviewed code is shown to poll, ` +
            `and the reviewed code defines no workflow of that name: presumably a worker of another service registers it.` +
            (waits || ' If not, the run waits on that queue until its timeout ends it.'),
          fix:
            `Make sure the service whose workers poll ${elsewhere} registers '${type}' (an integration test across the two services catches a rename)` +
            (waits ? `, and set workflowExecutionTimeout on this start so a run nobody picks up ends by itself.` : '.'),
          data: { workflowType: type, taskQueue: elsewhere, otherService: true, ...(waits ? { noRunTimeout: true } : {}) },
        });
        continue;
      }
      const development = notProduction(start, ctx.root);
      ctx.report({
        location: start.location,
        // A script run by hand (a manual test, a seed): nothing in production starts this type here.
        ...(development ? { severity: 'info' as const } : {}),
        message:
          `${describe(start)} starts workflow type '${type}', but no worker's workflowsPath (${paths}) exports it. ` +
          `The workflow task waits in the task queue with no worker able to run it, until the workflow times out.` +
          (development ? ` This is ${development.what} (${development.reason}): it fails when someone runs it, not in production.` : ''),
        fix: `Export '${type}' from the workflows module a worker bundles (${paths}), or correct the workflow type name.`,
        data: { workflowType: type, workflowsPaths: knownWorkers.map((worker) => relative(ctx.root, worker.workflowsPath!)) },
      });
    }
  },
});

/**
 * The task queue a start names, as text, when the workflow type is started by name, is defined nowhere
 * in the reviewed code, and the start's `taskQueue` is not shown to be one a worker of the project polls (the same
 * literal, the same configuration variable, or the same expression). Undefined otherwise: a child
 * without `taskQueue` runs on its parent's queue, and a type the project defines is judged as before.
 */
function otherServiceQueue(start: WorkflowStart, model: TemporalModel): string | undefined {
  const type = start.workflowType;
  if (type === null || model.workflows.some((workflow) => workflow.name === type)) return undefined;
  // Started by a function reference: the workflow is this project's code, whatever queue it names.
  if (!/^['"`]/.test(start.workflowTypeText.trim())) return undefined;
  const options = start.options;
  if (options?.kind !== 'object') return undefined;
  const queue = options.properties.get('taskQueue') ?? options.maybeProperties?.get('taskQueue');
  if (!queue) return undefined;
  const polled = model.workers.some((worker) => sameQueue(worker.taskQueue, queue));
  if (polled) return undefined;
  if (queue.kind === 'string') return queue.configurable ? `'${queue.value}' (unless ${queue.configurable.env} is set)` : `'${queue.value}'`;
  return 'text' in queue && typeof queue.text === 'string' ? `\`${queue.text}\`` : undefined;
}

function sameQueue(a: StaticValue | undefined, b: StaticValue): boolean {
  if (!a) return false;
  if (a.kind === 'string' && b.kind === 'string') {
    if (a.value === b.value) return true;
    return !!a.configurable && !!b.configurable && a.configurable.env === b.configurable.env;
  }
  const textA = 'text' in a && typeof a.text === 'string' ? a.text : undefined;
  const textB = 'text' in b && typeof b.text === 'string' ? b.text : undefined;
  // a worker queue the model could not read (a setting passed in) is not shown to be the start's:
  // only the same expression on both sides is
  return textA !== undefined && textA === textB;
}

function describe(start: WorkflowStart): string {
  if (start.child) return `This child workflow call (${start.method})`;
  return start.method === 'schedule' ? 'This schedule (schedule.create)' : `This client call (workflow.${start.method})`;
}

/**
 * Python: a start whose type no `Worker(workflows=[...])` of the project registers, judged only when
 * every worker's list is known and the type is a workflow the project defines (a type by name that
 * the project does not define may be a worker elsewhere's). Schedule actions
 * (`ScheduleActionStartWorkflow`) count as starts. A workflow class no worker registers and no start
 * names is a note on the class: it never runs here, and fails if anything outside starts it.
 */
function reportPython(ctx: CheckContext): void {
  const model = pythonModelOf(ctx.model);
  if (!model || model.workers.length === 0 || model.workers.some((w) => w.workflowNames === 'unknown')) return;
  if (model.parseErrors.length > 0) return; // a worker's list may be in the part that does not parse
  const registered = new Set(model.workers.flatMap((w) => (w.workflowNames === 'unknown' ? [] : w.workflowNames)));
  const defined = new Set(model.workflows.map((w) => w.name));
  const starts = [...model.starts, ...(model.scheduleActions ?? [])];
  // every worker's activity list is read when none is 'unknown' (checked with the workflow lists below)
  const activityListsRead = model.workers.every((w) => Array.isArray(w.activityNames));
  const registeredActivities = activityListsRead ? new Set(model.workers.flatMap((w) => w.activityNames as string[])) : undefined;
  const definedActivities = new Set(model.activities.map((a) => a.name));
  for (const start of starts) {
    const type = start.workflowType;
    if (type === null || registered.has(type) || !defined.has(type)) continue;
    const missingActivities = activitiesNoWorkerRuns(model, type, registeredActivities, definedActivities);
    const what =
      start.method === 'schedule'
        ? 'This schedule action (ScheduleActionStartWorkflow)'
        : start.child
          ? `This child workflow call (workflow.${start.method === 'startChild' ? 'start_child_workflow' : 'execute_child_workflow'})`
          : `This client call (${start.method === 'start' ? 'start_workflow' : 'execute_workflow'})`;
    ctx.report({
      location: start.location,
      message:
        `${what} starts workflow type '${type}', but no Worker(workflows=[...]) of the project registers it. A worker polling the task queue fails ` +
        `the workflow task with NotFoundError ("Workflow class ${type} is not registered on this worker") and the server retries it until the workflow times out.` +
        (missingActivities.length ? ` Registering it is not enough: ${activitiesNote(missingActivities)}` : ''),
      fix:
        `Add the workflow class to the workflows=[...] of the worker for this task queue, or correct the workflow type name.` +
        (missingActivities.length ? ` Define and register its activities as well (${missingActivities.map((a) => a.name).join(', ')}).` : ''),
      data: { workflowType: type, ...(missingActivities.length ? { activityTypesMissing: missingActivities.map((a) => a.name) } : {}) },
    });
  }
  const started = new Set(starts.map((start) => start.workflowType));
  const unknownStart = starts.find((start) => start.workflowType === null);
  const at = (location: { file: string; line: number }) => `${relative(ctx.root, location.file)}:${location.line}`;
  const workers = model.workers.map((worker) => at(worker.location));
  for (const unregistered of model.unregisteredWorkflows ?? []) {
    if (started.has(unregistered.name)) continue;
    const mentions = unregistered.mentions.slice(0, 3).map(at).join(', ');
    const named =
      unregistered.mentions.length > 0
        ? ` The project names it at ${mentions}${unregistered.mentions.length > 3 ? ` and ${unregistered.mentions.length - 3} more places` : ''}, but no start the review could read does.`
        : ' Nothing else in the project names it.';
    const elsewhere = unknownStart
      ? `the start at ${at(unknownStart.location)}, whose workflow type the review could not read, or a schedule or client outside this code base`
      : 'a schedule or client outside this code base, another service or the CLI';
    ctx.report({
      location: unregistered.location,
      severity: 'info',
      message:
        `Workflow ${unregistered.className}${unregistered.nameUnread ? ' (its type name is computed)' : unregistered.name !== unregistered.className ? ` (type '${unregistered.name}')` : ''} is registered on no worker: ` +
        `every Worker(workflows=[...]) of the project was read (${workers.slice(0, 3).join(', ')}) and none lists it, and no start in the project names it.${named} ` +
        `As the code stands it never runs. If something starts it (${elsewhere}), a worker polling that task queue fails the workflow task with NotFoundError ` +
        `(${unregistered.nameUnread ? '"Workflow class ... is not registered on this worker"' : `"Workflow class ${unregistered.name} is not registered on this worker"`}) and retries it until the workflow times out.`,
      fix: `Add ${unregistered.className} to the workflows=[...] of the worker for its task queue if it is meant to run, or remove it.`,
      related: model.workers.slice(0, 3).map((worker) => ({ ...worker.location, message: `worker whose workflows do not include ${unregistered.className}` })),
      data: { workflowType: unregistered.name, unstarted: true, mentions: unregistered.mentions.length },
    });
  }
}

type PythonModel = NonNullable<ReturnType<typeof pythonModelOf>>;

/**
 * The activity types the workflow schedules (by a name the review read) that no worker of the
 * project registers, in call order, each with whether any `@activity.defn` of the project defines
 * it. Empty when a worker's activity list could not be read (it may register anything).
 */
function activitiesNoWorkerRuns(model: PythonModel, workflowType: string, registered: Set<string> | undefined, defined: Set<string>): { name: string; defined: boolean }[] {
  if (!registered) return [];
  const found = new Map<string, { name: string; defined: boolean }>();
  for (const proxy of model.activityProxies) {
    if (proxy.kind !== 'remote' || proxy.usedActivityTypes === 'all' || !proxy.workflowNames.includes(workflowType)) continue;
    for (const use of proxy.usedActivityTypes) {
      if (use.guessed || registered.has(use.name) || found.has(use.name)) continue;
      found.set(use.name, { name: use.name, defined: defined.has(use.name) });
    }
  }
  return [...found.values()];
}

/** The sentence naming the workflow's activities that no worker registers, and those nothing defines. */
function activitiesNote(missing: { name: string; defined: boolean }[]): string {
  const quoted = (items: { name: string }[]) => items.map((a) => `'${a.name}'`).join(', ');
  const undefinedOnes = missing.filter((a) => !a.defined);
  const definedOnes = missing.filter((a) => a.defined);
  const parts: string[] = [];
  if (undefinedOnes.length) parts.push(`${quoted(undefinedOnes)} ${undefinedOnes.length === 1 ? 'is' : 'are'} defined by no @activity.defn of the project`);
  if (definedOnes.length) parts.push(`${quoted(definedOnes)} ${definedOnes.length === 1 ? 'is' : 'are'} defined but in no worker's activities=[...]`);
  return (
    `the activities it schedules are missing too: ${parts.join(', and ')}. Each call would fail with "Activity function ... is not registered on this worker" ` +
    `and be retried by its retry policy.`
  );
}
