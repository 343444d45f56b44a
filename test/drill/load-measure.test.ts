// The load drill's measurements from histories and from a worker's Prometheus text.

import { describe, expect, it } from 'vitest';
import type { ActivityFacts, WorkflowFacts } from '../../src/drill/harness/history-facts.js';
import { measureQueues, percentiles } from '../../src/drill/load/load-measure.js';
import { judgeQueue } from '../../src/drill/load/load-report.js';
import { activityScheduleToStart, activitySlotsUsed, parsePrometheusText } from '../../src/drill/load/worker-metrics.js';

function activity(scheduledAtMs: number, startedAtMs: number, closedAtMs: number, attempts = 1): ActivityFacts {
  return { activityType: 'reserveSeat', taskQueue: 'q', scheduledAtMs, startedAtMs, closedAtMs, attempts, outcome: 'completed', retryPolicy: {} };
}

function workflow(activities: ActivityFacts[]): WorkflowFacts {
  return {
    workflowId: 'wf', runId: 'r', workflowType: 'bookSeat', taskQueue: 'q', outcome: 'completed', startedAtMs: 0, workflowTaskFailures: 0,
    nondeterminism: [], activities, workflowTasks: [{ taskQueue: 'q', scheduledAtMs: 0, startedAtMs: 20 }], timers: 0, signals: 0, lastEventId: 1,
  };
}

describe('measureQueues', () => {
  it('measures schedule-to-start, slots in use and backlog from first attempts', () => {
    // two slots: the third activity waits 150 ms for the first to finish; the retried one is left out
    const facts = [
      workflow([activity(0, 0, 200)]),
      workflow([activity(50, 50, 250)]),
      workflow([activity(50, 200, 400)]),
      workflow([activity(1_050, 1_050, 1_250), activity(0, 5_000, 5_100, 3)]),
    ];
    const [queue] = measureQueues(facts);
    expect(queue).toEqual({
      taskQueue: 'q',
      activities: { count: 4, p50: 0, p95: 150, p99: 150, max: 150 },
      workflowTasks: { count: 4, p50: 20, p95: 20, p99: 20, max: 20 },
      activityRatePerSecond: 2.86,
      meanActivityDurationMs: 200,
      maxConcurrentActivities: 2,
      maxBacklog: 1,
      p99BySecond: [[0, 150], [1, 0]],
    });
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentiles(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('judgeQueue', () => {
  it('predicts an unstable queue for 2 slots at 20/s of 200 ms, and fails it over the target', () => {
    const [measured] = measureQueues([workflow([activity(0, 0, 200), activity(0, 900, 1_100)])]);
    const verdict = judgeQueue({ ...measured!, activityRatePerSecond: 20, meanActivityDurationMs: 200 }, 2, false, 500, null);
    expect(verdict.slots).toBe(2);
    expect(verdict.predicted).toEqual({ utilization: 2, stable: false, wait: { p50: Infinity, p95: Infinity, p99: Infinity } });
    expect(verdict.pass).toBe(false);
    expect(judgeQueue(measured!, undefined, false, 1_000, null).slots).toBe(100);
    expect(judgeQueue(measured!, undefined, true, 1_000, null)).toMatchObject({ slots: null, predicted: null, pass: true });
  });
});

describe('worker metrics', () => {
  const text = [
    '# HELP temporal_worker_task_slots_used slots',
    'temporal_worker_task_slots_used{namespace="default",task_queue="q",worker_type="ActivityWorker"} 2',
    'temporal_worker_task_slots_used{namespace="default",task_queue="q",worker_type="WorkflowWorker"} 5',
    'temporal_activity_schedule_to_start_latency_bucket{task_queue="q",le="50"} 60',
    'temporal_activity_schedule_to_start_latency_bucket{task_queue="q",le="100"} 90',
    'temporal_activity_schedule_to_start_latency_bucket{task_queue="q",le="1000"} 99',
    'temporal_activity_schedule_to_start_latency_bucket{task_queue="q",le="+Inf"} 100',
    'temporal_activity_schedule_to_start_latency_bucket{task_queue="other",le="+Inf"} 7',
  ].join('\n');

  it('reads activity slots in use and the schedule-to-start buckets of the queue', () => {
    const samples = parsePrometheusText(text);
    expect(activitySlotsUsed(samples, 'q')).toBe(2);
    expect(activityScheduleToStart(samples, 'q')).toEqual({ count: 100, p50: 50, p95: 1000, p99: 1000 });
    expect(activityScheduleToStart(samples, 'missing')).toBeUndefined();
  });
});
