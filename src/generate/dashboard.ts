// `generate dashboard`: a Grafana dashboard for the project's workflows and workers, on the same
// verified metric names as the alert rules (metric-names.ts). Panels: workflow outcomes by type,
// schedule-to-start latency by task queue, slots used and available, activity failures by type,
// workflow-task failures by reason, pollers by task queue.

import { exportedName, type MetricExportOptions } from './metric-names.js';
import { activityTypesOf, type ProjectFacts } from './project-facts.js';
import { anyOf, quote } from './promql.js';

export interface DashboardTarget {
  refId: string;
  expr: string;
  legendFormat: string;
}

export interface DashboardPanel {
  id: number;
  title: string;
  description: string;
  type: 'timeseries';
  datasource: { type: 'prometheus'; uid: '${datasource}' };
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: { unit: string }; overrides: [] };
  targets: DashboardTarget[];
}

const RATE = '[$__rate_interval]';

/** The dashboard as a plain object (Grafana dashboard JSON model). */
export function buildDashboard(facts: ProjectFacts): Record<string, unknown> {
  const m = facts.metricExport;
  const workflowTypes = facts.workflows.map((w) => w.name).sort();
  const activityTypes = activityTypesOf(facts);
  const ns = `namespace=~"$namespace"`;
  const tq = `task_queue=~"$task_queue"`;
  const typeFilter = (label: string, values: string[]) => (values.length ? `, ${label}=~${quote(anyOf(values))}` : '');
  const wf = typeFilter('workflow_type', workflowTypes);
  const act = typeFilter('activity_type', activityTypes);
  const latencyUnit = m.useSecondsForDurations ? 's' : 'ms';
  const p99 = (key: 'activityScheduleToStartLatency' | 'workflowTaskScheduleToStartLatency', options: MetricExportOptions) =>
    `histogram_quantile(0.99, sum by (task_queue, le) (rate(${exportedName(key, options, 'bucket')}{${ns}, ${tq}}${RATE})))`;

  const specs: Omit<DashboardPanel, 'id' | 'type' | 'datasource' | 'gridPos' | 'fieldConfig'>[] = [];
  const units: string[] = [];
  const add = (unit: string, spec: (typeof specs)[number]) => {
    specs.push(spec);
    units.push(unit);
  };
  add('ops', {
    title: 'Workflow outcomes by type',
    description: 'Workflows completed and failed per second, per workflow type.',
    targets: [
      { refId: 'A', expr: `sum by (workflow_type) (rate(${exportedName('workflowCompleted', m)}{${ns}, ${tq}${wf}}${RATE}))`, legendFormat: '{{workflow_type}} completed' },
      { refId: 'B', expr: `sum by (workflow_type) (rate(${exportedName('workflowFailed', m)}{${ns}, ${tq}${wf}}${RATE}))`, legendFormat: '{{workflow_type}} failed' },
    ],
  });
  add(latencyUnit, {
    title: 'Activity schedule-to-start p99 by task queue',
    description: `Time activities wait for a free worker slot. Target: ${facts.scheduleToStartTargetMs} ms.`,
    targets: [{ refId: 'A', expr: p99('activityScheduleToStartLatency', m), legendFormat: '{{task_queue}}' }],
  });
  add(latencyUnit, {
    title: 'Workflow-task schedule-to-start p99 by task queue',
    description: 'Time workflow tasks wait for a workflow worker. Temporal recommends alerting above 5 s.',
    targets: [{ refId: 'A', expr: p99('workflowTaskScheduleToStartLatency', m), legendFormat: '{{task_queue}}' }],
  });
  add('short', {
    title: 'Worker slots used and available',
    description: 'Task slots per task queue and worker type, summed over worker processes. Available at 0 means tasks queue up.',
    targets: [
      { refId: 'A', expr: `sum by (task_queue, worker_type) (${exportedName('workerTaskSlotsUsed', m)}{${ns}, ${tq}})`, legendFormat: '{{task_queue}} {{worker_type}} used' },
      { refId: 'B', expr: `sum by (task_queue, worker_type) (${exportedName('workerTaskSlotsAvailable', m)}{${ns}, ${tq}})`, legendFormat: '{{task_queue}} {{worker_type}} available' },
    ],
  });
  add('ops', {
    title: 'Activity failures by type',
    description: 'Failed activity attempts per second, per activity type (each is retried unless non-retryable).',
    targets: [{ refId: 'A', expr: `sum by (activity_type) (rate(${exportedName('activityExecutionFailed', m)}{${ns}, ${tq}${act}}${RATE}))`, legendFormat: '{{activity_type}}' }],
  });
  add('ops', {
    title: 'Workflow-task failures by reason',
    description: 'NonDeterminismError means deployed code no longer replays running executions.',
    targets: [
      {
        refId: 'A',
        expr: `sum by (workflow_type, failure_reason) (rate(${exportedName('workflowTaskExecutionFailed', m)}{${ns}, ${tq}}${RATE}))`,
        legendFormat: '{{workflow_type}} {{failure_reason}}',
      },
    ],
  });
  add('short', {
    title: 'Pollers by task queue',
    description: 'Open polls per task queue and poller type. Zero means no worker takes tasks.',
    targets: [{ refId: 'A', expr: `sum by (task_queue, poller_type) (${exportedName('numPollers', m)}{${ns}, ${tq}})`, legendFormat: '{{task_queue}} {{poller_type}}' }],
  });

  const panels: DashboardPanel[] = specs.map((spec, index) => ({
    id: index + 1,
    type: 'timeseries',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 },
    fieldConfig: { defaults: { unit: units[index]! }, overrides: [] },
    ...spec,
  }));

  const queueValues = `label_values(${exportedName('numPollers', m)}${facts.taskQueues.length ? `{task_queue=~${quote(anyOf(facts.taskQueues))}}` : ''}, task_queue)`;
  return {
    title: `${facts.projectName}: Temporal workflows and workers`,
    uid: dashboardUid(facts.projectName),
    tags: ['temporal', 'temporal-preflight'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        variable('namespace', `label_values(${exportedName('numPollers', m)}, namespace)`),
        variable('task_queue', queueValues),
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

function variable(name: string, query: string): Record<string, unknown> {
  return {
    name,
    label: name,
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: { query, refId: `${name}-values` },
    definition: query,
    includeAll: true,
    allValue: '.*',
    multi: true,
    current: { text: 'All', value: '$__all' },
    refresh: 2,
    sort: 1,
    hide: 0,
  };
}

/** Stable across runs (Grafana uids are at most 40 characters). */
function dashboardUid(projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `tp-${slug || 'temporal'}`.slice(0, 40);
}

export function renderDashboard(facts: ProjectFacts): string {
  return `${JSON.stringify(buildDashboard(facts), null, 2)}\n`;
}
