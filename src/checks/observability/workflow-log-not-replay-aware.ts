// Makes visible Python workflow code that logs through loguru, a standard-library logger of its own
// or print instead of workflow.logger: the SDK's logger drops records while the workflow replays its
// history, the others write them again on every replay, so the logs show steps that did not run
// again and count them twice. One note per workflow module.

import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { ReplayUnawareLog, ReplayUnawareLogger } from '../../model/python/python-workflow-logging.js';
import { defineCheck } from '../define-check.js';

const HOW: Record<ReplayUnawareLogger, string> = {
  loguru: 'logs through loguru',
  logging: 'logs through a standard-library logger of its own',
  print: 'prints to standard output',
};

const WHAT: Record<ReplayUnawareLogger, string> = {
  loguru: 'loguru',
  logging: 'a logging.Logger of your own (or the logging module\'s functions)',
  print: 'print',
};

const ALSO: Record<ReplayUnawareLogger, string> = {
  loguru: 'also logs through loguru',
  logging: 'also logs through a standard-library logger',
  print: 'also prints',
};

export default defineCheck({
  id: 'workflow-log-not-replay-aware',
  area: 'observability',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'Python workflow code logs through loguru, a standard-library logger of its own or print instead of workflow.logger, so every replay writes its lines again',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const group of model.workflowLogging ?? []) {
      const [first, ...rest] = group.calls;
      if (!first) continue;
      const who = `${group.interceptor ? 'Workflow interceptor' : 'Workflow'} ${group.owners.join(', ')} (${relative(ctx.root, group.module)})`;
      const via = first.via.length ? ` (reached through ${first.via.map((v) => `${relative(ctx.root, v.file)}:${v.line}`).join(' → ')})` : '';
      const kinds = [...new Set(group.calls.map((call) => call.logger))];
      const others = kinds.map((kind) => WHAT[kind]);
      ctx.report({
        location: first.location,
        message:
          `${who} ${HOW[first.logger]} (${first.text})${via}${rest.length ? `, and ${rest.length} more call${rest.length > 1 ? 's' : ''} that ${rest.length > 1 ? 'do' : 'does'} not know about replay` : ''}, not workflow.logger. ` +
          `The SDK's workflow.logger drops records while the workflow replays its history; ${others.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${others.length > 1 ? 'do' : 'does'} not, so every replay ` +
          `(after a worker restart, a cache eviction, or a query to a workflow no longer cached) writes these lines again, as if those steps had run again` +
          (kinds.includes('loguru') ? `, and loguru's sinks do their I/O on the workflow thread.` : '.'),
        fix:
          'In workflow code, log with workflow.logger (standard logging, with the workflow id and run id added, silent during replay), ' +
          'or guard the call with if not workflow.unsafe.is_replaying():. Keep your own loggers and print for activities and the worker process.',
        ...(rest.length ? { related: rest.slice(0, 8).map((call: ReplayUnawareLog) => ({ ...call.location, message: `${ALSO[call.logger]}: ${call.text}` })) } : {}),
        data: { owners: group.owners, interceptor: group.interceptor, module: relative(ctx.root, group.module), loggers: kinds, calls: group.calls.length },
      });
    }
  },
});
