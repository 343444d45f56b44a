// Prevents the first-peak saturation of a worker left at the SDK's default slot counts, which were
// never sized for this application's load or this machine.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { hostsWorkflows, registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import { workerLoad, type LoadSyntax, type WorkerLoad } from '../../model/worker-load.js';
import { typescriptLoadSyntax } from '../../model/typescript/workflow-concurrency.js';
import type { CodeModel, WorkerFacts } from '../../model/types.js';
import type { TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

/** SDK 1.24 defaults (TEMPORAL-FACTS.md section 6). */
export const IMPLICIT_DEFAULTS = { maxConcurrentActivityTaskExecutions: 100, maxConcurrentWorkflowTaskExecutions: 40 } as const;
/** temporalio (Python) 1.35.0: no slot option and no tuner is WorkerTuner.create_fixed(), 100 of each kind. */
export const PYTHON_IMPLICIT_DEFAULTS = { maxConcurrentActivityTaskExecutions: 100, maxConcurrentWorkflowTaskExecutions: 100 } as const;

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
    const defaultsOf = model.language === 'python' ? PYTHON_IMPLICIT_DEFAULTS : IMPLICIT_DEFAULTS;
    let syntax: LoadSyntax | undefined;
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
      const defaults = implicit.map((name) => `${name} ${defaultsOf[name]}`).join(', ');
      const data = { implicit, defaults: Object.fromEntries(implicit.map((name) => [name, defaultsOf[name]])) };
      // Sizing the activity slots is the decision that matters: activities hold the memory, the
      // connections and the long waits. Workflow tasks take milliseconds; 40 slots limit only a
      // worker that runs many workflows at once.
      if (implicit.length === 1 && implicit[0] === 'maxConcurrentWorkflowTaskExecutions' && registersActivities(worker)) {
        ctx.report({
          location: worker.location,
          severity: 'info',
          message:
            `${label} sizes its activity slots but leaves maxConcurrentWorkflowTaskExecutions at the SDK default (${defaultsOf.maxConcurrentWorkflowTaskExecutions}). ` +
            'Workflow tasks are short, so the default limits only a worker that runs many workflows at once.',
          fix: 'Set maxConcurrentWorkflowTaskExecutions too if this worker hosts many concurrent workflows, or suppress this note with a reason.',
          data,
        });
        continue;
      }
      const activitySlots = implicit.includes('maxConcurrentActivityTaskExecutions');
      const load = worker.ephemeral ? undefined : loadOf(worker, model, (syntax ??= loadSyntax(model)));
      if (load?.kind === 'bounded') {
        ctx.report({
          location: worker.location,
          severity: 'info',
          message:
            `${label} runs with the SDK's default slot counts (${defaults}), but its load cannot fill them: ${load.reason}. ` +
            `Each of these keeps at most one execution running at a time, and each execution runs its activities and children one after another${model.language === 'python' ? ' (or a fixed few written out in one asyncio.gather)' : ''}, ` +
            'so only a handful of tasks are ever in flight.',
          fix: 'Nothing to size for this load. Size the slots (or set a tuner) when a workflow comes to be started per request or event, or runs activities side by side.',
          data: { ...data, load: 'bounded', workflows: load.workflows },
        });
        continue;
      }
      const threads = activitySlots ? executorShortfall(worker, model, defaultsOf.maxConcurrentActivityTaskExecutions) : undefined;
      const loadSentence =
        load?.kind === 'open' ? ` Its load is not bounded by the code: ${load.reason}.` : load?.kind === 'unknown' ? ` Whether its load stays small cannot be told: ${load.reason}.` : '';
      ctx.report({
        location: worker.location,
        ...(worker.ephemeral ? { severity: 'info' as const } : {}),
        message:
          `${label} runs with the SDK's default slot counts (${defaults}), which were not sized for this application. ` +
          'At the first real peak tasks wait for a slot, schedule-to-start latency climbs and timeouts fire' +
          (threads?.all
            ? `. Its activities are all sync (def) and run on activity_executor=${threads.text}, so at most ${threads.maxWorkers} run at once, ` +
              `while the worker accepts up to ${threads.slots} activity tasks: the others wait in the executor's queue with their start_to_close_timeout already running, and time out without having run when the wait is long.`
            : activitySlots
              ? '; on a small machine 100 concurrent activities can exhaust memory or downstream connections instead.'
              : '.') +
          loadSentence +
          (threads && !threads.all
            ? ` Its sync (def) activities (${listNames(threads.activities)}) run on activity_executor=${threads.text}: only ${threads.maxWorkers} run at once, ` +
              `while the worker accepts up to ${threads.slots} activity tasks; the others wait in the executor's queue with their start_to_close_timeout already running, and time out without having run when the wait is long.`
            : '') +
          (worker.ephemeral ? ` ${ephemeralWorkerNote(worker, ctx.root)}` : ''),
        fix: threads?.all
          ? `Set max_concurrent_activities to the executor's max_workers (${threads.maxWorkers}), or size both together for the expected peak (\`temporal-preflight capacity --rate <activities/s> --duration-mean <d>\`), so a task the worker accepts starts at once; set max_concurrent_workflow_tasks too.`
          : activitySlots
          ? 'Size the slots for the expected peak and the machine: `temporal-preflight capacity --rate <activities/s> --duration-mean <d>` gives maxConcurrentActivityTaskExecutions; ' +
            'set maxConcurrentWorkflowTaskExecutions too, or use a tuner (fixed-size or resource-based slot suppliers).'
          : 'Set maxConcurrentWorkflowTaskExecutions for the number of workflows this worker runs at once, or use a tuner (fixed-size or resource-based slot suppliers).',
        data: load ? { ...data, load: load.kind } : data,
      });
    }
  },
});

function loadSyntax(model: CodeModel): LoadSyntax {
  if (model.language !== 'python') return typescriptLoadSyntax(model as TemporalModel);
  return {
    concurrency: model.workflowConcurrency ?? [],
    // Python fills the placement of every start; without one nothing is known of where it sits.
    placement: (start) => start.placement ?? { repeatedIn: null, parentWorkflow: null, requestHandler: 'the review did not read where it sits' },
  };
}

/** The workflow types the worker registers, 'unknown' when they cannot be read. */
function hostedNames(worker: WorkerFacts, model: CodeModel): string[] | 'unknown' {
  const listed = (worker as { workflowNames?: string[] | 'unknown' }).workflowNames;
  if (listed !== undefined) return listed;
  const definition = worker as WorkerDefinition;
  if (definition.workflowsUnresolved) return 'unknown';
  if (!hostsWorkflows(definition)) return [];
  return (model.workflows ?? []).filter((w) => w.workerIds.includes(worker.id)).map((w) => w.name);
}

function loadOf(worker: WorkerFacts, model: CodeModel, syntax: LoadSyntax): WorkerLoad {
  return workerLoad(worker, model, syntax, hostedNames(worker, model));
}

/**
 * Python: a worker whose sync (def) activities run on `activity_executor=ThreadPoolExecutor(max_workers=N)`
 * with N written as a literal below the activity slots: tasks accepted beyond N wait for a thread.
 */
function executorShortfall(worker: WorkerDefinition, model: TemporalModel, slots: number | undefined): { text: string; maxWorkers: number; slots: number; activities: string[]; all: boolean } | undefined {
  if (model.language !== 'python' || slots === undefined) return undefined;
  const option = workerOption(worker, 'activity_executor', model);
  if (option.state !== 'set') return undefined;
  const text = (option.value as { text?: string }).text?.replace(/\s+/g, '') ?? '';
  const match = /^(?:(?:concurrent\.)?futures\.)?ThreadPoolExecutor\((?:max_workers=)?(\d+)\)$/.exec(text);
  if (!match) return undefined;
  const maxWorkers = Number(match[1]);
  const names = worker.activityNames;
  if (names === 'unknown' || !(maxWorkers < slots)) return undefined;
  const sync = [...new Set(model.activities.filter((a) => a.sync === true && names.includes(a.name)).map((a) => a.name))].sort();
  // Every registered activity sync: the executor, not the slot count, bounds what runs at once.
  const all = sync.length > 0 && names.every((name) => sync.includes(name));
  return sync.length ? { text: `ThreadPoolExecutor(max_workers=${maxWorkers})`, maxWorkers, slots, activities: sync, all } : undefined;
}
