// Prevents an activity from outliving the business: without scheduleToCloseTimeout nothing bounds
// the attempts and backoffs together, so the workflow keeps waiting after the result stopped
// mattering. A workflow whose every start sets an execution or run timeout is bounded by it: the
// server ends the run, and the activity's attempts with it, at that deadline.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { deadlinesOf, describeDeadlines } from '../../engine/activity-policy/activity-deadlines.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableNote, describeRetryPolicy, listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { workflowDeadline, type WorkflowDeadline } from '../../engine/activity-policy/workflow-deadline.js';
import { formatDuration } from '../../engine/duration.js';
import { relativePath } from '../../model/typescript/locate.js';
import { attemptSchedule } from '../../simulate/retry-policy.js';

export default defineCheck({
  id: 'activity-schedule-to-close-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No scheduleToCloseTimeout, and attempts plus backoffs can run past the business deadline.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

/**
 * Without a business deadline in the config: a day. An activity whose attempts and backoffs can keep
 * a workflow waiting for more than a day, with nothing to stop them, is past any deadline a caller
 * is likely to have and past the on-call shift that could notice it.
 */
export const DEFAULT_DEADLINE_MS = 24 * 3_600_000;

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, retry, label, uses } = review;
  if (options.unresolved) return undefined;
  const field = options.scheduleToCloseTimeout;
  const unresolved = unresolvedField('scheduleToCloseTimeout', field);
  const deadlines = deadlinesOf(ctx.config, uses.map((use) => use.type));
  if (unresolved) {
    return deadlines.length > 0 ? verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, 'whether the business deadline is enforced', unresolved)) : undefined;
  }
  if (field.state !== 'absent' && field.state !== 'null') return undefined;
  // Unlimited attempts are unbounded in time too; activity-retry-policy-missing and
  // activity-retry-attempts-unbounded report that, with the cost, and this check does not repeat it.
  if (!retry.known || retry.policy.maximumAttempts === 0) return undefined;
  if (!timeouts.startToClose.known || !Number.isFinite(timeouts.startToClose.ms)) return undefined;
  const attemptMs = timeouts.startToClose.ms;
  const schedule = attemptSchedule(retry.policy, { attemptDurationMs: attemptMs });
  const worstMs = schedule.starts[schedule.starts.length - 1]! + attemptMs;
  // Every start of the enclosing workflows sets a run or execution timeout: the server ends the run,
  // and the activity's attempts with it, at the longest of them (TEMPORAL-FACTS §2).
  const bound = workflowDeadline(ctx.model!, review.proxy.workflowNames);
  // Without a configured deadline, that timeout is the deadline the authors chose for the run, in
  // place of the day preflight assumes: the retries do not outlive it.
  if (deadlines.length === 0) return bound ? undefined : pastDefaultDeadline(review, schedule.starts.length, attemptMs, worstMs);
  const cappedMs = bound ? Math.min(worstMs, bound.ms) : worstMs;
  const exceeded = deadlines.filter((deadline) => cappedMs > deadline.ms);
  if (exceeded.length === 0) return undefined;
  const shortest = Math.min(...exceeded.map((d) => d.ms));
  return verdict(exceeded.map((d) => `past deadline of ${d.type}`), {
    location: proxy.location,
    message:
      `No scheduleToCloseTimeout on ${label}: ${schedule.starts.length} attempts of up to ${formatDuration(attemptMs)} each ` +
      `(startToCloseTimeout) plus their backoffs can take ${formatDuration(worstMs)}, past the business deadline of ${describeDeadlines(exceeded)}. ` +
      (bound && bound.ms < worstMs ? `${boundSentence(bound, review.proxy.workflowNames, ctx.root)} ` : '') +
      `The workflow keeps waiting, and the activity keeps acting, after the result stopped mattering. ` +
      `Effective policy: ${describeRetryPolicy(retry.policy)}.${configurableNote(retry.configurable)}`,
    fix: `Set scheduleToCloseTimeout to the business deadline (${formatDuration(shortest)}); retrying then stops when the next attempt would pass it.`,
    data: { ...policyData(review), worstCaseMs: worstMs, ...(bound ? { workflowDeadlineMs: bound.ms } : {}), deadlinesExceeded: exceeded.map((d) => ({ activityType: d.type, deadlineMs: d.ms })) },
  });
}

function pastDefaultDeadline(review: ProxyReview, attempts: number, attemptMs: number, worstMs: number): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, retry, label } = review;
  // One attempt is bounded by startToClose alone: a scheduleToClose would add nothing but the queue wait.
  if (!retry.known || attempts < 2 || worstMs <= DEFAULT_DEADLINE_MS) return undefined;
  return verdict([`past default deadline`], {
    location: proxy.location,
    message:
      `No scheduleToCloseTimeout on ${label}: ${attempts} attempts of up to ${formatDuration(attemptMs)} each ` +
      `(startToCloseTimeout) plus their backoffs can take ${formatDuration(worstMs)}, more than the ${formatDuration(DEFAULT_DEADLINE_MS)} preflight assumes when no business deadline is configured. ` +
      `Nothing stops the retries before that: the workflow keeps waiting, and the activity keeps acting, long after anyone expects a result. ` +
      `Effective policy: ${describeRetryPolicy(retry.policy)}.${configurableNote(retry.configurable)}`,
    fix:
      `Set scheduleToCloseTimeout to the longest the result is worth waiting for (or fewer attempts / a shorter startToCloseTimeout); ` +
      `if this long is intended, set deadlines.activities.<type> in the preflight config to say so.`,
    data: { ...policyData(review), worstCaseMs: worstMs, defaultDeadlineMs: DEFAULT_DEADLINE_MS },
  });
}

/** `Every start of Sync sets a deadline (execution_timeout timedelta(days=2) at app/start.py:9), which ends the attempts within 2d, still past it.` */
function boundSentence(bound: WorkflowDeadline, workflows: string[], root: string): string {
  const shown = bound.sites.slice(0, 3).map((site) => `${site.option} ${site.written} at ${relativePath(root, site.location.file)}:${site.location.line}`);
  const more = bound.sites.length - shown.length;
  const who = workflows.length === 1 ? workflows[0] : listNames(workflows);
  return `Every start of ${who} sets a deadline (${listNames(more ? [...shown, `${more} more`] : shown)}), which ends the attempts within ${formatDuration(bound.ms)}, still past it.`;
}
