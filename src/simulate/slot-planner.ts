// Worker slot sizing for a schedule-to-start target (TEMPORAL-FACTS.md §11, §6): the smallest
// number of activity slots whose p-th percentile wait in the task queue stays under the target at
// `headroom` times the expected rate.

import { LIMITS } from '../engine/input-limits.js';
import { erlangC, queueWait, waitPercentile, meanWait, type QueueWait } from './erlang-c.js';

export interface SlotLoad {
  /** Expected activity starts per second at peak. */
  ratePerSecond: number;
  /** Mean activity duration. */
  meanDurationMs: number;
  /** Coefficient of variation of the duration; 1 (exponential) by default. */
  durationCv?: number;
}

export interface WaitPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface SlotEvaluation {
  slots: number;
  /** Arrivals per second the evaluation used (expected rate x headroom). */
  ratePerSecond: number;
  /** a = lambda x mean duration: the slots busy on average. */
  offeredLoad: number;
  /** a / c; 1 or more means the queue grows without bound. */
  utilization: number;
  stable: boolean;
  probabilityOfWaiting: number;
  /** Seconds; Infinity when unstable. */
  meanWait: number;
  /** Seconds; Infinity when unstable. */
  wait: WaitPercentiles;
  /** The wait at the requested percentile, in seconds. */
  waitAtPercentile: number;
}

export interface SlotTableRow {
  slots: number;
  utilization: number;
  probabilityOfWaiting: number;
  /** Wait at the plan's percentile, in seconds. */
  waitAtPercentile: number;
  p99: number;
}

export interface SlotPlan extends SlotEvaluation {
  percentile: number;
  targetMs: number;
  headroom: number;
  /** The same slots at the expected rate, without headroom. */
  atExpectedRate: SlotEvaluation;
  /** Slot counts around the answer, for a curve of wait against slots. */
  table: SlotTableRow[];
}

export interface PlanOptions extends SlotLoad {
  /** The schedule-to-start target at the percentile. */
  targetMs: number;
  /** 0-100, default 99. */
  percentile?: number;
  /** Multiplier on the rate to plan for, default 2 (plan for twice the expected peak). */
  headroom?: number;
}

export function evaluateSlots(load: SlotLoad & { slots: number; percentile?: number; headroom?: number }): SlotEvaluation {
  const ratePerSecond = load.ratePerSecond * (load.headroom ?? 1);
  const wait = queueWait({
    slots: load.slots,
    ratePerSecond,
    meanServiceSeconds: load.meanDurationMs / 1000,
    serviceCv: load.durationCv,
  });
  return describe(load.slots, ratePerSecond, wait, load.percentile ?? 99);
}

function describe(slots: number, ratePerSecond: number, wait: QueueWait, percentile: number): SlotEvaluation {
  return {
    slots,
    ratePerSecond,
    offeredLoad: wait.offeredLoad,
    utilization: wait.utilization,
    stable: wait.stable,
    probabilityOfWaiting: wait.probabilityOfWaiting,
    meanWait: meanWait(wait),
    wait: { p50: waitPercentile(wait, 50), p95: waitPercentile(wait, 95), p99: waitPercentile(wait, 99) },
    waitAtPercentile: waitPercentile(wait, percentile),
  };
}

export function planSlots(options: PlanOptions): SlotPlan {
  const percentile = options.percentile ?? 99;
  const headroom = options.headroom ?? 2;
  validatePlan(options, percentile, headroom);
  const slots = smallestSlots(options, percentile, headroom);
  const planned = evaluateSlots({ ...options, slots, percentile, headroom });
  return {
    ...planned,
    percentile,
    targetMs: options.targetMs,
    headroom,
    atExpectedRate: evaluateSlots({ ...options, slots, percentile, headroom: 1 }),
    table: slotTable(options, slots, percentile, headroom),
  };
}

function validatePlan(options: PlanOptions, percentile: number, headroom: number): void {
  if (!(options.ratePerSecond > 0)) throw new RangeError('the rate must be greater than 0');
  if (!(options.meanDurationMs > 0)) throw new RangeError('the mean duration must be greater than 0');
  if (!(options.targetMs >= 0)) throw new RangeError('the target must be 0 or more');
  if (!(percentile > 0 && percentile < 100)) throw new RangeError('the percentile must be between 0 and 100 (exclusive)');
  if (!(headroom >= 1)) throw new RangeError('the headroom must be 1 or more');
  if ((options.durationCv ?? 1) < 0) throw new RangeError('the duration cv must be 0 or more');
  // from a config file rather than flags: the same limits as `capacity` flags, named by quantity
  const busy = options.ratePerSecond * headroom * (options.meanDurationMs / 1000);
  if (!(busy <= LIMITS.offeredLoad.max)) throw new RangeError(`the load needs ${busy.toPrecision(3)} busy slots at once: more than the limit of ${LIMITS.offeredLoad.text}`);
  if (!((options.durationCv ?? 1) <= LIMITS.durationCv.max)) throw new RangeError(`the duration cv must be at most ${LIMITS.durationCv.text}`);
  if (!(options.targetMs <= LIMITS.activityDurationMs.max)) throw new RangeError(`the target must be at most ${LIMITS.activityDurationMs.text}`);
}

/**
 * The smallest c meeting the target, by binary search: the wait at the percentile only falls as
 * slots are added, so O(log n) evaluations of Erlang C suffice (one evaluation costs O(sqrt a) at
 * most, see erlangB). Galloping up from the first stable count by multiples of sqrt(a) keeps the
 * bracket tight, since the answer is about a + k sqrt(a) for large loads.
 */
function smallestSlots(options: PlanOptions, percentile: number, headroom: number): number {
  const rate = options.ratePerSecond * headroom;
  const meanSeconds = options.meanDurationMs / 1000;
  const a = rate * meanSeconds;
  const factor = (1 + (options.durationCv ?? 1) ** 2) / 2;
  const tail = 1 - percentile / 100;
  const target = options.targetMs / 1000;
  const meets = (c: number): boolean => {
    const probabilityOfWaiting = erlangC(c, a);
    if (probabilityOfWaiting <= tail) return true;
    const tailRate = (c / meanSeconds - rate) / factor;
    return Math.log(probabilityOfWaiting / tail) / tailRate <= target;
  };
  const unstable = Math.floor(a); // the largest count with a >= c: never meets a target
  let failing = unstable;
  let step = Math.max(1, Math.ceil(Math.sqrt(a)));
  let passing = unstable + step;
  while (!meets(passing)) {
    failing = passing;
    step *= 2;
    passing = unstable + step;
  }
  while (passing - failing > 1) {
    const middle = failing + Math.floor((passing - failing) / 2);
    if (meets(middle)) passing = middle;
    else failing = middle;
  }
  return passing;
}

function slotTable(options: PlanOptions, answer: number, percentile: number, headroom: number): SlotTableRow[] {
  const offered = options.ratePerSecond * headroom * (options.meanDurationMs / 1000);
  const first = Math.floor(offered) + 1;
  const last = Math.max(answer + 2, Math.ceil(answer + (answer - first) * 0.5));
  const step = Math.max(1, Math.ceil((last - first) / 16));
  const counts = new Set<number>([answer]);
  for (let c = first; c <= last; c += step) counts.add(c);
  return [...counts]
    .sort((x, y) => x - y)
    .map((slots) => {
      const e = evaluateSlots({ ...options, slots, percentile, headroom });
      return {
        slots,
        utilization: e.utilization,
        probabilityOfWaiting: e.probabilityOfWaiting,
        waitAtPercentile: e.waitAtPercentile,
        p99: e.wait.p99,
      };
    });
}
