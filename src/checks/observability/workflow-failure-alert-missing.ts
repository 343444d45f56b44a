// Prevents a failure spike nobody hears about: without an alert on temporal_workflow_failed for a
// workflow type, a 10% failure rate becomes thousands of failed executions before anyone looks.

import path from 'node:path';
import { defineCheck } from '../define-check.js';
import { failureAlerts, type FailureAlertScan } from '../../generate/alert-rule-coverage.js';
import { scanAlertRuleFiles } from '../../engine/alert-rule-files.js';
import { alertsElsewhere, alertsElsewhereNote } from '../../engine/alerts-elsewhere.js';
import { SDK_METRICS } from '../../generate/metric-names.js';
import { ephemeralWorkerNote } from '../../engine/ephemeral-worker-note.js';
import { listNames } from '../../engine/name-list.js';
import { operatedWorkflowTypes } from '../../model/workflow-types.js';
import { perRunWorkersOnly } from '../../model/typescript/ephemeral-workers.js';
import type { WorkflowDefinition } from '../../model/typescript/types.js';
import { workflowCannotFail } from '../../model/typescript/workflow-cannot-fail.js';
import { activityCallCatches } from '../../model/typescript/contained-activity-failures.js';
import type { CodeModel } from '../../model/types.js';
import type { FailureReport } from '../../model/failure-reports.js';
import { workflowFailureReport } from '../../model/typescript/failure-reports.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { startAwaitedForResult } from '../../model/typescript/observability/start-awaits-result.js';
import type { SourceLocation } from '../../model/types.js';

export default defineCheck({
  id: 'workflow-failure-alert-missing',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'No Prometheus alert rule on workflow failures covers some workflow types (rule files named by config alerts.ruleFiles or found by content, Helm templates included): one finding listing them.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // A workflow whose whole body is in a try whose catch returns cannot end as Failed: an alert
    // on its failures never fires (workflow-failure-swallowed reports the swallowing itself).
    const workflowTypes = operatedWorkflowTypes(model.workflows).filter((workflow) => model.language === 'python' || !workflowCannotFail(workflow.node));
    if (workflowTypes.length === 0) return;
    const patterns = ctx.config.alerts.ruleFiles;
    const rules = scanAlertRuleFiles(ctx, patterns);
    const scan = failureAlerts(rules);
    for (const problem of scan.unreadable) {
      ctx.report({
        location: { file: path.resolve(ctx.root, problem.file), line: 1, column: 1 },
        severity: 'info',
        message: `Rule file ${problem.file} ${problem.message}: its alerts were not considered.`,
        fix: 'Fix the file (promtool check rules validates it).',
      });
    }
    // One root cause (no alert for these types), one finding: every type is a related location.
    const notCovered = [...workflowTypes]
      .sort(bySourceOrder)
      .filter((workflow) => !scan.alerts.some((alert) => alert.covers(workflow.name)));
    // A workflow run only by per-run workers fails into the process that started it and awaits it.
    const perRun = notCovered.filter((workflow) => perRunWorkersOnly(workflow.workerIds, model.workers).length > 0);
    if (perRun.length > 0) {
      const perRunNames = [...new Set(perRun.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
      ctx.report({
        location: perRun[0]!.location,
        severity: 'info',
        message: `No alert fires when ${listNames(perRunNames)} ${perRunNames.length === 1 ? 'fails' : 'fail'}. ${ephemeralWorkerNote(perRunWorkersOnly(perRun[0]!.workerIds, model.workers)[0]!, ctx.root, `Only a per-run worker runs ${perRunNames.length === 1 ? 'it' : 'them'}`)}`,
        fix: 'Nothing required while the workflow runs only on per-run workers; add an alert on workflow failures if it moves to a long-running worker.',
        related: perRun.slice(1).map((w) => ({ ...w.location, message: `${w.name}: run only by a per-run worker` })),
        data: { workflowTypes: perRunNames, ruleFiles: scan.ruleFiles, ephemeral: true },
      });
    }
    // A workflow only tests start (see test-only-workflows.ts) fails in no production run: it is
    // left out of the warning and, when it is all that is missing, reported as info.
    const testOnly = new Map((model.testOnlyWorkflows ?? []).map((w) => [w.name, w.reason]));
    const missing = notCovered.filter((workflow) => !perRun.includes(workflow));
    const uncovered = missing.filter((workflow) => !testOnly.has(workflow.name));
    const testOnlyMissing = missing.filter((workflow) => testOnly.has(workflow.name));
    const testOnlyNames = [...new Set(testOnlyMissing.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    // A workflow every start of which awaits its result in the same code path fails into the code
    // that started it, as an exception: only the failure rate across runs needs an alert.
    const awaitedStarts = new Map(uncovered.map((w) => [w, awaitedStart(model, w.name)]));
    const awaited = uncovered.filter((w) => awaitedStarts.get(w));
    if (awaited.length > 0) {
      const names = [...new Set(awaited.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
      const first = awaitedStarts.get(awaited[0]!)!;
      const one = names.length === 1;
      ctx.report({
        location: awaited[0]!.location,
        severity: 'info',
        message:
          `No alert rule covers ${listNames(names)} (${whatWasRead(scan, patterns, one ? 'this type' : 'them')}), but ` +
          `${one ? 'every start of it awaits' : 'every start of these types awaits'} the result (${one ? '' : `${awaited[0]!.name}: `}${first.how} at ${relative(ctx.root, first.location)}), so each failure reaches the code that started it as an exception. ` +
          `Only an alert on ${SDK_METRICS.workflowFailed.name} sees the failure rate across runs: one caller's error looks like any other, and a bad deploy that fails every run shows only as scattered errors.`,
        fix: `Optional: add an alert on ${SDK_METRICS.workflowFailed.name} by workflow_type (\`temporal-preflight generate alerts -o prometheus/temporal.rules.yml\`); keep it in mind if a start stops waiting for the result.`,
        related: awaited.slice(1).map((w) => ({ ...w.location, message: `${w.name}: every start awaits the result (${relative(ctx.root, awaitedStarts.get(w)!.location)})` })),
        data: { workflowTypes: names, ruleFiles: scan.ruleFiles, alertFiles: scan.alertFiles, awaitedWorkflowTypes: names },
      });
      uncovered.splice(0, uncovered.length, ...uncovered.filter((w) => !awaitedStarts.get(w)));
    }
    if (uncovered.length === 0) {
      if (testOnlyMissing.length === 0) return;
      ctx.report({
        location: testOnlyMissing[0]!.location,
        severity: 'info',
        message:
          `No alert fires when ${listNames(testOnlyNames)} ${testOnlyNames.length === 1 ? 'fails' : 'fail'}, but ` +
          `${[...new Set(testOnlyMissing.map((w) => testOnly.get(w.name)!))].join('; ')}; not a production path.`,
        fix: 'Nothing required while only tests start it; add an alert on workflow failures if production starts it.',
        related: testOnlyMissing.slice(1).map((w) => ({ ...w.location, message: `${w.name}: only tests start it` })),
        data: { workflowTypes: testOnlyNames, ruleFiles: scan.ruleFiles, testOnly: true },
      });
      return;
    }
    const leftOut = testOnlyNames.length
      ? ` ${listNames(testOnlyNames)} ${testOnlyNames.length === 1 ? 'is' : 'are'} left out: only tests or hand-run hooks start ${testOnlyNames.length === 1 ? 'it' : 'them'}.`
      : '';
    const awaitedNames = [...new Set(awaited.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    const awaitedNote = awaitedNames.length
      ? ` ${listNames(awaitedNames)} ${awaitedNames.length === 1 ? 'is' : 'are'} left out: every start of ${awaitedNames.length === 1 ? 'it' : 'them'} awaits the result, so a failure reaches the starter as an exception.`
      : '';
    // A workflow whose run catches every failure, runs an activity that notifies or records it and
    // re-raises reports its own failures: someone hears of them without an alert. Only the others
    // are named; when every workflow does, a note says what such a handler does not see.
    const reports = new Map(uncovered.map((w) => [w, failureReportOf(model, w)]));
    const selfReporting = uncovered.filter((w) => reports.get(w));
    const reportingNames = [...new Set(selfReporting.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    const reportingActivities = listNames([...new Set(selfReporting.map((w) => reports.get(w)!.activity))].sort(), 3);
    const notSeen = 'a timeout, a termination, a workflow task that keeps failing and a notifier that fails itself are not reported that way';
    if (selfReporting.length === uncovered.length) {
      ctx.report({
        location: selfReporting[0]!.location,
        severity: 'info',
        message:
          `No alert rule covers ${listNames(reportingNames)} (${whatWasRead(scan, patterns, reportingNames.length === 1 ? 'this type' : 'them')}), but ` +
          `${reportingNames.length === 1 ? 'it reports its own failures' : `each of the ${reportingNames.length} reports its own failures`}: the run catches every failure, runs ${reportingActivities} and re-raises, so the run still ends as Failed and someone hears of it. ` +
          `Still, ${notSeen}: an alert on ${SDK_METRICS.workflowFailed.name} by workflow_type covers those.${leftOut}${awaitedNote}`,
        fix: `Optional: add an alert on ${SDK_METRICS.workflowFailed.name} by workflow_type (\`temporal-preflight generate alerts -o prometheus/temporal.rules.yml\`).`,
        related: selfReporting.slice(1).map((w) => ({ ...w.location, message: `${w.name}: reports its failure through ${reports.get(w)!.activity} (line ${reports.get(w)!.line})` })),
        data: { workflowTypes: reportingNames, ruleFiles: scan.ruleFiles, alertFiles: scan.alertFiles, selfReportingWorkflowTypes: reportingNames },
      });
      return;
    }
    const reportingNote = selfReporting.length
      ? ` ${listNames(reportingNames)} ${reportingNames.length === 1 ? 'is' : 'are'} left out: ${reportingNames.length === 1 ? 'its run catches' : 'their runs catch'} every failure, ${reportingNames.length === 1 ? 'runs' : 'run'} ${reportingActivities} and re-raise${reportingNames.length === 1 ? 's' : ''}, so someone hears of ${reportingNames.length === 1 ? 'its' : 'their'} failures (${notSeen}).`
      : '';
    uncovered.splice(0, uncovered.length, ...uncovered.filter((w) => !reports.get(w)));
    // Workflows that catch their activities' failures and carry on or return a result: a failed-run
    // alert does not see those. The finding sits on a workflow whose activity failures can fail the run.
    const catches = new Map(uncovered.map((w) => [w, workflowCatches(model, w)]));
    uncovered.sort((a, b) => Number(!canFail(catches.get(a)!)) - Number(!canFail(catches.get(b)!)));
    const names = [...new Set(uncovered.map((w) => w.name))].sort((a, b) => a.localeCompare(b));
    const production = workflowTypes.length - workflowTypes.filter((workflow) => testOnly.has(workflow.name)).length;
    const count = uncovered.length === production && !selfReporting.length ? `any of the ${uncovered.length}` : `${uncovered.length} of the ${production}`;
    const subject = uncovered.length === 1 ? `${names[0]} workflows fail` : `workflows of ${count} types fail (${listNames(names)})`;
    // The alert may exist where the project keeps its alerting: a note that says where to look.
    const elsewhere = alertsElsewhere(ctx.config, model, rules, { failures: true });
    const caught = caughtSentence(uncovered, catches);
    ctx.report({
      location: uncovered[0]!.location,
      ...(elsewhere || caught?.noneFail ? { severity: 'info' as const } : {}),
      message:
        `No alert fires when ${subject}: ${whatWasRead(scan, patterns, uncovered.length === 1 ? 'this type' : 'them')}. ` +
        (elsewhere
          ? alertsElsewhereNote(elsewhere) + (caught ? ` ${caught.text}` : '')
          : caught
            ? `Failed executions only show up when someone opens the Web UI. ${caught.text}`
            : 'Failed executions only show up when someone opens the Web UI; a bad deploy or a broken dependency fails executions for hours first.') +
        leftOut +
        awaitedNote +
        reportingNote,
      fix:
        `Add an alert on ${SDK_METRICS.workflowFailed.name} by workflow_type (a failure ratio over 10 minutes, for 5 minutes), or one per type (${SDK_METRICS.workflowFailed.name}{workflow_type="${names[0]}"}): ` +
        '`temporal-preflight generate alerts -o prometheus/temporal.rules.yml` writes one per workflow type; or point alerts.ruleFiles at your rule files.',
      related: uncovered.map((w) => ({ ...w.location, message: `${w.name}: no failure alert` })),
      data: {
        workflowTypes: names,
        ruleFiles: scan.ruleFiles,
        alertFiles: scan.alertFiles,
        ...(elsewhere ? { alertsElsewhere: elsewhere } : {}),
        ...(testOnlyNames.length ? { testOnlyWorkflowTypes: testOnlyNames } : {}),
        ...(reportingNames.length ? { selfReportingWorkflowTypes: reportingNames } : {}),
        ...(awaitedNames.length ? { awaitedWorkflowTypes: awaitedNames } : {}),
        ...(caught ? { caughtActivityFailures: caught.data } : {}),
      },
    });
  },
});

/**
 * The first start of a workflow type when every start of it in the reviewed code awaits the run's
 * result in the same code path (see startAwaitedForResult and WorkflowStartFacts.awaitedResult):
 * undefined when none starts it, when one does not wait (a plain start, a child, a schedule, a
 * signal-with-start) or when a start's type is not known.
 */
function awaitedStart(model: CodeModel, name: string): { location: SourceLocation; how: string } | undefined {
  const all = [...model.starts, ...(model.scheduleActions ?? [])];
  if (all.some((start) => start.workflowType === null && (!start.workflowTypeCandidates || start.workflowTypeCandidates.includes(name)))) return undefined;
  const starts = all.filter((start) => start.workflowType === name);
  if (starts.length === 0) return undefined;
  let first: { location: SourceLocation; how: string } | undefined;
  for (const start of starts) {
    const how = start.awaitedResult !== undefined ? start.awaitedResult : 'node' in start ? startAwaitedForResult(start as WorkflowStart) : undefined;
    if (!how) return undefined;
    first ??= { location: start.location, how };
  }
  return first;
}

function relative(root: string, location: SourceLocation): string {
  return `${path.relative(root, location.file).split(path.sep).join('/')}:${location.line}`;
}

/** The activity a workflow's catch runs to report its failure before re-raising (model/failure-reports.ts). */
function failureReportOf(model: CodeModel, workflow: WorkflowDefinition): FailureReport | undefined {
  if (model.language === 'python') return (workflow as WorkflowDefinition & { failureReport?: FailureReport }).failureReport;
  return workflowFailureReport(model as TemporalModel, workflow);
}

/** Which activities of a workflow have their own failure caught in the workflow code, and which can fail the run. */
interface WorkflowCatches {
  caught: string[];
  uncaught: string[];
  /** After a caught failure the workflow waits for a condition (a signal or an update) instead of returning. */
  waits?: true;
}

function workflowCatches(model: CodeModel, workflow: WorkflowDefinition): WorkflowCatches {
  const caught = new Set<string>();
  const uncaught = new Set<string>();
  // TypeScript: a call in a helper reached in a way the reviewer does not follow is neither: it only keeps the activity off the caught list.
  const unsure = new Set<string>();
  let waits = false;
  if (model.language === 'python') {
    // Python: each execute_activity call is a proxy; 'handled' when a try around it catches the
    // activity's failure and does more than re-raise it.
    for (const proxy of model.activityProxies) {
      if (!proxy.workflowNames.includes(workflow.name)) continue;
      const names = proxy.usedActivityTypes === 'all' ? proxy.exposedActivityTypes : proxy.usedActivityTypes.map((use) => use.name);
      for (const name of names) (proxy.handling === 'handled' ? caught : uncaught).add(name);
      if (proxy.handling === 'handled' && proxy.waitsAfterCatch) waits = true;
    }
  } else {
    for (const call of activityCallCatches(model as TemporalModel, workflow)) {
      (call.caught ? caught : call.unsure ? unsure : uncaught).add(call.activity);
      if (call.caught && call.waitsAfter) waits = true;
    }
  }
  // An activity with one call caught and another not (a result recorder in the try and in the catch) can fail the run.
  const caughtOnly = [...caught].filter((name) => !uncaught.has(name) && !unsure.has(name)).sort();
  return { caught: caughtOnly, uncaught: [...uncaught].sort(), ...(waits && caughtOnly.length > 0 ? { waits: true as const } : {}) };
}

/** A workflow with no caught activity failure, or with an activity whose failure reaches the run. */
function canFail(catches: WorkflowCatches): boolean {
  return catches.caught.length === 0 || catches.uncaught.length > 0;
}

/**
 * When some of the workflows catch their activities' failures in the workflow code, what a
 * failed-run alert sees of them and what to alert on instead; `noneFail` when no activity failure
 * of any of them reaches the run.
 */
function caughtSentence(workflows: WorkflowDefinition[], catches: Map<WorkflowDefinition, WorkflowCatches>): { text: string; noneFail: boolean; data: { workflow: string; caught: string[]; uncaught: string[] }[] } | undefined {
  const catching = workflows.filter((w) => catches.get(w)!.caught.length > 0);
  if (catching.length === 0) return undefined;
  const data = catching.map((w) => ({ workflow: w.name, ...catches.get(w)! }));
  const who = catching.length === workflows.length
    ? workflows.length === 1 ? catching[0]!.name : `All ${workflows.length}`
    : `${listNames([...new Set(catching.map((w) => w.name))], 4)}`;
  const plural = who !== catching[0]!.name || catching.length > 1;
  const caughtNames = [...new Set(catching.flatMap((w) => catches.get(w)!.caught))].sort();
  const uncaughtNames = [...new Set(catching.flatMap((w) => catches.get(w)!.uncaught))].sort();
  const noneFail = workflows.every((w) => !canFail(catches.get(w)!));
  // A workflow that waits for a condition after the catch does not end there: the run completes or waits.
  const waiting = [...new Set(catching.filter((w) => catches.get(w)!.waits).map((w) => w.name))];
  const everyOneWaits = catching.every((w) => catches.get(w)!.waits);
  const outcome = !waiting.length
    ? 'ends the run as completed'
    : everyOneWaits
      ? 'does not fail the run: the run waits for a condition (a signal or an update) after the catch, then completes or keeps waiting'
      : `does not fail the run: the run completes, or in ${listNames(waiting, 4)} waits for a condition (a signal or an update) after the catch`;
  const head =
    `${who} ${plural ? 'catch' : 'catches'} the failures of ${listNames(caughtNames, 4)} in the workflow code and ${plural ? 'go' : 'goes'} on or ${plural ? 'return' : 'returns'} a result, ` +
    `so such a failure ${outcome}${waiting.length ? ',' : ''} and an alert on failed runs does not see it`;
  const what = 'alert on what the workflows return or record for a caught failure (a status in the result, a log line or a metric the team emits)';
  if (noneFail) return { text: `${head}: a failed-run alert would catch almost nothing here; to hear about the failures, ${what}.`, noneFail, data };
  const them = catching.length === 1 ? 'it' : 'them';
  const reach = uncaughtNames.length
    ? `; for ${them} a failed-run alert fires only when ${listNames(uncaughtNames, 4)} ${uncaughtNames.length === 1 ? 'fails' : 'fail'} (awaited outside such a try, or in the catch itself)`
    : `; no activity failure of ${them} reaches the run`;
  return {
    text: `${head}${reach}. To hear about the caught failures as well, ${what}.`,
    noneFail,
    data,
  };
}

/** Which rule files were read and what they lack, so a reader can tell a real gap from a missed file. */
function whatWasRead(scan: FailureAlertScan, patterns: string[], them: string): string {
  const metric = SDK_METRICS.workflowFailed.name;
  if (scan.alertFiles.length === 0) {
    return scan.ruleFiles.length
      ? `the rule files (${listNames(scan.ruleFiles, 4)}) hold no alerting rule`
      : `no rule file matches alerts.ruleFiles (${patterns.join(', ')}) and no YAML file in the project holds Prometheus alerting rules`;
  }
  const files = `${scan.alertFiles.length} alert rule ${scan.alertFiles.length === 1 ? 'file' : 'files'} found (${listNames(scan.alertFiles, 4)}; ${scan.alertCount} ${scan.alertCount === 1 ? 'alert' : 'alerts'})`;
  if (scan.alerts.length === 0) return `${files}, none on ${metric}`;
  const failureAlerts = [...new Set(scan.alerts.map((a) => a.alert))];
  return `${files}; ${failureAlerts.length === 1 ? 'the alert' : 'the alerts'} on ${metric} (${listNames(failureAlerts, 4)}) ${failureAlerts.length === 1 ? 'does' : 'do'} not cover ${them}`;
}

function bySourceOrder(a: WorkflowDefinition, b: WorkflowDefinition): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.name.localeCompare(b.name);
}
