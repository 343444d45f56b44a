// Prevents workflows left RUNNING forever on a task queue nobody polls: a process that creates
// its own worker (a per-run worker, or one on a task queue named with a random id, the clock or the
// process id) and starts a workflow on it with no workflowExecutionTimeout or workflowRunTimeout.
// If the process dies mid-run, no other worker ever polls that queue and nothing ends the run.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { processUniqueSource } from '../../model/typescript/process-unique-values.js';
import type { StaticValue, TemporalModel } from '../../model/typescript/types.js';
import { withoutRunTimeout } from '../../engine/activity-policy/workflow-deadline.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'per-run-workflow-without-timeout',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow started on the task queue of a per-run worker (or one named with a per-process value) without workflowExecutionTimeout or workflowRunTimeout',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule' || !withoutRunTimeout(start.options)) continue;
      const queue = start.options.properties.get('taskQueue');
      const worker = model.workers.find((w) => w.location.file === start.location.file && sameQueue(model, w.taskQueue, queue));
      if (!worker || !queue) continue;
      const unique = queue.kind === 'unknown' && queue.node ? processUniqueSource(queue.node, (node) => model.declarationOf(node)) : undefined;
      if (!unique && !worker.ephemeral) continue;
      const at = `${relative(ctx.root, worker.location.file)}:${worker.location.line}`;
      const why = unique
        ? `its task queue is named with ${unique}, so only the worker this process creates (${at}) ever polls it`
        : `only the per-run worker this process creates (${at}) polls its task queue, and only until this run's result settles`;
      const development = notProduction(start, ctx.root);
      ctx.report({
        location: start.location,
        // A script run by hand: an orphaned run is a developer's leftover, not a production one.
        ...(development ? { severity: 'info' as const } : {}),
        message:
          `This start sets neither workflowExecutionTimeout nor workflowRunTimeout, and ${why}. If the process dies mid-run (a crash, a kill, a closed terminal), ` +
          `the workflow stays RUNNING ${unique ? 'forever' : 'until a later run starts a worker on the same queue'}: no worker runs it and nothing times it out.` +
          (development ? ` This is ${development.what} (${development.reason})${development.kind === 'development' ? ": the leftover run is in a developer's namespace, not production's" : ''}.` : ''),
        fix: `Set workflowExecutionTimeout (or workflowRunTimeout) on this start to a bound above the longest expected run, so an orphaned run ends by itself.`,
        related: [{ ...worker.location, message: 'the worker polling this task queue' }],
        data: { workflowType: start.workflowType, taskQueue: queue.kind === 'string' ? queue.value : queue.kind === 'unknown' ? queue.text : null, uniqueBy: unique ?? null, perRun: worker.ephemeral?.how ?? null },
      });
    }
  },
});

/** The same literal, or the same expression (`taskQueue` in both places, one variable). */
function sameQueue(model: TemporalModel, a: StaticValue | undefined, b: StaticValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind !== 'unknown' || b.kind !== 'unknown' || a.text !== b.text) return false;
  // two different `taskQueue` parameters are not one queue
  if (a.node && b.node && ts.isIdentifier(a.node) && ts.isIdentifier(b.node)) return model.declarationOf(a.node) === model.declarationOf(b.node);
  return true;
}
