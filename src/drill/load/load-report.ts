// The load drill's report: measured schedule-to-start beside the capacity planner's prediction
// for the same rate, duration and slots (Erlang C, TEMPORAL-FACTS.md §11).

import { evaluateSlots, type SlotEvaluation } from '../../simulate/slot-planner.js';
import type { QueueMeasurement } from './load-measure.js';
import type { HistogramQuantiles } from './worker-metrics.js';

export interface QueueVerdict extends QueueMeasurement {
  /** Activity slots the worker was created with (the SDK's default 100 when unset, §6). */
  slots: number | null;
  /** What the planner predicts for this rate, mean duration and slot count. */
  predicted: Pick<SlotEvaluation, 'utilization' | 'stable' | 'wait'> | null;
  /** From the worker's Prometheus endpoint, when it exported one. */
  metrics: { scheduleToStart: HistogramQuantiles | null; maxSlotsUsed: number | null } | null;
  /** p99 climbed: the last third of the run waited at least twice as long as the first third. */
  climbing: boolean;
  pass: boolean;
}

export interface LoadDrillReport {
  drill: 'load';
  taskQueue: string;
  targetP99Ms: number;
  durationMs: number;
  /** Starts per second per workflow type, as driven. */
  rates: { workflowType: string; ratePerSecond: number }[];
  workflows: { started: number; completed: number; failed: number; open: number };
  queues: QueueVerdict[];
  problems: string[];
  verdict: 'pass' | 'fail';
}

const SDK_DEFAULT_ACTIVITY_SLOTS = 100;

export function judgeQueue(
  measured: QueueMeasurement,
  slotsSetting: number | undefined,
  usesTuner: boolean,
  targetP99Ms: number,
  metrics: QueueVerdict['metrics'],
): QueueVerdict {
  const slots = usesTuner ? null : (slotsSetting ?? SDK_DEFAULT_ACTIVITY_SLOTS);
  const canPredict = slots !== null && measured.activityRatePerSecond > 0 && measured.meanActivityDurationMs > 0;
  const evaluation = canPredict ? evaluateSlots({ slots, ratePerSecond: measured.activityRatePerSecond, meanDurationMs: measured.meanActivityDurationMs }) : null;
  return {
    ...measured,
    slots,
    predicted: evaluation
      ? {
          utilization: round(evaluation.utilization),
          stable: evaluation.stable,
          wait: { p50: ms(evaluation.wait.p50), p95: ms(evaluation.wait.p95), p99: ms(evaluation.wait.p99) },
        }
      : null,
    metrics,
    climbing: isClimbing(measured.p99BySecond),
    pass: measured.activities.p99 <= targetP99Ms,
  };
}

/** Seconds to milliseconds; an unstable queue's Infinity stays Infinity (JSON writes null). */
function ms(seconds: number): number {
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : Number.POSITIVE_INFINITY;
}

function isClimbing(series: [number, number][]): boolean {
  if (series.length < 3) return false;
  const third = Math.floor(series.length / 3);
  const mean = (part: [number, number][]) => part.reduce((s, [, v]) => s + v, 0) / part.length;
  const first = mean(series.slice(0, third));
  const last = mean(series.slice(-third));
  return last >= Math.max(2 * first, first + 100);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
