// Prevents a saturated or absent worker pool from going unnoticed: without scheduleToStartTimeout
// (or an alert on schedule-to-start latency) activity tasks pile up in the queue with no error
// until the overall deadline, if there is one.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { findAlertOnMetric, type AlertRuleMatch } from '../../engine/activity-policy/alert-rules.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { describeTimeout } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';

/** The SDK metric for the time activity tasks wait in the queue (TEMPORAL-FACTS.md section 7). */
const SCHEDULE_TO_START_METRIC = 'temporal_activity_schedule_to_start_latency';

export default defineCheck({
  id: 'activity-schedule-to-start-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No scheduleToStartTimeout and no schedule-to-start latency alert: a saturated worker pool stays invisible.',
  run(ctx) {
    if (!ctx.model) return;
    let alert: AlertRuleMatch | undefined | null = null;
    // Rule files are read once, and only when some proxy needs the answer.
    const findAlert = () => (alert === null ? (alert = findAlertOnMetric(ctx, ctx.config.alerts.ruleFiles, SCHEDULE_TO_START_METRIC)) : alert);
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, findAlert))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, findAlert: () => AlertRuleMatch | undefined): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, label } = review;
  // A local activity runs on the worker that scheduled it; there is no task queue to wait in.
  if (proxy.kind !== 'remote' || options.unresolved) return undefined;
  const field = options.scheduleToStartTimeout;
  const unresolved = unresolvedField('scheduleToStartTimeout', field);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, 'whether queue waits are bounded', unresolved));
  }
  if (field.state !== 'absent' && field.state !== 'null') return undefined;
  const alert = findAlert();
  const waits = timeouts.scheduleToClose.known && Number.isFinite(timeouts.scheduleToClose.ms)
    ? `until scheduleToCloseTimeout (${describeTimeout(timeouts.scheduleToClose)}) fails it`
    : 'forever, since there is no scheduleToCloseTimeout either';
  const tradeOff =
    `Temporal often advises against scheduleToStartTimeout on shared task queues: a ScheduleToStart timeout is never retried, ` +
    `so the activity fails at once and the workflow must handle it. The usual safeguard instead is an alert on ${SCHEDULE_TO_START_METRIC}.`;
  if (alert) {
    return verdict(['no scheduleToStartTimeout'], {
      location: proxy.location,
      severity: 'info',
      message:
        `No scheduleToStartTimeout on ${label}: a task waits in the queue ${waits}. ${tradeOff} ` +
        `This project has one: alert "${alert.alert}" in ${alert.file}, so queue saturation will page someone.`,
      fix: 'Nothing required. Keep the alert routed to the team that owns this task queue; add scheduleToStartTimeout only on a queue dedicated to these activities, with a fallback in the workflow.',
      data: { ...policyData(review), alert },
    });
  }
  return verdict(['no scheduleToStartTimeout'], {
    location: proxy.location,
    message:
      `No scheduleToStartTimeout on ${label}, and the project has no alert on ${SCHEDULE_TO_START_METRIC}: ` +
      `when the workers are saturated, crashed or polling the wrong task queue, tasks wait in the queue ${waits}, ` +
      `with no error and nothing to notice. ${tradeOff}`,
    fix:
      `Add an alert on ${SCHEDULE_TO_START_METRIC} (e.g. p99 over 1s for 5 minutes; \`temporal-preflight generate alerts\` writes one, and ` +
      `alerts.ruleFiles in the config tells preflight where rule files live), or set scheduleToStartTimeout on a task queue ` +
      `dedicated to these activities and handle the timeout in the workflow.`,
    data: policyData(review),
  });
}
