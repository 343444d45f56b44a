// Prevents retry storms written twice: a workflow loop that calls an activity again after it
// failed runs the activity's own retry policy once per turn, so the attempts multiply, and every
// turn writes more history (the failed activity, usually a timer between turns).

import { defineCheck } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { workflowRetryLoops } from '../../model/typescript/workflow-retry-loops.js';

export default defineCheck({
  id: 'workflow-retry-multiplies-activity-retries',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow-level retry loop calls an activity again after it failed, although its proxy already retries it.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    for (const loop of workflowRetryLoops(model)) {
      const review = reviews.find((r) => r.proxy === loop.proxy);
      if (!review?.retry.known) continue;
      const attempts = review.retry.policy.maximumAttempts;
      if (attempts === 1) continue;
      const where = loop.helperCall ? `the retry helper called at ${relativePath(model.root, loop.helperCall.file)}:${loop.helperCall.line} (${loop.text})` : `the loop ${loop.text}`;
      const written = review.retry.written ? 'its retry policy' : "the server's default retry policy";
      const unlimited = attempts === 0;
      const deadline = review.timeouts.scheduleToClose.known && Number.isFinite(review.timeouts.scheduleToClose.ms);
      ctx.report({
        location: loop.location,
        // Unlimited attempts under a scheduleToCloseTimeout: the loop may be meant to extend that deadline.
        ...(unlimited && deadline ? { severity: 'info' as const } : {}),
        message: unlimited
          ? `Activity ${loop.activityType} is called up to ${loop.calls} times by ${where}, but ${written} (${review.label}) already retries it without a limit on attempts: ` +
            `a failure reaches the loop only when it is non-retryable or the activity's deadline ran out, so the loop re-runs exactly the failures meant to be final, ` +
            `and each turn writes more events to the history.`
          : `Activity ${loop.activityType} is called up to ${loop.calls} times by ${where}, and ${written} (${review.label}) makes up to ${attempts} attempts per call: ` +
            `up to ${loop.calls} x ${attempts} = ${loop.calls * attempts} attempts of a failure that does not go away, ` +
            `and each workflow-level turn writes more events to the history.`,
        fix:
          `Retry in one place: drop the workflow loop and give the proxy the attempts and backoff you want (retry: { maximumAttempts, backoffCoefficient, maximumInterval }), ` +
          `or keep the loop and set retry.maximumAttempts: 1 on a proxy used only here.`,
        related: [{ ...loop.loop, message: 'the workflow-level retry loop' }, { ...review.proxy.location, message: `the proxy: up to ${unlimited ? 'unlimited' : attempts} attempts per call` }],
        data: { activityType: loop.activityType, workflowCalls: loop.calls, activityAttempts: unlimited ? null : attempts, proxy: review.proxy.id },
      });
    }
  },
});
