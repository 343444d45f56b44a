// The M/M/c queue (Erlang C) behind worker slot sizing (TEMPORAL-FACTS.md §11): activities arrive
// at rate lambda, each slot serves one at a time at rate mu, and a task waits in the task queue
// (its schedule-to-start latency) only when every slot is busy.

/**
 * Erlang B blocking probability through the stable recursion B(k) = a B(k-1) / (k + a B(k-1)).
 * The textbook formula with a^c / c! overflows long before realistic slot counts.
 */
export function erlangB(slots: number, offeredLoad: number): number {
  let b = 1;
  for (let k = 1; k <= slots; k++) b = nextErlangB(b, k, offeredLoad);
  return b;
}

/** One step of the recursion, so a search over slot counts stays linear. */
export function nextErlangB(previous: number, slots: number, offeredLoad: number): number {
  return (offeredLoad * previous) / (slots + offeredLoad * previous);
}

/** Erlang C from Erlang B: the probability an arriving task has to wait. 1 when a >= c. */
export function erlangCFromB(b: number, slots: number, offeredLoad: number): number {
  if (offeredLoad >= slots) return 1;
  return (slots * b) / (slots - offeredLoad * (1 - b));
}

/** C(c, a): probability of waiting with c slots and offered load a = lambda / mu. */
export function erlangC(slots: number, offeredLoad: number): number {
  return erlangCFromB(erlangB(slots, offeredLoad), slots, offeredLoad);
}

/** A queue described by its rates; times in seconds. */
export interface Queue {
  slots: number;
  /** Arrivals per second. */
  ratePerSecond: number;
  /** Mean service time in seconds. */
  meanServiceSeconds: number;
  /**
   * Coefficient of variation of the service time (1 = exponential). Other values apply the
   * Allen-Cunneen correction: waits scale by (1 + cv^2) / 2 for Poisson arrivals.
   */
  serviceCv?: number;
}

/** The quantities the percentile functions need, computed once. */
export interface QueueWait {
  stable: boolean;
  offeredLoad: number;
  utilization: number;
  probabilityOfWaiting: number;
  /** Decay rate of the waiting-time tail, per second: (c mu - lambda) / AllenCunneen factor. */
  tailRate: number;
}

export function queueWait(queue: Queue): QueueWait {
  const offeredLoad = queue.ratePerSecond * queue.meanServiceSeconds;
  const utilization = offeredLoad / queue.slots;
  if (offeredLoad >= queue.slots) {
    return { stable: false, offeredLoad, utilization, probabilityOfWaiting: 1, tailRate: 0 };
  }
  return {
    stable: true,
    offeredLoad,
    utilization,
    probabilityOfWaiting: erlangC(queue.slots, offeredLoad),
    tailRate: drainRate(queue) / allenCunneenFactor(queue.serviceCv),
  };
}

/** c mu - lambda: how fast the queue drains when every slot is busy. */
function drainRate(queue: Queue): number {
  return queue.slots / queue.meanServiceSeconds - queue.ratePerSecond;
}

/**
 * Allen-Cunneen: Wq(G/G/c) ~ Wq(M/M/c) x (ca^2 + cs^2) / 2; arrivals are Poisson (ca = 1).
 * We apply it to the whole tail (stretching the exponential) so the mean matches; the probability
 * of waiting stays Erlang C. An approximation, good for cv between about 0.5 and 2.
 */
export function allenCunneenFactor(serviceCv = 1): number {
  return (1 + serviceCv * serviceCv) / 2;
}

/** P(W > t): C x exp(-(c mu - lambda) t), t in seconds. */
export function probabilityWaitExceeds(wait: QueueWait, seconds: number): number {
  if (!wait.stable) return 1;
  if (seconds < 0) return 1;
  return wait.probabilityOfWaiting * Math.exp(-wait.tailRate * seconds);
}

/** Mean wait Wq = C / (c mu - lambda), in seconds. */
export function meanWait(wait: QueueWait): number {
  return wait.stable ? wait.probabilityOfWaiting / wait.tailRate : Number.POSITIVE_INFINITY;
}

/**
 * The p-th percentile (0-100) of the waiting time in seconds, counting the tasks that do not
 * wait at all: 0 when at least p % of tasks find a free slot.
 */
export function waitPercentile(wait: QueueWait, percentile: number): number {
  if (!wait.stable) return Number.POSITIVE_INFINITY;
  const tail = 1 - percentile / 100;
  if (wait.probabilityOfWaiting <= tail) return 0;
  return Math.log(wait.probabilityOfWaiting / tail) / wait.tailRate;
}
