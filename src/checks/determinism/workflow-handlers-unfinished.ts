// Keeps signals and updates that arrive near the end of a run from being half-done. An async signal
// or update handler that awaits durable work (an activity, a child, a timer, a condition) runs
// alongside the workflow function; when that function returns or continues as new first, the SDK
// abandons the handler: the rest of its code never runs, it logs "[TMPRL1102] Workflow finished
// while a signal/update handler was still running", and the client of an update gets an error
// instead of the result (@temporalio/workflow 1.24 lib/internals.js warnIfUnfinishedHandlers;
// temporalio 1.35.0 worker/_workflow_instance.py _warn_if_unfinished_handlers). The fix is
// `await condition(allHandlersFinished)` (Python: `await workflow.wait_condition(workflow.all_handlers_finished)`)
// before the workflow returns or continues as new. Warning when an update handler, or a signal
// handler that runs an activity or a child, may be cut short; info when the signal handlers only
// wait (a timer or a condition).

import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { UnfinishedHandler, WorkflowHandlersUnfinished } from '../../model/unfinished-handlers.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { typescriptUnfinishedHandlers } from '../../model/typescript/unfinished-handlers.js';
import { defineCheck, type CheckContext } from '../define-check.js';

const WORK: Record<UnfinishedHandler['work']['kind'], string> = { activity: 'an activity', child: 'a child workflow', timer: 'a timer', condition: 'a condition' };

export default defineCheck({
  id: 'workflow-handlers-unfinished',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow can return or continue as new while an async signal or update handler is still running: the handler is abandoned half-way',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const found = python ? (python.unfinishedHandlers ?? []) : typescriptUnfinishedHandlers(model as TemporalModel);
    for (const hit of found) report(hit, python !== undefined, ctx);
  },
});

function report(hit: WorkflowHandlersUnfinished, python: boolean, ctx: CheckContext): void {
  const serious = hit.handlers.some((h) => h.kind === 'update' || h.work.kind === 'activity' || h.work.kind === 'child');
  const wait = python ? 'await workflow.wait_condition(workflow.all_handlers_finished)' : 'await condition(allHandlersFinished)';
  const listed = hit.handlers.slice(0, 4).map((h) => `${h.kind} '${h.name}' (awaits ${WORK[h.work.kind]}${h.work.via ? ` through ${h.work.via}` : ''}, line ${h.work.location.line})`);
  const more = hit.handlers.length > 4 ? ` and ${hit.handlers.length - 4} more` : '';
  const ends = hit.exit.kind === 'continue-as-new' ? `continues as new (line ${hit.exit.location.line})` : `returns (its function ends at line ${hit.exit.location.line})`;
  const updates = hit.handlers.some((h) => h.kind === 'update');
  ctx.report({
    location: hit.location,
    ...(serious ? {} : { severity: 'info' as const }),
    message:
      `Workflow ${hit.workflow} has async handlers that wait on durable work: ${listed.join('; ')}${more}. ` +
      `The workflow ${ends} without waiting for running handlers to finish (nothing reads ${python ? 'workflow.all_handlers_finished' : 'allHandlersFinished'}). ` +
      `A message that arrives near the end runs its handler alongside the last steps; when the run ends first, the SDK abandons the handler where it is waiting: the rest of its code never runs` +
      `${hit.handlers.some((h) => h.work.kind === 'activity' || h.work.kind === 'child') ? ', the result of the activity or child it awaits is never used' : ''}` +
      `${updates ? ', the client of the update gets an error instead of its result' : ''}, and the worker logs "[TMPRL1102] Workflow finished while ${updates ? 'an update' : 'a signal'} handler was still running".` +
      (hit.exit.kind === 'continue-as-new' ? ' A continue-as-new ends the run the same way: the new run does not resume the handler.' : ''),
    fix:
      `Before the workflow ${hit.exit.kind === 'continue-as-new' ? 'continues as new' : 'returns'}, wait for the handlers: \`${wait}\`${python ? '' : ' (condition and allHandlersFinished from @temporalio/workflow)'}. ` +
      `If abandoning a handler is acceptable, say so on the handler: ${python ? '`@workflow.signal(unfinished_policy=workflow.HandlerUnfinishedPolicy.ABANDON)`' : '`setHandler(def, handler, { unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON })`'}.`,
    related: [
      ...hit.handlers.map((h) => ({ ...h.location, message: `${h.kind} handler '${h.name}', which awaits ${WORK[h.work.kind]} (${h.work.text})` })),
      { ...hit.exit.location, message: hit.exit.kind === 'continue-as-new' ? 'the continue-as-new that ends the run without waiting for the handlers' : 'the end of the workflow function, reached without waiting for the handlers' },
    ],
    data: {
      workflow: hit.workflow,
      exit: hit.exit.kind,
      handlers: hit.handlers.map((h) => ({ kind: h.kind, name: h.name, work: h.work.kind, at: `${relative(ctx.root, h.location.file)}:${h.location.line}` })),
    },
  });
}
