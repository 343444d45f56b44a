// Prevents the deploy that strands running workflows: a recorded history that the current code
// no longer replays (or replays only in the recording worker's time zone and locale) means every
// open execution like it will be stuck on the new workers with [TMPRL1100].

import path from 'node:path';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'replay-nondeterminism',
  area: 'determinism',
  severity: 'error',
  evidence: 'replay',
  needs: 'replay',
  description: 'A recorded history does not replay against the current workflow code, or replays differently under another time zone, locale or clock.',
  run(ctx) {
    const replay = ctx.replay;
    if (!replay) return;
    for (const result of replay.results) {
      if (result.outcome !== 'nondeterminism') continue;
      const what = result.expected || result.issued ? ` at event ${result.eventId ?? '?'}: the history has ${result.expected ?? '?'}, the code now issues ${result.issued ?? '?'}` : '';
      ctx.report({
        ...(result.location ? { location: { file: path.resolve(ctx.root, result.location.file), line: result.location.line, column: result.location.column } } : {}),
        message:
          `History ${result.file ?? result.workflowId} (${result.workflowType}) no longer replays${what}. ` +
          `Open executions like it will fail every workflow task on the new workers and stay stuck (${result.message}).`,
        fix: "Keep the old behaviour for running executions: wrap the change in `if (patched('change-id'))` and remove the old branch later with deprecatePatch, or deploy it under a new workflow type.",
        data: { history: result.file ?? null, workflowId: result.workflowId, workflowType: result.workflowType, eventId: result.eventId, expected: result.expected, issued: result.issued },
      });
    }
    for (const change of replay.perturbed?.changed ?? []) {
      ctx.report({
        message:
          `History ${change.file ?? change.workflowId} replays ${change.before} here but ${change.after} on a worker with ${change.perturbation}: ` +
          `the workflow depends on the worker's time zone, locale or clock, so workers in another region or with another locale will fail it (${change.message}).`,
        fix: 'Compute local times from an explicit zone passed in the workflow input (e.g. Intl.DateTimeFormat with timeZone), not from the worker process; format with an explicit locale.',
        data: { history: change.file ?? null, workflowId: change.workflowId, perturbation: change.perturbation },
      });
    }
  },
});
