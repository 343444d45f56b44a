// Prevents an activity from outliving the business: without scheduleToCloseTimeout nothing bounds
// the attempts and backoffs together, so the workflow keeps waiting after the result stopped
// mattering.

import { defineCheck } from '../define-check.js';
import { deadlinesOf, describeDeadlines } from '../../engine/activity-policy/activity-deadlines.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableNote, describeRetryPolicy } from '../../engine/activity-policy/describe-policy.js';
import { policyData, proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { ownsOptions } from '../../model/typescript/activity-options/override-changes.js';
import { attemptSchedule } from '../../simulate/retry-policy.js';

export default defineCheck({
  id: 'activity-schedule-to-close-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No scheduleToCloseTimeout, and attempts plus backoffs can run past the business deadline.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const review of proxyReviews(model)) {
      const { proxy, options, timeouts, retry, label, uses } = review;
      if (options.unresolved) continue;
      if (!ownsOptions(model, proxy, [['scheduleToCloseTimeout'], ['startToCloseTimeout'], ['retry']])) continue;
      const field = options.scheduleToCloseTimeout;
      const unresolved = unresolvedField('scheduleToCloseTimeout', field);
      const deadlines = deadlinesOf(ctx.config, uses.map((use) => use.type));
      if (unresolved) {
        if (deadlines.length > 0) ctx.report(cannotTellFinding(proxy.location, label, 'whether the business deadline is enforced', unresolved));
        continue;
      }
      if (field.state !== 'absent' && field.state !== 'null') continue;
      // Unlimited attempts are unbounded in time too; activity-retry-policy-missing and
      // activity-retry-attempts-unbounded report that, with the cost, and this check does not repeat it.
      if (!retry.known || retry.policy.maximumAttempts === 0) continue;
      if (!timeouts.startToClose.known || !Number.isFinite(timeouts.startToClose.ms) || deadlines.length === 0) continue;
      const attemptMs = timeouts.startToClose.ms;
      const schedule = attemptSchedule(retry.policy, { attemptDurationMs: attemptMs });
      const worstMs = schedule.starts[schedule.starts.length - 1]! + attemptMs;
      const exceeded = deadlines.filter((deadline) => worstMs > deadline.ms);
      if (exceeded.length === 0) continue;
      const shortest = Math.min(...exceeded.map((d) => d.ms));
      ctx.report({
        location: proxy.location,
        message:
          `No scheduleToCloseTimeout on ${label}: ${schedule.starts.length} attempts of up to ${formatDuration(attemptMs)} each ` +
          `(startToCloseTimeout) plus their backoffs can take ${formatDuration(worstMs)}, past the business deadline of ${describeDeadlines(exceeded)}. ` +
          `The workflow keeps waiting, and the activity keeps acting, after the result stopped mattering. ` +
          `Effective policy: ${describeRetryPolicy(retry.policy)}.${configurableNote(retry.configurable)}`,
        fix: `Set scheduleToCloseTimeout to the business deadline (${formatDuration(shortest)}); retrying then stops when the next attempt would pass it.`,
        data: { ...policyData(review), worstCaseMs: worstMs, deadlinesExceeded: exceeded.map((d) => ({ activityType: d.type, deadlineMs: d.ms })) },
      });
    }
  },
});
