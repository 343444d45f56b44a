// Prevents a saturated or absent worker pool from going unnoticed: without scheduleToStartTimeout
// (or an alert on schedule-to-start latency) activity tasks pile up in the queue with no error
// until the overall deadline, if there is one.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { compareServiceFirst } from '../../model/tool-code.js';
import { alertOnMetric, type AlertRuleMatch } from '../../engine/activity-policy/alert-rules.js';
import { scanAlertRuleFiles, type AlertRuleFiles } from '../../engine/alert-rule-files.js';
import { alertsElsewhere, alertsElsewhereNote } from '../../engine/alerts-elsewhere.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { perRunWorkersOnly } from '../../model/typescript/ephemeral-workers.js';
import { deadlineWithinOutage, timedOutSentence, workflowDeadline, type WorkflowDeadline } from '../../engine/activity-policy/workflow-deadline.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

/** The SDK metric for the time activity tasks wait in the queue (TEMPORAL-FACTS.md section 7). */
const SCHEDULE_TO_START_METRIC = 'temporal_activity_schedule_to_start_latency';

/** What one proxy contributes: a "cannot tell" of its own, or a place where queue waits go unbounded. */
type ProxyOutcome = { kind: 'cannot-tell'; finding: FindingDraft } | { kind: 'unbounded'; review: ProxyReview; waits: string };

export default defineCheck({
  id: 'activity-schedule-to-start-missing',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No scheduleToStartTimeout and no schedule-to-start latency alert: a saturated worker pool stays invisible.',
  run(ctx) {
    if (!ctx.model) return;
    const unbounded: { review: ProxyReview; waits: string }[] = [];
    for (const { verdict } of ownVerdicts(ctx.model, evaluate)) {
      if (verdict.value.kind === 'cannot-tell') ctx.report(verdict.value.finding);
      else unbounded.push(verdict.value);
    }
    if (unbounded.length === 0) return;
    unbounded.sort((a, b) => compareServiceFirst(ctx.root, a.review.proxy.location, b.review.proxy.location));
    // Proxies used only by workflows that only per-run workers run: the worker polls in the process
    // that started the workflow and waits for it, so a task cannot sit unnoticed in the queue.
    const perRun = unbounded.filter(({ review }) => perRunWorker(review, ctx.model!) !== undefined);
    if (perRun.length > 0) {
      const worker = perRunWorker(perRun[0]!.review, ctx.model)!;
      const draft = uncovered(perRun);
      ctx.report({ ...draft, severity: 'info', message: `${draft.message} ${ephemeralWorkerNote(worker, ctx.root, 'Only a per-run worker runs the workflows that use them')}` });
    }
    unbounded.splice(0, unbounded.length, ...unbounded.filter((entry) => !perRun.includes(entry)));
    // Proxies used only by workflows whose every start sets a short deadline: a task waits in the
    // queue at most until the run times out, which is itself visible (see deadlineWithinOutage).
    const deadlines = new Map<ProxyReview, WorkflowDeadline>();
    for (const { review } of unbounded) {
      const deadline = workflowDeadline(ctx.model, review.proxy.workflowNames);
      if (deadline && deadlineWithinOutage(deadline, ctx.config)) deadlines.set(review, deadline);
    }
    const bounded = unbounded.filter(({ review }) => deadlines.has(review));
    if (bounded.length > 0) ctx.report(underDeadline(bounded, deadlines, ctx.root));
    unbounded.splice(0, unbounded.length, ...unbounded.filter((entry) => !bounded.includes(entry)));
    if (unbounded.length === 0) return;
    // The safeguard is one alert for the whole project (the metric is labelled by task queue and
    // activity type), so the gap is one finding listing every proxy, not one per proxy.
    const rules = scanAlertRuleFiles(ctx, ctx.config.alerts.ruleFiles);
    const alert = alertOnMetric(rules, SCHEDULE_TO_START_METRIC);
    if (alert) {
      ctx.report(covered(unbounded, alert));
      return;
    }
    const draft = uncovered(unbounded, rules);
    // The alert may exist where the project keeps its alerting: a note that says where to look.
    const elsewhere = alertsElsewhere(ctx.config, ctx.model, rules);
    ctx.report(elsewhere ? { ...draft, severity: 'info', message: `${draft.message} ${alertsElsewhereNote(elsewhere)}`, data: { ...draft.data, alertsElsewhere: elsewhere } } : draft);
  },
});

function evaluate(review: ProxyReview): ProxyVerdict<ProxyOutcome> | undefined {
  const { proxy, options, timeouts, label } = review;
  // A local activity runs on the worker that scheduled it; there is no task queue to wait in.
  if (proxy.kind !== 'remote' || options.unresolved) return undefined;
  const field = options.scheduleToStartTimeout;
  const unresolved = unresolvedField('scheduleToStartTimeout', field);
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], { kind: 'cannot-tell', finding: cannotTellFinding(proxy.location, label, 'whether queue waits are bounded', unresolved) });
  }
  if (field.state !== 'absent' && field.state !== 'null') return undefined;
  const waits =
    timeouts.scheduleToClose.known && Number.isFinite(timeouts.scheduleToClose.ms)
      ? `until scheduleToCloseTimeout (${describeTimeout(timeouts.scheduleToClose)}) fails it`
      : 'forever, since there is no scheduleToCloseTimeout either';
  return verdict(['no scheduleToStartTimeout'], { kind: 'unbounded', review, waits });
}

const TRADE_OFF =
  `Temporal often advises against scheduleToStartTimeout on shared task queues: a ScheduleToStart timeout is never retried, ` +
  `so the activity fails at once and the workflow must handle it. The usual safeguard instead is an alert on ${SCHEDULE_TO_START_METRIC}.`;

/** "proxyActivities for a and b" for one proxy, "3 activity proxies (a, b, c and d)" for several. */
function whichProxies(unbounded: { review: ProxyReview }[]): string {
  if (unbounded.length === 1) return unbounded[0]!.review.label;
  const types = [...new Set(unbounded.flatMap(({ review }) => review.uses.map((use) => use.type)))].sort();
  return `${unbounded.length} activity proxies (for ${listNames(types, 6)})`;
}

/** " Tasks of 2 of them wait forever, since there is no scheduleToCloseTimeout either." and the like. */
function howLong(unbounded: { waits: string }[]): string {
  if (unbounded.length === 1) return `tasks wait in the queue ${unbounded[0]!.waits}`;
  const forever = unbounded.filter((u) => u.waits.startsWith('forever')).length;
  if (forever === unbounded.length) return 'tasks wait in the queue forever, since none of them has a scheduleToCloseTimeout either';
  if (forever === 0) return 'tasks wait in the queue until scheduleToCloseTimeout fails them';
  return `tasks wait in the queue until scheduleToCloseTimeout fails them, and forever for the ${forever} proxies without one`;
}

function related(unbounded: { review: ProxyReview; waits: string }[]): FindingDraft['related'] {
  return unbounded.slice(1).map(({ review, waits }) => ({ ...review.proxy.location, message: `${review.label}: no scheduleToStartTimeout, a task waits ${waits}` }));
}

function data(unbounded: { review: ProxyReview }[]): Record<string, unknown> {
  return unbounded.length === 1 ? policyData(unbounded[0]!.review) : { proxies: unbounded.map(({ review }) => policyData(review)) };
}

/** "The project has no alert on X" and, when it has alert rules, which files were read. */
function noAlert(rules: AlertRuleFiles | undefined): string {
  if (!rules || rules.alertFiles.length === 0) return `The project has no alert on ${SCHEDULE_TO_START_METRIC}`;
  const count = rules.alertFiles.length;
  return `The project has no alert on ${SCHEDULE_TO_START_METRIC} (${count} alert rule ${count === 1 ? 'file' : 'files'} found: ${listNames(rules.alertFiles, 4)}; ${rules.rules.length} ${rules.rules.length === 1 ? 'alert' : 'alerts'}, none on it)`;
}

function uncovered(unbounded: { review: ProxyReview; waits: string }[], rules?: AlertRuleFiles): FindingDraft {
  return {
    location: unbounded[0]!.review.proxy.location,
    message:
      `${noAlert(rules)}, and ${whichProxies(unbounded)} ${unbounded.length === 1 ? 'leaves' : 'leave'} scheduleToStartTimeout unset: ` +
      `when the workers are saturated, crashed or polling the wrong task queue, ${howLong(unbounded)}, ` +
      `with no error and nothing to notice. ${TRADE_OFF}` +
      (unbounded.length > 1 ? ' The other proxies are listed as related locations.' : ''),
    fix:
      `Add an alert on ${SCHEDULE_TO_START_METRIC} (e.g. p99 over 1s for 5 minutes; \`temporal-preflight generate alerts\` writes one, and ` +
      `alerts.ruleFiles in the config tells preflight where rule files live), or set scheduleToStartTimeout on a task queue ` +
      `dedicated to these activities and handle the timeout in the workflow.`,
    related: related(unbounded),
    data: data(unbounded),
  };
}

function covered(unbounded: { review: ProxyReview; waits: string }[], alert: AlertRuleMatch): FindingDraft {
  return {
    location: unbounded[0]!.review.proxy.location,
    severity: 'info',
    message:
      `No scheduleToStartTimeout on ${whichProxies(unbounded)}: ${howLong(unbounded)}. ${TRADE_OFF} ` +
      `This project has one: alert "${alert.alert}" in ${alert.file}, so queue saturation will page someone.`,
    fix: 'Nothing required. Keep the alert routed to the team that owns this task queue; add scheduleToStartTimeout only on a queue dedicated to these activities, with a fallback in the workflow.',
    related: related(unbounded),
    data: { ...data(unbounded), alert },
  };
}

/**
 * Proxies whose workflows are always started with a short deadline: a task stuck in the queue
 * waits until the run's deadline, not forever, and the run then ends TIMED_OUT.
 */
function underDeadline(entries: { review: ProxyReview; waits: string }[], deadlines: Map<ProxyReview, WorkflowDeadline>, root: string): FindingDraft {
  const longest = Math.max(...entries.map(({ review }) => deadlines.get(review)!.ms));
  const sites = [...new Map(entries.flatMap(({ review }) => deadlines.get(review)!.sites).map((site) => [`${site.location.file}:${site.location.line}`, site])).values()];
  const shown = sites.slice(0, 3).map((site) => `${site.option} ${site.written} (${relativePath(root, site.location.file)}:${site.location.line})`);
  const workflows = [...new Set(entries.flatMap(({ review }) => review.proxy.workflowNames))].sort();
  const deadline: WorkflowDeadline = { ms: longest, sites };
  return {
    location: entries[0]!.review.proxy.location,
    severity: 'info',
    message:
      `No scheduleToStartTimeout on ${whichProxies(entries)}, but every start of ${listNames(workflows)} in the reviewed code sets a deadline: ` +
      `${listNames(sites.length > shown.length ? [...shown, `${sites.length - shown.length} more`] : shown, 4)}. ` +
      `When the workers are saturated, crashed or polling the wrong task queue, a task waits in the queue at most that long, not forever. ${timedOutSentence(deadline, 'waiting for a task to start')} ` +
      `An alert on ${SCHEDULE_TO_START_METRIC} or on timed-out workflows still tells you why.`,
    fix: `Nothing required. Alert on ${SCHEDULE_TO_START_METRIC} or on workflows that time out, so a stuck queue is noticed before callers see timeouts.`,
    related: related(entries),
    data: { ...data(entries), workflowDeadlineMs: longest },
  };
}

/** A per-run worker that runs every workflow using this proxy, when all of them run only on such workers. */
function perRunWorker(review: ProxyReview, model: TemporalModel): WorkerDefinition | undefined {
  const workflows = model.workflows.filter((workflow) => review.proxy.workflowNames.includes(workflow.name));
  if (workflows.length === 0) return undefined;
  const workers = workflows.map((workflow) => perRunWorkersOnly(workflow.workerIds, model.workers));
  return workers.every((list) => list.length > 0) ? workers[0]![0] : undefined;
}
