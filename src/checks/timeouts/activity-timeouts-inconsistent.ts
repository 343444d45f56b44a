// Prevents timeouts that do not do what they say: the server silently caps a heartbeat or
// start-to-close timeout at the larger deadline, and a scheduleToClose past the business deadline
// keeps an activity retrying after the business gave up.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { deadlinesOf, describeDeadlines } from '../../engine/activity-policy/activity-deadlines.js';
import { configurableFields, configurableNote } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import type { DurationField } from '../../engine/activity-policy/read-options.js';
import { formatDuration } from '../../engine/duration.js';
import { deadlineArguments, type DeadlineArgument } from '../../model/typescript/deadline-arguments.js';
import { relativePath } from '../../model/typescript/locate.js';

type SetDuration = Extract<DurationField, { state: 'set' }>;

export default defineCheck({
  id: 'activity-timeouts-inconsistent',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Timeouts that contradict each other or the business deadline: heartbeat >= startToClose, startToClose >= scheduleToClose, and the like.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, label, uses } = review;
  if (options.unresolved) return undefined;
  const set = (field: DurationField): SetDuration | undefined => (field.state === 'set' ? field : undefined);
  const heartbeat = proxy.kind === 'remote' ? set(options.heartbeatTimeout) : undefined;
  const attempt = set(options.startToCloseTimeout);
  const overall = set(options.scheduleToCloseTimeout);
  const queue = set(options.scheduleToStartTimeout);
  const problems: string[] = [];
  // The contradictions by kind, to compare an override with its base.
  const kinds: string[] = [];
  const attemptLimit = attempt ? { name: 'startToCloseTimeout', value: attempt } : overall ? { name: 'scheduleToCloseTimeout (startToClose takes its value)', value: overall } : undefined;
  if (heartbeat && attemptLimit && heartbeat.ms >= attemptLimit.value.ms) {
    kinds.push('heartbeat >= startToClose');
    problems.push(
      `heartbeatTimeout ${heartbeat.written} is not shorter than ${attemptLimit.name} ${attemptLimit.value.written}: the server caps it at ${formatDuration(attemptLimit.value.ms)}, ` +
        `so a dead worker is never detected sooner than by the attempt timeout and the heartbeat timeout buys nothing`,
    );
  }
  // With a retry policy of one attempt no retry is planned: the attempt may take the whole budget,
  // so equal timeouts contradict nothing; a longer startToClose is still capped and never applies.
  const retry = options.retry;
  const singleAttempt = retry.state === 'set' && retry.maximumAttempts.state === 'set' && retry.maximumAttempts.value === 1;
  if (attempt && overall && (singleAttempt ? attempt.ms > overall.ms : attempt.ms >= overall.ms)) {
    kinds.push('startToClose >= scheduleToClose');
    problems.push(
      singleAttempt
        ? `startToCloseTimeout ${attempt.written} is longer than scheduleToCloseTimeout ${overall.written}: the server caps it at ${formatDuration(overall.ms)}, ` +
            `so the start-to-close value written never applies (the retry policy allows one attempt, which scheduleToClose bounds)`
        : `startToCloseTimeout ${attempt.written} is not shorter than scheduleToCloseTimeout ${overall.written}: the server caps it at ${formatDuration(overall.ms)}, ` +
            `so one hung attempt uses the whole budget and no retry fits`,
    );
  }
  if (queue && overall && queue.ms >= overall.ms) {
    kinds.push('scheduleToStart >= scheduleToClose');
    problems.push(
      `scheduleToStartTimeout ${queue.written} is not shorter than scheduleToCloseTimeout ${overall.written}: the server caps it at ${formatDuration(overall.ms)}, ` +
        `so it never fires on its own and a full queue surfaces only as a ScheduleToClose timeout`,
    );
  }
  // The activity's own deadline, handed over by the workflow, that the attempt timeout always beats.
  const beaten = attemptLimit && ctx.model && ctx.model.language !== 'python' ? deadlineArguments(ctx.model).filter((arg) => arg.proxy === proxy && arg.ms >= attemptLimit.value.ms) : [];
  const retried = !(review.retry.known && review.retry.policy.maximumAttempts === 1);
  for (const arg of beaten) {
    kinds.push(`activity deadline ${arg.activityType} >= startToClose`);
    problems.push(ownDeadlineProblem(arg, attemptLimit!, retried, review, ctx));
  }
  const pastDeadline = overall ? deadlinesOf(ctx.config, uses.map((use) => use.type)).filter((d) => overall.ms > d.ms) : [];
  if (overall && pastDeadline.length > 0) {
    kinds.push(...pastDeadline.map((d) => `scheduleToClose past deadline of ${d.type}`));
    problems.push(
      `scheduleToCloseTimeout ${overall.written} is longer than the business deadline of ${describeDeadlines(pastDeadline)} (deadlines.activities in the config): ` +
        `retries go on after the business stopped waiting`,
    );
  }
  if (problems.length === 0) return undefined;
  const fields = configurableFields([
    ['heartbeatTimeout', options.heartbeatTimeout],
    ['startToCloseTimeout', options.startToCloseTimeout],
    ['scheduleToCloseTimeout', options.scheduleToCloseTimeout],
    ['scheduleToStartTimeout', options.scheduleToStartTimeout],
  ]);
  // Only the activity's own deadline is beaten, and no retry follows: the attempt fails with a
  // timeout instead of the activity's own error, a smaller matter than a contradiction.
  const deadlineOnly = beaten.length === problems.length && !retried;
  return verdict(kinds, {
    location: proxy.location,
    ...(deadlineOnly ? { severity: 'info' as const } : {}),
    message: `Timeouts of ${label} contradict each other: ${problems.join('; ')}.${configurableNote(fields)}`,
    fix:
      'Order the timeouts heartbeatTimeout < startToCloseTimeout < scheduleToCloseTimeout <= business deadline, ' +
      'leaving room in scheduleToClose for the retries you want (e.g. heartbeat 30s, startToClose 5m, scheduleToClose 30m).',
    ...(beaten.length > 0
      ? {
          related: beaten.flatMap((arg) => [
            { ...arg.location, message: `passes ${arg.activityType} its own deadline ${formatDuration(arg.ms)}` },
            { ...arg.parameter.location, message: `${arg.activityType} compares the elapsed time with it` },
          ]),
        }
      : {}),
    data: { ...policyData(review), problems },
  });
}

function ownDeadlineProblem(arg: DeadlineArgument, limit: { name: string; value: SetDuration }, retried: boolean, review: ProxyReview, ctx: CheckContext): string {
  const at = `${relativePath(ctx.root, arg.location.file)}:${arg.location.line}`;
  const use = `${relativePath(ctx.root, arg.parameter.location.file)}:${arg.parameter.location.line}`;
  const attempts = review.retry.known && Number.isFinite(review.retry.policy.maximumAttempts) && review.retry.policy.maximumAttempts > 0 ? review.retry.policy.maximumAttempts : undefined;
  return (
    `${arg.activityType} is called at ${at} with ${arg.parameter.property ?? 'a deadline'} ${formatDuration(arg.ms)} (\`${arg.text}\`), which it uses as its own deadline (\`${arg.parameter.text}\` at ${use}), ` +
    `but ${limit.name} ${limit.value.written} is not longer: the server ends every attempt at ${formatDuration(limit.value.ms)}, before that deadline is reached, ` +
    `so the activity's own deadline handling never runs (the workflow sees a timeout, not the activity's error)` +
    (retried
      ? ` and the attempt is retried${attempts ? ` (up to ${attempts} attempts)` : ''}: the retry policy, not the ${formatDuration(arg.ms)} passed, bounds the wait${attempts ? ` (up to ${attempts} x ${formatDuration(limit.value.ms)})` : ''}`
      : '')
  );
}
