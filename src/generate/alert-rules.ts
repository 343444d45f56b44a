// `generate alerts`: a Prometheus rule file for the project, following Temporal's recommended
// worker alerts (TEMPORAL-FACTS.md section 7) with one failure-rate alert per workflow type and
// one failure-rate alert per activity type found in the code. Names come from metric-names.ts,
// which a test checks against a real worker's /metrics; the rule file passes `promtool check rules`.

import { stringify } from 'yaml';
import { durationInExportUnit, exportedName, FAILURE_REASON_NON_DETERMINISM, type MetricExportOptions } from './metric-names.js';
import { activityTypesOf, runbookFileName, vocabularyOf, WORKERS_RUNBOOK, type ProjectFacts } from './project-facts.js';
import { labelIn, selector } from './promql.js';

/** Share of closed executions of a workflow type that failed, over 10 minutes. */
export const WORKFLOW_FAILURE_RATIO = 0.05;
/** Share of activity attempts of a type that failed, over 10 minutes (attempts are retried). */
export const ACTIVITY_FAILURE_RATIO = 0.2;
/** Temporal's recommendation for the workflow-task schedule-to-start p99 (section 7). */
export const WORKFLOW_TASK_SCHEDULE_TO_START_MS = 5000;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  /** severity, plus the workflow type, task queue or activity type a per-item rule is about (keeps rules distinct for promtool). */
  labels: { severity: 'critical' | 'warning'; workflow_type?: string; task_queue?: string; activity_type?: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** The SDK call that versions workflow code, in the languages of the project's workflows. */
function patchedCall(facts: ProjectFacts): string {
  const python = facts.workflows.filter((w) => w.language === 'python').length;
  const typescript = `${vocabularyOf({}).patched}()`;
  const pythonCall = `${vocabularyOf({ language: 'python' }).patched}()`;
  if (python === 0) return typescript;
  return python === facts.workflows.length ? pythonCall : `${typescript} (TypeScript) or ${pythonCall} (Python)`;
}

/** The rule groups as data (for tests and for the coverage check to compare against). */
export function buildAlertRules(facts: ProjectFacts): RuleGroup[] {
  const m = facts.metricExport;
  const templatedRunbook = `${facts.runbookBase}/{{ $labels.workflow_type }}.md`;
  const workerRunbook = (anchor: string) => `${facts.runbookBase}/${WORKERS_RUNBOOK}#${anchor}`;
  const workflowRules: AlertRule[] = facts.workflows
    .map((w) => w.name)
    .sort()
    .map((type) => workflowFailureRule(type, m, `${facts.runbookBase}/${runbookFileName(type)}`));
  const queues = facts.taskQueues;
  const queueMatch = queues.length ? [labelIn('task_queue', queues)] : [];

  workflowRules.push({
    alert: 'TemporalWorkflowNonDeterminism',
    expr: `sum by (namespace, task_queue, workflow_type) (increase(${selector(exportedName('workflowTaskExecutionFailed', m), [
      ['failure_reason', '=', FAILURE_REASON_NON_DETERMINISM],
      ...queueMatch,
    ])}[5m])) > 0`,
    for: '1m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'Workflow tasks of {{ $labels.workflow_type }} fail with a non-determinism error',
      description:
        `Deployed workflow code no longer replays the histories of running {{ $labels.workflow_type }} executions on task queue {{ $labels.task_queue }}. Those executions are stuck until the code is fixed with ${patchedCall(facts)} or rolled back.`,
      runbook_url: templatedRunbook,
    },
  });
  workflowRules.push({
    alert: 'TemporalWorkflowTaskFailing',
    expr: `sum by (namespace, task_queue, workflow_type) (increase(${selector(exportedName('workflowTaskExecutionFailed', m), [
      ['failure_reason', '!=', FAILURE_REASON_NON_DETERMINISM],
      ...queueMatch,
    ])}[10m])) > 0`,
    for: '10m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'Workflow tasks of {{ $labels.workflow_type }} keep failing ({{ $labels.failure_reason }})',
      description:
        'A failed workflow task is retried forever: the executions look alive but make no progress. Usually workflow code threw an error that is not an ApplicationFailure.',
      runbook_url: templatedRunbook,
    },
  });

  const workerRules: AlertRule[] = [
    {
      alert: 'TemporalWorkerSlotsExhausted',
      expr: `sum by (namespace, task_queue, worker_type) (${selector(exportedName('workerTaskSlotsAvailable', m), queueMatch)}) == 0`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'No free {{ $labels.worker_type }} slots on task queue {{ $labels.task_queue }}',
        description:
          'Every slot is busy: new tasks wait in the queue and schedule-to-start latency grows until timeouts fire. Add workers or slots, or find what holds the slots (hung activities).',
        runbook_url: workerRunbook('slots-exhausted'),
      },
    },
  ];
  for (const queue of queues) {
    const target = durationInExportUnit(facts.scheduleToStartTargetMs, m);
    workerRules.push({
      alert: 'TemporalActivityScheduleToStartHigh',
      expr: `histogram_quantile(0.99, sum by (namespace, task_queue, le) (rate(${selector(exportedName('activityScheduleToStartLatency', m, 'bucket'), [
        ['task_queue', '=', queue],
      ])}[5m]))) > ${formatNumber(target)}`,
      for: '5m',
      labels: { severity: 'warning', task_queue: queue },
      annotations: {
        summary: `Activity schedule-to-start p99 on ${queue} is over ${facts.scheduleToStartTargetMs} ms`,
        description:
          'Activities wait for a free worker slot longer than the target: the workers of this queue are saturated or too few. Value: {{ $value }}.',
        runbook_url: workerRunbook('activity-schedule-to-start-high'),
      },
    });
    workerRules.push({
      alert: 'TemporalWorkerPollersGone',
      expr: `(sum by (namespace, task_queue) (${selector(exportedName('numPollers', m), [['task_queue', '=', queue]])}) == 0) or absent(${selector(
        exportedName('numPollers', m),
        [['task_queue', '=', queue]],
      )})`,
      for: '5m',
      labels: { severity: 'critical', task_queue: queue },
      annotations: {
        summary: `No worker polls task queue ${queue}`,
        description:
          'Nothing takes tasks from this queue: workflows and activities on it make no progress. Check that the worker deployment is up and can reach the server.',
        runbook_url: workerRunbook('pollers-gone'),
      },
    });
  }
  if (queues.length) {
    workerRules.push({
      alert: 'TemporalWorkflowTaskScheduleToStartHigh',
      expr: `histogram_quantile(0.99, sum by (namespace, task_queue, le) (rate(${selector(exportedName('workflowTaskScheduleToStartLatency', m, 'bucket'), queueMatch)}[5m]))) > ${formatNumber(
        durationInExportUnit(WORKFLOW_TASK_SCHEDULE_TO_START_MS, m),
      )}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Workflow-task schedule-to-start p99 on {{ $labels.task_queue }} is over 5 s',
        description: 'Workflow workers cannot keep up: every workflow on this queue advances slowly.',
        runbook_url: workerRunbook('workflow-task-schedule-to-start-high'),
      },
    });
  }

  const activityRules = activityTypesOf(facts).map((type): AlertRule => {
    const failed = `sum by (namespace, workflow_type, activity_type) (rate(${selector(exportedName('activityExecutionFailed', m), [['activity_type', '=', type]])}[10m]))`;
    const attempts = `sum by (namespace, workflow_type, activity_type) (rate(${selector(exportedName('activityExecutionLatency', m, 'count'), [['activity_type', '=', type]])}[10m]))`;
    return {
      alert: 'TemporalActivityFailureRateHigh',
      expr: `${failed} / ${attempts} > ${ACTIVITY_FAILURE_RATIO}`,
      for: '10m',
      labels: { severity: 'warning', activity_type: type },
      annotations: {
        summary: `Over ${ACTIVITY_FAILURE_RATIO * 100}% of ${type} attempts fail`,
        description: `Attempts of activity ${type} (called by {{ $labels.workflow_type }}) fail at {{ $value | humanizePercentage }}. Retries hide this until the retry budget runs out; check the dependency it calls.`,
        runbook_url: templatedRunbook,
      },
    };
  });

  const prefix = groupPrefix(facts.projectName);
  return [
    { name: `${prefix}-workflows`, rules: workflowRules },
    { name: `${prefix}-workers`, rules: workerRules },
    { name: `${prefix}-activities`, rules: activityRules },
  ].filter((group) => group.rules.length > 0);
}

function workflowFailureRule(type: string, m: MetricExportOptions, runbookUrl: string): AlertRule {
  const byType = (key: 'workflowFailed' | 'workflowCompleted') =>
    `sum by (namespace, workflow_type) (rate(${selector(exportedName(key, m), [['workflow_type', '=', type]])}[10m]))`;
  const failed = byType('workflowFailed');
  // `or ... * 0`: a type that never completed has no completed series, and `failed + nothing`
  // would be empty, silencing the alert exactly when every execution fails.
  return {
    alert: 'TemporalWorkflowFailureRateHigh',
    expr: `${failed} / (${failed} + (${byType('workflowCompleted')} or ${failed} * 0)) > ${WORKFLOW_FAILURE_RATIO}`,
    for: '5m',
    labels: { severity: 'critical', workflow_type: type },
    annotations: {
      summary: `Over ${WORKFLOW_FAILURE_RATIO * 100}% of ${type} workflows fail`,
      description: `${type} executions fail at {{ $value | humanizePercentage }} of those that closed in the last 10 minutes (namespace {{ $labels.namespace }}).`,
      runbook_url: runbookUrl,
    },
  };
}

/** The rule file as YAML, with a header saying where it came from. */
export function renderAlertRules(facts: ProjectFacts): string {
  const header = [
    '# Prometheus alert rules generated by `temporal-preflight generate alerts`.',
    '# Metric names as the Temporal TypeScript SDK 1.24 Prometheus exporter publishes them',
    `# (countersTotalSuffix: ${facts.metricExport.countersTotalSuffix}, unitSuffix: ${facts.metricExport.unitSuffix}, useSecondsForDurations: ${facts.metricExport.useSecondsForDurations}).`,
    '# Regenerate after adding workflow types, activity types or task queues.',
  ];
  return `${header.join('\n')}\n${stringify({ groups: buildAlertRules(facts) }, { lineWidth: 0 })}`;
}

function groupPrefix(projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slug ? `${slug}-temporal` : 'temporal';
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
