// Points out a worker whose one pool of activity slots serves both activities whose attempts take
// at most a couple of minutes and activities that may run for half an hour or more: when enough
// long runs are in flight they hold every slot, and the short ones wait in the task queue.

import { defineCheck } from '../define-check.js';
import { DECLARED_LONG_START_TO_CLOSE_MS } from '../../engine/activity-policy/long-running.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { formatDuration } from '../../engine/duration.js';
import { SHORT_ATTEMPT_MS } from '../../engine/activity-policy/long-running.js';
import { workerActivitySpans, type WorkerActivitySpan } from '../../engine/worker-activity-spans.js';
import { environmentReference } from '../../model/environment-reference.js';
import { workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';


export default defineCheck({
  id: 'worker-activity-slots-shared',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'One fixed pool of activity slots shared by activities capped at two minutes and activities that may run 30 minutes or more: long runs can hold every slot.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const worker of model.workers) {
      // A per-run worker serves one run; a tuner sizes the slots in its own way.
      if (worker.ephemeral || workerOption(worker, 'tuner', model).state !== 'absent') continue;
      const option = workerOption(worker, 'maxConcurrentActivityTaskExecutions', model);
      if (option.state !== 'set' || option.value.kind !== 'number' || !Number.isFinite(option.value.value) || option.value.value <= 0) continue;
      const slots = option.value.value;
      const spans = workerActivitySpans(worker, model);
      if (!spans) continue;
      const short = spans.filter((span) => span.longestAttemptMs !== undefined && span.longestAttemptMs <= SHORT_ATTEMPT_MS);
      const long = spans
        .filter((span): span is WorkerActivitySpan & { longestAttemptMs: number } => span.longestAttemptMs !== undefined && span.longestAttemptMs >= DECLARED_LONG_START_TO_CLOSE_MS)
        .sort((a, b) => b.longestAttemptMs - a.longestAttemptMs || a.name.localeCompare(b.name));
      if (short.length === 0 || long.length === 0) continue;
      const longest = long[0]!.longestAttemptMs;
      const fromEnv = option.value.configurable ?? [...short, ...long].find((span) => span.configurable)?.configurable;
      ctx.report({
        location: option.location,
        message:
          `${workerLabel(worker, model)} runs long activities (${listNames(long.map((span) => `${span.name} up to ${formatDuration(span.longestAttemptMs)}`))}) ` +
          `and short ones (${listNames(short.map((span) => span.name))}, at most ${formatDuration(Math.max(...short.map((span) => span.longestAttemptMs!)))}) from one pool of ${slots} activity slots. ` +
          `When ${slots} long attempts are in flight they hold every slot, and the short activities wait in the task queue (schedule-to-start grows) until one finishes, up to ${formatDuration(longest)}.` +
          (fromEnv ? ` Some of these values are the defaults of ${environmentReference(fromEnv)}, so the deployed ones may differ.` : ''),
        fix:
          'If the short activities are latency-sensitive, give the long ones a task queue of their own (taskQueue in their proxy options, and a worker polling that queue) so they cannot take the slots the short ones need; ' +
          'or keep the long runs below the slot count some other way, or suppress this note with a reason.',
        related: [
          ...long.map((span) => ({ ...span.implementation.location, message: `${span.name}: attempts up to ${formatDuration(span.longestAttemptMs)}` })),
          ...short.map((span) => ({ ...span.implementation.location, message: `${span.name}: attempts up to ${formatDuration(span.longestAttemptMs!)}` })),
        ],
        data: {
          slots,
          long: long.map((span) => ({ name: span.name, longestAttemptMs: span.longestAttemptMs })),
          short: short.map((span) => ({ name: span.name, longestAttemptMs: span.longestAttemptMs })),
          ...(fromEnv ? { configurable: fromEnv.env } : {}),
        },
      });
    }
  },
});
