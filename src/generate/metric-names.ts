// The SDK metric names the generated alert rules and dashboard use, exactly as the TypeScript
// SDK 1.24 Prometheus exporter publishes them (TEMPORAL-FACTS.md section 7). Every name here is
// asserted against a real worker's /metrics in test/generate/metric-names.test.ts; do not add a
// name that test does not scrape.
//
// Verified facts (SDK 1.24.0, Core's Prometheus exporter):
// - by default counters carry no `_total` suffix and histograms no unit suffix; durations are
//   milliseconds (bucket bounds 100, 500, 1000, 5000, ...);
// - `countersTotalSuffix: true` appends `_total` to counters;
// - `unitSuffix: true` appends `_milliseconds` (or `_seconds` with `useSecondsForDurations`) to
//   histograms; gauges never change;
// - `useSecondsForDurations: true` records durations in seconds (bounds 0.1, 0.5, 1, 5, ...).

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface SdkMetric {
  /** The base name, as exported with the default options. */
  name: string;
  kind: MetricKind;
  /** Labels the SDK attaches besides `service_name`. */
  labels: readonly string[];
}

export const SDK_METRICS = {
  workflowCompleted: { name: 'temporal_workflow_completed', kind: 'counter', labels: ['namespace', 'task_queue', 'workflow_type'] },
  workflowFailed: { name: 'temporal_workflow_failed', kind: 'counter', labels: ['namespace', 'task_queue', 'workflow_type'] },
  workflowEndToEndLatency: {
    name: 'temporal_workflow_endtoend_latency',
    kind: 'histogram',
    labels: ['namespace', 'task_queue', 'workflow_type'],
  },
  workflowTaskExecutionFailed: {
    name: 'temporal_workflow_task_execution_failed',
    kind: 'counter',
    labels: ['failure_reason', 'namespace', 'task_queue', 'workflow_type'],
  },
  workflowTaskScheduleToStartLatency: {
    name: 'temporal_workflow_task_schedule_to_start_latency',
    kind: 'histogram',
    labels: ['namespace', 'task_queue'],
  },
  activityExecutionFailed: {
    name: 'temporal_activity_execution_failed',
    kind: 'counter',
    labels: ['activity_type', 'failure_reason', 'namespace', 'task_queue', 'workflow_type'],
  },
  activityExecutionLatency: {
    name: 'temporal_activity_execution_latency',
    kind: 'histogram',
    labels: ['activity_type', 'namespace', 'task_queue', 'workflow_type'],
  },
  activityScheduleToStartLatency: {
    name: 'temporal_activity_schedule_to_start_latency',
    kind: 'histogram',
    labels: ['namespace', 'task_queue'],
  },
  workerTaskSlotsAvailable: { name: 'temporal_worker_task_slots_available', kind: 'gauge', labels: ['namespace', 'task_queue', 'worker_type'] },
  workerTaskSlotsUsed: { name: 'temporal_worker_task_slots_used', kind: 'gauge', labels: ['namespace', 'task_queue', 'worker_type'] },
  numPollers: { name: 'temporal_num_pollers', kind: 'gauge', labels: ['namespace', 'poller_type', 'task_queue'] },
} as const satisfies Record<string, SdkMetric>;

export type SdkMetricKey = keyof typeof SDK_METRICS;

/** Label values the SDK really emits (seen in the scrape). */
export const FAILURE_REASON_NON_DETERMINISM = 'NonDeterminismError';
export const WORKER_TYPES = { workflow: 'WorkflowWorker', activity: 'ActivityWorker', localActivity: 'LocalActivityWorker' } as const;
/** Poller types of a worker's normal queues (a worker with a workflow cache also reports `sticky_workflow_task`). */
export const POLLER_TYPES = ['activity_task', 'workflow_task'] as const;

/** The Prometheus exporter options of `Runtime.install` that change names and units. */
export interface MetricExportOptions {
  countersTotalSuffix: boolean;
  unitSuffix: boolean;
  useSecondsForDurations: boolean;
}

export const DEFAULT_EXPORT_OPTIONS: MetricExportOptions = {
  countersTotalSuffix: false,
  unitSuffix: false,
  useSecondsForDurations: false,
};

/** The series name Prometheus stores for a metric under the given exporter options. */
export function exportedName(key: SdkMetricKey, options: MetricExportOptions, series?: 'bucket' | 'count' | 'sum'): string {
  const metric: SdkMetric = SDK_METRICS[key];
  let name = metric.name;
  if (metric.kind === 'counter' && options.countersTotalSuffix) name += '_total';
  if (metric.kind === 'histogram') {
    if (options.unitSuffix) name += options.useSecondsForDurations ? '_seconds' : '_milliseconds';
    if (series) name += `_${series}`;
  }
  return name;
}

/** A duration in the unit the exporter records: milliseconds by default, seconds when asked. */
export function durationInExportUnit(millis: number, options: MetricExportOptions): number {
  return options.useSecondsForDurations ? millis / 1000 : millis;
}

/** Every series name the generators may emit under the given options (for tests and docs). */
export function allExportedNames(options: MetricExportOptions): string[] {
  const names: string[] = [];
  for (const key of Object.keys(SDK_METRICS) as SdkMetricKey[]) {
    if (SDK_METRICS[key].kind === 'histogram') {
      for (const series of ['bucket', 'count', 'sum'] as const) names.push(exportedName(key, options, series));
    } else {
      names.push(exportedName(key, options));
    }
  }
  return names.sort();
}
