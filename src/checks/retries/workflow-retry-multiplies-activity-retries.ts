// Prevents retry storms written twice: a workflow loop that calls an activity again after it
// failed runs the activity's own retry policy once per turn, so the attempts multiply, and every
// turn writes more history (the failed activity, usually a timer between turns). The same holds
// for a workflow retry policy on a start (`retry` in the options of a client start, a child start
// or a schedule action): the server retries a failed run by starting a new run from the first
// step, so every step runs again with its own activity retries, and without a
// workflowExecutionTimeout nothing bounds the total time of all the runs.

import { defineCheck } from '../define-check.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { workflowRetryLoops } from '../../model/typescript/workflow-retry-loops.js';
import { startsWithWorkflowRetry, type StartRetry } from '../../model/typescript/workflow-start-retries.js';
import type { ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import type { CheckContext } from '../define-check.js';

export default defineCheck({
  id: 'workflow-retry-multiplies-activity-retries',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow-level retry loop, or a workflow retry policy on a start, runs activities again after they failed, although their proxies already retry them.',
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
    for (const hit of startsWithWorkflowRetry(model)) reportStartRetry(ctx, hit, reviews);
  },
});

/** The activity calls of the workflow whose proxy makes more than one attempt, with their attempts (0: unlimited). */
function retryingCalls(hit: StartRetry, reviews: ProxyReview[]): { name: string; attempts: number; review: ProxyReview }[] {
  const found: { name: string; attempts: number; review: ProxyReview }[] = [];
  for (const call of hit.calls) {
    const review = reviews.find((r) => r.proxy === call.proxy);
    if (!review?.retry.known || review.retry.policy.maximumAttempts === 1) continue;
    found.push({ name: call.activityType, attempts: review.retry.policy.maximumAttempts, review });
  }
  return found;
}

function reportStartRetry(ctx: CheckContext, hit: StartRetry, reviews: ProxyReview[]): void {
  const model = ctx.model!;
  const retrying = retryingCalls(hit, reviews);
  if (retrying.length === 0) return;
  const workflow = hit.workflow.name;
  const runs = hit.workflowAttempts === 0 ? 'without a limit on attempts' : `up to ${hit.workflowAttempts} attempts`;
  const names = hit.calls.map((c) => c.activityType).filter((name, i, all) => all.indexOf(name) === i);
  const steps = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  const unlimitedActivities = retrying.filter((r) => r.attempts === 0);
  const most = Math.max(...retrying.map((r) => r.attempts));
  // the proxy named in the message: one retrying without a limit, else the one with the most attempts
  const proxy = (unlimitedActivities[0] ?? retrying.find((r) => r.attempts === most)!).review;
  const policy = proxy.retry.known && proxy.retry.written ? `the retry policy of ${proxy.label}` : `the server's default retry policy (${proxy.label})`;
  let multiplied: string;
  if (unlimitedActivities.length > 0) {
    const which = unlimitedActivities.map((r) => r.name).filter((n, i, all) => all.indexOf(n) === i);
    const subject = which.length === 1 ? `Activity ${which[0]} is` : `Activities ${which.slice(0, 3).join(', ')}${which.length > 3 ? ' and others' : ''} are`;
    multiplied =
      `${subject} already retried without a limit on attempts under ${policy}: ${which.length === 1 ? 'its' : 'their'} failures reach the workflow only when non-retryable or when an activity deadline ran out, ` +
      `and the workflow retry then runs again exactly the failures meant to be final.`;
  } else {
    const total = hit.workflowAttempts === 0 ? 'without end' : `up to ${hit.workflowAttempts} x ${most} = ${hit.workflowAttempts * most} times`;
    multiplied = `Its activities already retry on their own, up to ${most} attempts per call under ${policy}: a failure that does not go away is attempted ${total}.`;
  }
  const bound = hit.executionTimeout
    ? ` The start's workflowExecutionTimeout (${hit.executionTimeout}) bounds the total time of all the runs.`
    : hit.workflowAttempts === 0
      ? ' No workflowExecutionTimeout is set on this start, so nothing bounds the total time: the runs go on until one succeeds.'
      : ' No workflowExecutionTimeout is set on this start, so nothing bounds the total time of all the runs.';
  const starter = hit.start.method === 'schedule' ? "This schedule's action" : hit.start.child ? 'This child start' : 'This start';
  // A note rather than a warning when the total time is bounded, when the schedule fires again
  // anyway (a retry of its action is often a deliberate choice), when the workflow has one step, or
  // when every retrying activity already retries without a limit (the workflow retry then fires
  // only on failures meant to be final, rarely).
  const note =
    hit.executionTimeout !== undefined || hit.start.method === 'schedule' || names.length === 1 || unlimitedActivities.length === retrying.length;
  ctx.report({
    location: hit.start.location,
    severity: note ? 'info' : 'warning',
    message:
      `${starter} gives workflow ${workflow} a workflow retry policy (${runs}). The server retries a failed run by starting a new run from the beginning, ` +
      (names.length === 1
        ? `so a retried run calls ${steps} again, with its own activity retries. `
        : `so a retried run repeats the steps from the first one (${steps}), side effects included, each with its own activity retries. `) +
      multiplied +
      bound,
    fix:
      `Retry in one place: leave retries to the activities (drop retry from the start options, or set retry.maximumAttempts: 1) and give them the attempts and backoff you want; ` +
      `if a whole-run retry is needed, make every step safe to repeat and set workflowExecutionTimeout on the start to bound the total time.`,
    related: [
      { ...hit.retryLocation, message: `the workflow retry policy: ${runs}` },
      { ...hit.workflow.location, message: `workflow ${workflow}` },
      { ...proxy.proxy.location, message: `the proxy: ${proxy.retry.known && proxy.retry.policy.maximumAttempts > 0 ? `up to ${proxy.retry.policy.maximumAttempts}` : 'unlimited'} attempts per call` },
    ],
    data: {
      workflowType: workflow,
      workflowAttempts: hit.workflowAttempts === 0 ? null : hit.workflowAttempts,
      activityAttempts: unlimitedActivities.length > 0 ? null : Math.max(...retrying.map((r) => r.attempts)),
      workflowExecutionTimeout: hit.executionTimeout ?? null,
      steps: names,
    },
  });
}
