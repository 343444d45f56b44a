// Schedule-to-start latency, slot use and backlog per task queue, measured from the histories
// (ActivityTaskStarted - ActivityTaskScheduled, TEMPORAL-FACTS.md §8). First attempts only: a
// retry's scheduled time is the original one, so its "wait" would include the backoff.

import type { ActivityFacts, WorkflowFacts } from '../harness/history-facts.js';

export interface LatencyPercentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface QueueMeasurement {
  taskQueue: string;
  activities: LatencyPercentiles;
  workflowTasks: LatencyPercentiles;
  /** Activity starts per second over the span they were scheduled in. */
  activityRatePerSecond: number;
  meanActivityDurationMs: number;
  /** Most activities running at once (slots in use). */
  maxConcurrentActivities: number;
  /** Most activities scheduled and not yet started at once (the task queue backlog). */
  maxBacklog: number;
  /**
   * p99 of the schedule-to-start of the activities that started in each second of the run,
   * [seconds from the first schedule, ms]. Bucketed by start, not schedule: task queues are
   * partitioned and not strictly FIFO, but whatever starts late in a growing backlog waited long.
   */
  p99BySecond: [number, number][];
}

export function measureQueues(facts: WorkflowFacts[]): QueueMeasurement[] {
  const activities = facts.flatMap((f) => f.activities).filter((a) => a.attempts === 1 && a.startedAtMs !== undefined);
  const workflowTasks = facts.flatMap((f) => f.workflowTasks).filter((t) => t.startedAtMs !== undefined);
  const queues = [...new Set([...activities.map((a) => a.taskQueue), ...workflowTasks.map((t) => t.taskQueue)])].sort();
  return queues.map((taskQueue) => {
    const mine = activities.filter((a) => a.taskQueue === taskQueue);
    const tasks = workflowTasks.filter((t) => t.taskQueue === taskQueue);
    const scheduled = mine.map((a) => a.scheduledAtMs);
    const spanMs = scheduled.length > 1 ? Math.max(...scheduled) - Math.min(...scheduled) : 0;
    const durations = mine.filter((a) => a.closedAtMs !== undefined).map((a) => a.closedAtMs! - a.startedAtMs!);
    return {
      taskQueue,
      activities: percentiles(mine.map(wait)),
      workflowTasks: percentiles(tasks.map((t) => t.startedAtMs! - t.scheduledAtMs)),
      activityRatePerSecond: spanMs > 0 ? round((mine.length - 1) / (spanMs / 1000), 2) : 0,
      meanActivityDurationMs: durations.length ? Math.round(durations.reduce((s, d) => s + d, 0) / durations.length) : 0,
      maxConcurrentActivities: maxOverlap(mine.map((a) => [a.startedAtMs!, a.closedAtMs ?? Number.POSITIVE_INFINITY])),
      maxBacklog: maxOverlap(mine.map((a) => [a.scheduledAtMs, a.startedAtMs!])),
      p99BySecond: p99BySecond(mine),
    };
  });
}

function wait(activity: ActivityFacts): number {
  return activity.startedAtMs! - activity.scheduledAtMs;
}

export function percentiles(values: number[]): LatencyPercentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? 0 };
}

/** The most intervals [start, end) covering one instant. */
function maxOverlap(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([start, end]): [number, number][] => (end > start ? [[start, 1], [end, -1]] : []));
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of edges) {
    current += delta;
    max = Math.max(max, current);
  }
  return max;
}

function p99BySecond(activities: ActivityFacts[]): [number, number][] {
  if (!activities.length) return [];
  const first = Math.min(...activities.map((a) => a.scheduledAtMs));
  const buckets = new Map<number, number[]>();
  for (const activity of activities) {
    const second = Math.floor((activity.startedAtMs! - first) / 1000);
    buckets.set(second, [...(buckets.get(second) ?? []), wait(activity)]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([second, waits]) => [second, percentiles(waits).p99]);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
