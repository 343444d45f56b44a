// Prevents starts that land on a queue the workflow's worker does not poll: the start (client,
// child or schedule action) names its task queue with a literal, the worker that registers the
// workflow type polls another literal, or a queue read from configuration. The run waits in a
// queue no worker of that type polls until it times out (or runs on whatever other worker polls
// that queue, which fails its workflow task when it does not know the type).

import { relative } from '../../engine/run-checks.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { defineCheck } from '../define-check.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import type { StaticValue, TemporalModel, WorkerDefinition, WorkflowStart } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'workflow-start-task-queue-unpolled',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    "A workflow start (client, child or schedule) whose literal task queue differs from the literal queue of every worker that registers the workflow type; info when those workers read their queue from configuration",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    // a worker whose workflows are not known may register any type on any queue
    if (model.workers.some((worker) => worker.workflowsPath === null)) return;
    for (const start of model.starts) {
      if (!start.workflowType) continue;
      const queue = startQueue(start);
      if (!queue) continue;
      const workers = registeringWorkers(model, start.workflowType);
      if (workers.length === 0) continue; // workflow-not-registered says so
      // a worker whose queue the model could not read at all (a framework's computed list): nothing to compare
      if (workers.some((worker) => !worker.taskQueue || (worker.taskQueue.kind !== 'string' && worker.taskQueue.kind !== 'unknown'))) continue;
      // any worker polling the start's queue: the run is picked up
      if (model.workers.some((worker) => worker.taskQueue?.kind === 'string' && worker.taskQueue.value === queue)) continue;
      const what = startCallText(start);
      const literal = workers.every((worker) => worker.taskQueue?.kind === 'string' && !worker.taskQueue.configurable);
      const polled = workers.map((worker) => `${describeQueue(worker.taskQueue)} (${relative(ctx.root, worker.location.file)}:${worker.location.line})`);
      const related = workers.map((worker) => ({ ...worker.location, message: `a worker that registers ${start.workflowType} polls ${describeQueue(worker.taskQueue)}` }));
      const development = notProduction(start, ctx.root);
      if (literal) {
        ctx.report({
          location: start.location,
          // A script run by hand: it fails when someone runs it, not in production.
          ...(development ? { severity: 'info' as const } : {}),
          message:
            `${what} puts the run on task queue '${queue}', but the worker${workers.length > 1 ? 's' : ''} that register${workers.length > 1 ? '' : 's'} ${start.workflowType} poll${workers.length > 1 ? '' : 's'} ${polled.join(', ')}, and no worker polls '${queue}'. ` +
            'The workflow task waits on a queue nobody polls: the run never makes progress and, without an execution timeout, stays RUNNING for ever.' +
            (development ? ` This is ${development.what} (${development.reason}).` : ''),
          fix: `Start ${start.workflowType} on the queue its worker polls (share one constant between the worker and the code that starts it), or add a worker for '${queue}' that registers it.`,
          related,
          data: { workflowType: start.workflowType, taskQueue: queue, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue)) },
        });
        continue;
      }
      ctx.report({
        location: start.location,
        severity: 'info',
        message:
          `${what} hard-codes task queue '${queue}', while the worker${workers.length > 1 ? 's' : ''} that register${workers.length > 1 ? '' : 's'} ${start.workflowType} take${workers.length > 1 ? '' : 's'} the queue from configuration or a value set at run time: ${polled.join(', ')}. ` +
          `No worker in the reviewed code polls '${queue}' as written: unless the configuration says '${queue}' in every environment, the run waits on a queue nobody polls.`,
        fix: `Read the queue from the same setting the worker uses (or one shared constant), so the start follows the worker when the setting changes.`,
        related,
        data: { workflowType: start.workflowType, taskQueue: queue, workerQueues: workers.map((worker) => describeQueue(worker.taskQueue)), configurable: true },
      });
    }
  },
});

/** The start's task queue when it is a plain literal (not read from the environment). */
function startQueue(start: WorkflowStart): string | undefined {
  const options = start.options;
  if (options?.kind !== 'object') return undefined;
  const queue = options.properties.get('taskQueue');
  if (!queue || queue.kind !== 'string' || queue.configurable) return undefined;
  if (options.maybeProperties?.has('taskQueue')) return undefined;
  return queue.value;
}

function registeringWorkers(model: TemporalModel, type: string): WorkerDefinition[] {
  const ids = new Set(model.workflows.filter((workflow) => workflow.name === type).flatMap((workflow) => workflow.workerIds));
  return model.workers.filter((worker) => ids.has(worker.id));
}

function describeQueue(queue: StaticValue | undefined): string {
  if (!queue) return 'no task queue it could read';
  if (queue.kind === 'string') return queue.configurable ? `'${queue.value}' unless ${queue.configurable.env} is set` : `'${queue.value}'`;
  if (queue.kind === 'unknown') return `\`${queue.text}\``;
  return 'a task queue it could not read';
}
