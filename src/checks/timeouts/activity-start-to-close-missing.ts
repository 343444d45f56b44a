// Prevents one hung attempt from eating the whole activity budget: with only scheduleToClose set,
// startToClose takes the same value, so an attempt stuck on a dead connection is never cut off
// early and never retried. With a single attempt (maximumAttempts 1) there is no retry to start:
// scheduleToClose alone bounds that attempt, and a startToClose would change only the timeout's name.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableFields, configurableNote } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';

export default defineCheck({
  id: 'activity-start-to-close-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Only scheduleToCloseTimeout is set: one hung attempt eats the whole budget.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, label } = review;
  if (options.unresolved) return undefined;
  const deadline = options.scheduleToCloseTimeout;
  const attempt = options.startToCloseTimeout;
  if (deadline.state !== 'set') return undefined;
  const unresolved = unresolvedField('startToCloseTimeout', attempt);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, 'whether a single attempt is bounded', unresolved));
  }
  // A zero or invalid startToClose is activity-timeout-invalid's.
  if (attempt.state !== 'absent' && attempt.state !== 'null') return undefined;
  // One attempt, as written (not a default read from configuration): nothing is retried either way.
  const retry = review.retry;
  if (retry.known && retry.policy.maximumAttempts === 1 && !retry.configurable.some((field) => field.field === 'retry.maximumAttempts')) return undefined;
  const budget = formatDuration(deadline.ms);
  return verdict(['no startToCloseTimeout'], {
    location: proxy.location,
    message:
      `Only scheduleToCloseTimeout (${budget}) and no startToCloseTimeout on ${label}: the server gives each attempt ` +
      `the whole ${budget}: an attempt stuck on a dead connection or a hung dependency runs until the overall deadline, ` +
      `no retry ever starts, and the activity fails with a ScheduleToClose timeout, which is never retried.` +
      configurableNote(configurableFields([['scheduleToCloseTimeout', deadline]])),
    fix: `Add startToCloseTimeout a little above the longest healthy attempt (well under ${budget}), so a hung attempt is cut off and retried within the budget.`,
    data: policyData(review),
  });
}
