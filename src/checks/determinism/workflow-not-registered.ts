// Prevents workflows that never start running: a type that clients or parents start but that no
// worker's workflowsPath exports sits in the task queue until it times out.

import { relative } from '../../engine/run-checks.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import type { CodeModel, StaticValue as NeutralStaticValue } from '../../model/types.js';
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
    if (model.language === 'python') {
      reportAcrossLanguages(ctx, model);
      return reportPython(ctx);
    }
    const knownWorkers = model.workers.filter((worker) => worker.workflowsPath !== null);
    const unknownWorkers = model.workers.filter((worker) => worker.workflowsPath === null);
    // the workers live elsewhere: nothing to compare with, unless the project's workers of another language run them
    if (model.workers.length === 0) return reportAcrossLanguages(ctx, model);
    // workflow code that does not parse hides its exports: the model gap says so, a finding would be wrong
    const broken = new Set(model.parseErrors.map((error) => error.file));
    if (knownWorkers.some((worker) => broken.has(worker.workflowsPath!))) return;
    const registered = new Set(model.workflows.filter((w) => w.workerIds.length > 0).map((w) => w.name));
    // A mixed repository: the Python workers' types are registered too; when their lists cannot all
    // be read, a type this code does not define may be one of theirs.
    const otherRegistries = otherModels(ctx, model).filter((other) => other.workers.length > 0).map((other) => registryOf(other, ctx.root));
    for (const other of otherRegistries) for (const name of other.registered) registered.add(name);
    const othersUnread = otherRegistries.some((other) => other.unread !== undefined);
    const definedHere = new Set(model.workflows.map((workflow) => workflow.name));
    const reported = new Set<string>();
    for (const start of model.starts) {
      const type = start.workflowType;
      if (type === null || registered.has(type)) continue;
      if (othersUnread && !definedHere.has(type)) continue;
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

/** What one language's workers register, and why the list may be incomplete (undefined: every registration was read). */
interface Registry {
  language: 'TypeScript' | 'Python';
  registered: Set<string>;
  defined: Set<string>;
  workers: { taskQueue: NeutralStaticValue | undefined; location: SourceLocation }[];
  unread: string | undefined;
}

function otherModels(ctx: CheckContext, model: CodeModel): CodeModel[] {
  return (ctx.models ?? []).filter((other) => other !== model && (other.language === 'python') !== (model.language === 'python'));
}

function registryOf(model: CodeModel, root: string): Registry {
  const python = pythonModelOf(model);
  const defined = new Set((model.workflows ?? []).map((workflow) => workflow.name));
  if (python) {
    const registered = new Set(python.workers.flatMap((worker) => (worker.workflowNames === 'unknown' ? [] : worker.workflowNames)));
    const unreadWorker = python.workers.find((worker) => worker.workflowNames === 'unknown');
    const unread = unreadWorker
      ? `the workflows=[...] of the worker at ${relative(root, unreadWorker.location.file)}:${unreadWorker.location.line} could not be read`
      : python.parseErrors.length > 0
        ? `${relative(root, python.parseErrors[0]!.file)} does not parse`
        : python.workflowPlugins
          ? 'a worker or client is given plugins=, which may register workflows'
          : undefined;
    return { language: 'Python', registered, defined, workers: python.workers, unread };
  }
  const typescript = model as TemporalModel;
  const registered = new Set(typescript.workflows.filter((workflow) => workflow.workerIds.length > 0).map((workflow) => workflow.name));
  // every name a workflows module exports counts (a function the model does not take for a workflow still runs)
  let unread = unreadTypeScriptWorkers(typescript, root);
  for (const worker of typescript.workers) {
    const exported = worker.workflowsPath ? exportedNames(typescript, worker.workflowsPath) : undefined;
    if (!exported) {
      unread ??= `the exports of ${worker.workflowsPath ? relative(root, worker.workflowsPath) : 'a worker\'s workflows module'} could not be read`;
      continue;
    }
    // the SDK runs a default export for any type the module does not export by name
    if (exported.includes('default')) unread ??= `${relative(root, worker.workflowsPath!)} has a default export, which the worker runs for any workflow type`;
    for (const name of exported) registered.add(name);
  }
  return { language: 'TypeScript', registered, defined, workers: typescript.workers, unread };
}

function exportedNames(model: TemporalModel, file: string): string[] | undefined {
  const source = model.sourceFile(file);
  const checker = model.checkerFor(file);
  if (!source || !checker) return undefined;
  const symbol = checker.getSymbolAtLocation(source);
  return symbol ? checker.getExportsOfModule(symbol).map((each) => each.getName()) : [];
}

/**
 * Why the TypeScript workers' workflow types may be more than the model lists: a prebuilt bundle or
 * a workflowsPath the model could not locate, a workflows module that does not parse, or a module the
 * workflows module re-exports or imports that does not resolve. Undefined when every one was read.
 */
function unreadTypeScriptWorkers(model: TemporalModel, root: string): string | undefined {
  const broken = new Set(model.parseErrors.map((error) => error.file));
  for (const worker of model.workers) {
    const at = `${relative(root, worker.location.file)}:${worker.location.line}`;
    if (worker.workflowsPath === null || worker.workflowsUnresolved) return `the workflows of the worker at ${at} could not be located`;
    const seen = new Set<string>();
    const queue = [worker.workflowsPath];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      if (broken.has(file)) return `${relative(root, file)} does not parse`;
      if (!model.files.includes(file)) continue;
      for (const edge of model.importsOf(file)) {
        if (edge.typeOnly || !edge.specifier.startsWith('.')) continue;
        if (edge.resolved === null) return `${relative(root, file)}:${edge.location.line} imports '${edge.specifier}', which does not resolve`;
        if (!edge.resolved.includes('/node_modules/')) queue.push(edge.resolved);
      }
    }
  }
  return undefined;
}

/**
 * A start in one language of a type that only workers of the other language could run (a Python
 * API starting the workflows of a TypeScript worker, or the reverse): judged when the project has
 * workers of the other language, every worker's registrations were read, the type is named as a
 * string and no workflow of either language is called so. An error when the start's task queue is
 * one a worker of the project polls (the same literal or default): that worker takes the task and
 * fails it; an info when it is another queue (another service's worker presumably runs it).
 */
function reportAcrossLanguages(ctx: CheckContext, model: CodeModel): void {
  const others = otherModels(ctx, model).filter((other) => other.workers.length > 0);
  if (others.length === 0) return;
  const registries = [...others, ...(model.workers.length > 0 ? [model] : [])].map((each) => registryOf(each, ctx.root));
  const own = registryOf(model, ctx.root);
  const workers = registries.flatMap((registry) => registry.workers.map((worker) => ({ ...worker, language: registry.language })));
  const python = pythonModelOf(model);
  const starts = python ? [...python.starts, ...(python.scheduleActions ?? [])] : model.starts;
  const unread = registries.find((registry) => registry.unread !== undefined);
  const reported = new Set<string>();
  for (const start of starts) {
    const type = start.workflowType;
    if (type === null || registries.some((registry) => registry.registered.has(type) || registry.defined.has(type)) || own.defined.has(type)) continue;
    // TypeScript: only a type named as a string (a function reference is this code's own workflow)
    if (!python && !/^['"`]/.test(start.workflowTypeText.trim())) continue;
    const key = `${start.location.file}:${start.location.line}:${start.location.column}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const queue = startQueueOf(start);
    if (!queue) continue; // a child on its parent's queue: the parent's worker is judged by the language's own rule
    const polling = workers.filter((worker) => sameQueue(worker.taskQueue as StaticValue | undefined, queue as StaticValue));
    const languages = [...new Set(registries.map((registry) => registry.language))].join(' and ');
    const allLanguages = 'Python or TypeScript';
    const what = python ? describePython(start) : describe(start as WorkflowStart);
    const queueText = describeStartQueue(queue);
    if (unread) {
      if (polling.length === 0) continue;
      ctx.report({
        location: start.location,
        severity: 'info',
        message:
          `${what} starts workflow type '${type}' on task queue ${queueText}, which the ${languages} worker at ${at(ctx, polling[0]!.location)} polls, and no workflow of the project is named '${type}'. ` +
          `The reviewer cannot tell whether a worker registers it: ${unread.unread}. An unregistered type never runs.`,
        fix: `Make sure a worker polling ${queueText} registers '${type}', or correct the workflow type name.`,
        data: { workflowType: type, acrossLanguages: true, unread: unread.unread },
      });
      continue;
    }
    const registered = [...new Set(registries.flatMap((registry) => [...registry.registered]))].sort();
    const shown = registered.slice(0, 8).join(', ') + (registered.length > 8 ? `, and ${registered.length - 8} more` : '');
    if (polling.length === 0) {
      ctx.report({
        location: start.location,
        severity: 'info',
        message:
          `${what} starts workflow type '${type}' on task queue ${queueText}. No worker of the project (${languages}) registers '${type}' or is shown to poll that queue, ` +
          `and no workflow of the project is named '${type}': presumably a worker of another service registers it. If not, the run waits on that queue until its timeout ends it.`,
        fix: `Make sure the service whose workers poll ${queueText} registers '${type}' (an integration test across the services catches a rename).`,
        data: { workflowType: type, acrossLanguages: true, otherService: true },
      });
      continue;
    }
    const worker = polling[0]!;
    // either side reads its queue from configuration: the two agree only where neither is set otherwise
    const configured = (queue.kind === 'string' && !!queue.configurable) || (worker.taskQueue?.kind === 'string' && !!worker.taskQueue.configurable);
    const failure =
      worker.language === 'TypeScript'
        ? `the TypeScript worker fails the workflow task ("no such function is exported by the workflow bundle")`
        : `the Python worker fails the workflow task with NotFoundError ("Workflow class ${type} is not registered on this worker")`;
    ctx.report({
      location: start.location,
      message:
        `${what} starts workflow type '${type}' on task queue ${queueText}, which the ${worker.language} worker at ${at(ctx, worker.location)} polls, but no worker of the project registers '${type}' ` +
        `(they register ${shown}) and no workflow of the project (${allLanguages}) is named '${type}'. The start succeeds; ${configured ? 'wherever the worker polls that queue, ' : ''}${failure} ` +
        `and the server retries it until the workflow times out, while the run shows as Running.`,
      fix: `Define and register a '${type}' workflow on the worker for ${queueText}, or start one of the registered types.`,
      related: polling.slice(0, 3).map((each) => ({ ...each.location, message: `worker polling ${queueText} that does not register '${type}'` })),
      data: { workflowType: type, acrossLanguages: true, registered },
    });
  }
}

function at(ctx: CheckContext, location: SourceLocation): string {
  return `${relative(ctx.root, location.file)}:${location.line}`;
}

/** The task queue a start's options give, when they give one. */
function startQueueOf(start: { options?: NeutralStaticValue<unknown> }): NeutralStaticValue<unknown> | undefined {
  const options = start.options;
  if (options?.kind !== 'object') return undefined;
  return options.properties.get('taskQueue') ?? options.maybeProperties?.get('taskQueue');
}

function describeStartQueue(queue: NeutralStaticValue<unknown>): string {
  if (queue.kind === 'string') return queue.configurable ? `'${queue.value}' (unless ${queue.configurable.env} is set)` : `'${queue.value}'`;
  return 'text' in queue && typeof queue.text === 'string' ? `\`${queue.text}\`` : 'of the start';
}

function describePython(start: { method: string; child: boolean }): string {
  if (start.method === 'schedule') return 'This schedule action (ScheduleActionStartWorkflow)';
  if (start.child) return `This child workflow call (workflow.${start.method === 'startChild' ? 'start_child_workflow' : 'execute_child_workflow'})`;
  return `This client call (${start.method === 'start' ? 'start_workflow' : 'execute_workflow'})`;
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
  const started = new Set(starts.flatMap((start) => (start.workflowType !== null ? [start.workflowType] : (start.workflowTypeCandidates ?? []))));
  const unknownStart = starts.find((start) => start.workflowType === null && !start.workflowTypeCandidates?.length);
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
