// Makes visible Python workflow code that logs through loguru instead of workflow.logger: the SDK's
// logger drops records while the workflow replays its history, loguru writes them again on every
// replay, so the logs show steps that did not run again and count them twice.

import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-log-not-replay-aware',
  area: 'observability',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "Python workflow code logs through loguru's logger instead of workflow.logger, so every replay writes its lines again",
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const group of model.workflowLogging ?? []) {
      const [first, ...rest] = group.calls;
      if (!first) continue;
      const who = group.interceptor ? `Workflow interceptor ${group.owners.join(', ')}` : `Workflow ${group.owners.join(', ')}`;
      const via = first.via.length ? ` (reached through ${first.via.map((v) => `${relative(ctx.root, v.file)}:${v.line}`).join(' → ')})` : '';
      ctx.report({
        location: first.location,
        message:
          `${who} logs through loguru (${first.text})${via}${rest.length ? `, and ${rest.length} more call${rest.length > 1 ? 's' : ''} like it` : ''}, not workflow.logger. ` +
          `The SDK's workflow.logger drops records while the workflow replays its history; loguru does not know about replay, so every replay ` +
          `(after a worker restart, a cache eviction, or a query to a workflow no longer cached) writes these lines again, as if those steps had run again, ` +
          `and its sinks do their I/O on the workflow thread.`,
        fix:
          'In workflow code, log with workflow.logger (standard logging, with the workflow id and run id added, silent during replay), ' +
          'or guard the call with if not workflow.unsafe.is_replaying():. Keep loguru for activities and the worker process.',
        ...(rest.length ? { related: rest.slice(0, 8).map((call) => ({ ...call.location, message: `also logs through loguru: ${call.text}` })) } : {}),
        data: { owners: group.owners, interceptor: group.interceptor, calls: group.calls.length },
      });
    }
  },
});
